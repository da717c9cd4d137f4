// hashlib: message digests through OpenSSL's EVP interface (libcrypto), as CPython's _hashlib.
#include <dlfcn.h>
#include <openssl/evp.h>

#include <cstdio>
#include <string>
#include <utility>

#include "interp/bytes.h"
#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/set.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/native_args.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

// Python's name for each algorithm and OpenSSL's.
struct Algorithm {
  const char* name;
  const char* openssl_name;
};
constexpr Algorithm kAlgorithms[] = {
    {"md5", "md5"},           {"sha1", "sha1"},         {"sha224", "sha224"},     {"sha256", "sha256"},
    {"sha384", "sha384"},     {"sha512", "sha512"},     {"sha3_224", "sha3-224"}, {"sha3_256", "sha3-256"},
    {"sha3_384", "sha3-384"}, {"sha3_512", "sha3-512"}, {"blake2b", "blake2b512"}, {"blake2s", "blake2s256"},
};

// libcrypto is opened when the first hash is made, not linked: resolving its thousands of
// symbols would otherwise cost every script at startup, hashing or not.
struct Crypto {
  decltype(&EVP_MD_CTX_new) ctx_new;
  decltype(&EVP_MD_CTX_free) ctx_free;
  decltype(&EVP_MD_CTX_copy_ex) ctx_copy;
  decltype(&EVP_MD_CTX_get0_md) ctx_md;
  decltype(&EVP_get_digestbyname) digest_by_name;
  decltype(&EVP_DigestInit_ex) init;
  decltype(&EVP_DigestUpdate) update;
  decltype(&EVP_DigestFinal_ex) final;
  decltype(&EVP_MD_get_size) md_size;
  decltype(&EVP_MD_get_block_size) md_block_size;
};
constexpr const char* kCryptoLibrary = "libcrypto.so.3";
Crypto crypto;
bool crypto_loaded = false;

template <class F>
bool bind_symbol(void* lib, F& fn, const char* name) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  return fn != nullptr;
}

// False (ImportError raised) when the library or one of its functions is missing.
bool load_crypto() {
  if (crypto_loaded) return true;
  void* lib = dlopen(kCryptoLibrary, RTLD_NOW | RTLD_LOCAL);
  Crypto& c = crypto;
  bool ok = lib && bind_symbol(lib, c.ctx_new, "EVP_MD_CTX_new") && bind_symbol(lib, c.ctx_free, "EVP_MD_CTX_free") &&
            bind_symbol(lib, c.ctx_copy, "EVP_MD_CTX_copy_ex") && bind_symbol(lib, c.ctx_md, "EVP_MD_CTX_get0_md") &&
            bind_symbol(lib, c.digest_by_name, "EVP_get_digestbyname") && bind_symbol(lib, c.init, "EVP_DigestInit_ex") &&
            bind_symbol(lib, c.update, "EVP_DigestUpdate") && bind_symbol(lib, c.final, "EVP_DigestFinal_ex") &&
            bind_symbol(lib, c.md_size, "EVP_MD_get_size") && bind_symbol(lib, c.md_block_size, "EVP_MD_get_block_size");
  if (!ok) {
    raise(exc.ImportError, std::string("hashlib needs OpenSSL's ") + kCryptoLibrary + ": " + dlerror());
    return false;
  }
  crypto_loaded = true;
  return true;
}

struct HashObj : Object {
  const Algorithm* algo;
  EVP_MD_CTX* ctx;
  HashObj(Type* t, const Algorithm* a) : Object(t), algo(a), ctx(crypto.ctx_new()) {}
  ~HashObj() override { crypto.ctx_free(ctx); }
};

Type* hash_type();

HashObj* self_hash(const Args& a) { return as<HashObj>(a[0]); }

const Algorithm* find_algorithm(const std::string& name) {
  std::string lower;
  for (char c : name) lower += char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const Algorithm& al : kAlgorithms)
    if (lower == al.name) return &al;
  return nullptr;
}

// The data argument of a constructor or update(): bytes-like, never str.
bool feed(HashObj* h, const Value& data) {
  if (is_str(data)) {
    raise(exc.TypeError, "Strings must be encoded before hashing");
    return false;
  }
  if (!is_byteslike(data)) {
    raise(exc.TypeError, "object supporting the buffer API required");
    return false;
  }
  const std::string& bytes = bytes_of(data);
  crypto.update(h->ctx, bytes.data(), bytes.size());
  return true;
}

Value make_hash(const Algorithm* algo, const Value* data) {
  if (!load_crypto()) return Value::raised();
  auto* h = new HashObj(hash_type(), algo);
  Value result = Value::adopt(h);
  const EVP_MD* md = crypto.digest_by_name(algo->openssl_name);
  if (!md || crypto.init(h->ctx, md, nullptr) != 1)
    return raise(exc.ValueError, std::string("unsupported hash type ") + algo->name);
  if (data && !feed(h, *data)) return Value::raised();
  return result;
}

// md5(string=b'', *, usedforsecurity=True) and friends, named openssl_md5 in messages.
template <size_t Index>
Value named_constructor(const Args& a) {
  const Algorithm* algo = &kAlgorithms[Index];
  std::string fname = std::string("openssl_") + algo->name;
  for (size_t i = 0; i < a.nkw(); i++) {
    const std::string& k = str_of((*a.kwnames)[i]);
    if (k != "string" && k != "usedforsecurity")
      return raise(exc.TypeError, "'" + k + "' is an invalid keyword argument for " + fname + "()");
  }
  if (a.npos > 1)
    return raise(exc.TypeError, fname + "() takes at most 1 positional argument (" + std::to_string(a.npos) + " given)");
  return make_hash(algo, arg_or_kw(a, 0, "string"));
}

Value hashlib_new(const Args& a) {
  if (!check_kwnames(a, "new", {"name", "data", "string", "usedforsecurity"})) return Value::raised();
  const Value* name = arg_or_kw(a, 0, "name");
  if (!name) return raise(exc.TypeError, "new() missing required argument 'name' (pos 1)");
  if (!is_str(*name)) return raise(exc.TypeError, "new() argument 'name' must be str, not " + type_name(*name));
  const Algorithm* algo = find_algorithm(str_of(*name));
  if (!algo) return raise(exc.ValueError, "unsupported hash type " + str_of(*name));
  const Value* data = arg_or_kw(a, 1, "data");
  return make_hash(algo, data ? data : kwarg(a, "string"));
}

Value hash_update(const Args& a) {
  if (!check_args(a, "update", 2, 2)) return Value::raised();
  if (!feed(self_hash(a), a[1])) return Value::raised();
  return Value();
}

// The digest so far; the object keeps accepting data, so a copy of the context is finished.
std::string finish(HashObj* h) {
  EVP_MD_CTX* copy = crypto.ctx_new();
  crypto.ctx_copy(copy, h->ctx);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  crypto.final(copy, out, &n);
  crypto.ctx_free(copy);
  return std::string(reinterpret_cast<char*>(out), n);
}

Value hash_digest(const Args& a) {
  if (!check_args(a, "digest", 1, 1)) return Value::raised();
  return new_bytes(finish(self_hash(a)));
}

Value hash_hexdigest(const Args& a) {
  static const char kHex[] = "0123456789abcdef";
  if (!check_args(a, "hexdigest", 1, 1)) return Value::raised();
  std::string out;
  for (unsigned char c : finish(self_hash(a))) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return new_str(out);
}

Value hash_copy(const Args& a) {
  if (!check_args(a, "copy", 1, 1)) return Value::raised();
  HashObj* h = self_hash(a);
  auto* c = new HashObj(hash_type(), h->algo);
  crypto.ctx_copy(c->ctx, h->ctx);
  return Value::adopt(c);
}

Value hash_repr(const Args& a) {
  char addr[32];
  snprintf(addr, sizeof addr, "%p", static_cast<void*>(a[0].obj()));
  return new_str(std::string("<") + self_hash(a)->algo->name + " _hashlib.HASH object @ " + addr + ">");
}

Value get_name(const Value& self) { return new_str(as<HashObj>(self)->algo->name); }
Value get_digest_size(const Value& self) { return Value::integer(crypto.md_size(crypto.ctx_md(as<HashObj>(self)->ctx))); }
Value get_block_size(const Value& self) { return Value::integer(crypto.md_block_size(crypto.ctx_md(as<HashObj>(self)->ctx))); }

Type* hash_type() {
  static Type* t = [] {
    auto* ht = new Type("HASH", types.object);
    ht->module = "_hashlib";
    add_method(ht, "update", hash_update);
    add_method(ht, "digest", hash_digest);
    add_method(ht, "hexdigest", hash_hexdigest);
    add_method(ht, "copy", hash_copy);
    add_method(ht, "__repr__", hash_repr);
    add_getset(ht, "name", get_name);
    add_getset(ht, "digest_size", get_digest_size);
    add_getset(ht, "block_size", get_block_size);
    return ht;
  }();
  return t;
}

template <size_t... I>
void add_constructors(const Value& module, std::index_sequence<I...>) {
  (add_function(module, kAlgorithms[I].name, named_constructor<I>), ...);
}

}  // namespace

void init_hashlib(const Value& module) {
  constexpr size_t kCount = sizeof kAlgorithms / sizeof kAlgorithms[0];
  add_constructors(module, std::make_index_sequence<kCount>());
  add_function(module, "new", hashlib_new);
  Value guaranteed = new_frozenset();
  for (const Algorithm& al : kAlgorithms) set_add(as<SetObj>(guaranteed), intern(al.name));
  DictObj* d = module_dict(module);
  dict_set_str(d, intern("algorithms_guaranteed"), guaranteed);
  dict_set_str(d, intern("algorithms_available"), guaranteed);
}

}  // namespace aio
