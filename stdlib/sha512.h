// SHA-512 (FIPS 180-4): what random.seed(str) hashes its seed with, as CPython does.
#pragma once
#include <string>
#include <string_view>

namespace aio {

// The 64-byte digest of data.
std::string sha512(std::string_view data);

}  // namespace aio
