// The Mersenne Twister exactly as CPython's _random module drives it: same seeding from an
// int (init_by_array over its 32-bit words), same 53-bit random() and getrandbits().
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "interp/bigint.h"

namespace aio {

class Mt19937 {
 public:
  static constexpr int kN = 624;
  Mt19937() { seed_words({0}); }
  // random.seed(n) for an int n (its absolute value's words, least significant first).
  void seed(const BigInt& n);
  void seed_words(const std::vector<uint32_t>& key);
  uint32_t next32();
  double random();               // [0, 1) with 53 random bits
  BigInt getrandbits(uint64_t k);
  BigInt randbelow(const BigInt& n);  // uniform in [0, n), by rejection like CPython

 private:
  void init_genrand(uint32_t s);
  void generate();
  std::array<uint32_t, kN> mt_{};
  int index_ = kN;
};

}  // namespace aio
