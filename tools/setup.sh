#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test aio (root or sudo).
set -euo pipefail
PKGS="g++ cmake make pkg-config libcli11-dev libedit-dev libexpected-dev catch2 libgmp-dev libssl-dev unicode-data libpcre2-dev"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi
