#!/usr/bin/env bash
# Configures and builds aio into build/ (Release), or build-asan/ with AIO_SANITIZE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${AIO_SANITIZE:-0}" = 1 ]; then dir=build-asan; flags="-DAIO_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo"; else dir=build; flags=""; fi
cmake -S . -B "$dir" $flags >/dev/null
cmake --build "$dir" -j "$(nproc)"
