// MT19937 as in CPython's Modules/_randommodule.c (itself the reference mt19937ar.c).
#include "stdlib/mt19937.h"

namespace aio {

namespace {
constexpr int kM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;
constexpr uint32_t kInitMult = 1812433253U;
constexpr uint32_t kArrayMult1 = 1664525U;
constexpr uint32_t kArrayMult2 = 1566083941U;
constexpr uint32_t kInitSeed = 19650218U;
constexpr double kTwo26 = 67108864.0;
constexpr double kTwo53 = 9007199254740992.0;
}  // namespace

void Mt19937::init_genrand(uint32_t s) {
  mt_[0] = s;
  for (int i = 1; i < kN; i++) mt_[i] = kInitMult * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + i;
  index_ = kN;
}

void Mt19937::seed_words(const std::vector<uint32_t>& key) {
  init_genrand(kInitSeed);
  int i = 1;
  size_t j = 0;
  size_t len = key.size();
  for (size_t k = (kN > len ? kN : len); k; k--) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * kArrayMult1)) + key[j] + uint32_t(j);
    i++, j++;
    if (i >= kN) { mt_[0] = mt_[kN - 1]; i = 1; }
    if (j >= len) j = 0;
  }
  for (int k = kN - 1; k; k--) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * kArrayMult2)) - i;
    i++;
    if (i >= kN) { mt_[0] = mt_[kN - 1]; i = 1; }
  }
  mt_[0] = 0x80000000U;  // the most significant bit is 1: a non-zero initial array
  index_ = kN;
}

void Mt19937::seed(const BigInt& n) {
  BigInt a = abs(n);
  std::vector<uint32_t> key;
  size_t count = 0;
  std::vector<uint32_t> words((a.bit_length() + 31) / 32 + 1);
  mpz_export(words.data(), &count, -1, sizeof(uint32_t), 0, 0, a.raw());
  words.resize(count ? count : 1);
  seed_words(words);
}

void Mt19937::generate() {
  for (int k = 0; k < kN; k++) {
    uint32_t y = (mt_[k] & kUpperMask) | (mt_[(k + 1) % kN] & kLowerMask);
    mt_[k] = mt_[(k + kM) % kN] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
  }
  index_ = 0;
}

uint32_t Mt19937::next32() {
  if (index_ >= kN) generate();
  uint32_t y = mt_[index_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

double Mt19937::random() {
  uint32_t a = next32() >> 5, b = next32() >> 6;
  return (a * kTwo26 + b) * (1.0 / kTwo53);
}

BigInt Mt19937::getrandbits(uint64_t k) {
  if (k <= 32) return BigInt(k == 0 ? 0 : int64_t(next32() >> (32 - k)));
  std::vector<uint32_t> words((k - 1) / 32 + 1);
  for (uint32_t& w : words) {
    uint32_t r = next32();
    if (k < 32) r >>= (32 - k);
    w = r;
    k = k >= 32 ? k - 32 : 0;
  }
  BigInt out;
  mpz_import(out.raw(), words.size(), -1, sizeof(uint32_t), 0, 0, words.data());
  return out;
}

BigInt Mt19937::randbelow(const BigInt& n) {
  if (n.is_zero()) return BigInt(0);
  uint64_t k = n.bit_length();
  BigInt r = getrandbits(k);
  while (compare(r, n) >= 0) r = getrandbits(k);
  return r;
}

}  // namespace aio
