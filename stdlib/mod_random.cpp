// random: the Random class over MT19937 with CPython's algorithms (seeding, _randbelow,
// shuffle, sample, choices, gauss), so that seeded scripts print the same numbers.
// The module functions are the bound methods of one hidden instance, as in CPython.
#include <sys/random.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/int.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/set.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/mt19937.h"
#include "stdlib/native_args.h"
#include "stdlib/sha512.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

constexpr int kSampleSetSize = 21;  // sample(): below this, pick from a copied pool

struct RandomObj : Instance {
  Mt19937 mt;
  std::optional<double> gauss_next;
  explicit RandomObj(Type* t) : Instance(t) {}
};

Type* random_type() {
  static Type* t = new Type("Random", types.object);
  return t;
}

Mt19937& mt_of(const Args& a) { return static_cast<RandomObj*>(a[0].obj())->mt; }

// ---- seeding ----

void seed_from_urandom(Mt19937& mt) {
  std::vector<uint32_t> key(Mt19937::kN);
  if (getrandom(key.data(), key.size() * sizeof(uint32_t), 0) < 0) key.assign(1, uint32_t(time(nullptr)));
  mt.seed_words(key);
}

// random.seed(a) version 2: str and bytes become the int of their bytes followed by their SHA-512.
bool seed_value(RandomObj* r, const Value& a) {
  r->gauss_next.reset();
  if (a.is_none()) {
    seed_from_urandom(r->mt);
    return true;
  }
  if (is_intlike(a)) {
    r->mt.seed(to_bigint(a));
    return true;
  }
  if (is_str(a) || is_byteslike(a)) {
    std::string data = is_str(a) ? str_of(a) : bytes_of(a);
    data += sha512(data);
    BigInt n;
    mpz_import(n.raw(), data.size(), 1, 1, 0, 0, data.data());
    r->mt.seed(n);
    return true;
  }
  if (a.is_float()) {
    int64_t h;
    if (!hash_value(a, h)) return false;
    r->mt.seed(BigInt(h));
    return true;
  }
  raise(exc.TypeError, "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
  return false;
}

// Seeds here too: the interpreter does not call __init__ after a native type's __new__.
Value random_new(const Args& a) {
  if (!check_args(a, "Random", 1, 2)) return Value::raised();
  auto* r = new RandomObj(as<Type>(a[0]));
  Value v = Value::adopt(r);
  return seed_value(r, a.npos == 2 ? a[1] : Value()) ? v : Value::raised();
}

Value random_init(const Args& a) {
  if (!check_args(a, "Random", 1, 2)) return Value::raised();
  return seed_value(static_cast<RandomObj*>(a[0].obj()), a.npos == 2 ? a[1] : Value()) ? Value() : Value::raised();
}

Value random_seed(const Args& a) {
  if (!check_args(a, "seed", 1, 3)) return Value::raised();
  const Value* v = arg_or_kw(a, 1, "a");
  return seed_value(static_cast<RandomObj*>(a[0].obj()), v ? *v : Value()) ? Value() : Value::raised();
}

// ---- numbers ----

Value random_random(const Args& a) { return Value::real(mt_of(a).random()); }

Value random_getrandbits(const Args& a) {
  int64_t k;
  if (!check_args(a, "getrandbits", 2, 2) || !index_of(a[1], k)) return Value::raised();
  if (k < 0) return raise(exc.ValueError, "number of bits must be non-negative");
  return make_int(mt_of(a).getrandbits(static_cast<uint64_t>(k)));
}

// An integer argument of randrange: ints, or floats with an integral value.
bool range_arg(const Value& v, int argno, BigInt& out) {
  if (is_intlike(v)) { out = to_bigint(v); return true; }
  if (v.is_float() && std::isfinite(v.as_float()) && std::floor(v.as_float()) == v.as_float()) {
    out = BigInt::from_double(v.as_float());
    return true;
  }
  if (v.is_float()) {
    raise(exc.ValueError, "non-integer arg " + std::to_string(argno) + " for randrange()");
    return false;
  }
  int64_t i;
  if (!index_of(v, i)) return false;
  out = BigInt(i);
  return true;
}

Value randrange(Mt19937& mt, const Value& start, const Value* stop, const Value* step) {
  BigInt istart;
  if (!range_arg(start, 1, istart)) return Value::raised();
  if (!stop || stop->is_none()) {
    if (step) return raise(exc.TypeError, "Missing a non-None stop argument");
    if (istart.sign() > 0) return make_int(mt.randbelow(istart));
    return raise(exc.ValueError, "empty range for randrange()");
  }
  BigInt istop, istep(1);
  if (!range_arg(*stop, 2, istop) || (step && !range_arg(*step, 3, istep))) return Value::raised();
  BigInt width = istop - istart;
  if (istep == BigInt(1)) {
    if (width.sign() > 0) return make_int(istart + mt.randbelow(width));
    return raise(exc.ValueError, "empty range for randrange() (" + istart.to_string() + ", " +
                                     istop.to_string() + ", " + width.to_string() + ")");
  }
  if (istep.is_zero()) return raise(exc.ValueError, "zero step for randrange()");
  BigInt n = istep.sign() > 0 ? floordiv(width + istep - BigInt(1), istep)
                              : floordiv(width + istep + BigInt(1), istep);
  if (n.sign() <= 0) return raise(exc.ValueError, "empty range for randrange()");
  return make_int(istart + istep * mt.randbelow(n));
}

Value random_randrange(const Args& a) {
  const Value* start = arg_or_kw(a, 1, "start");
  if (!start) return raise(exc.TypeError, "randrange() missing 1 required positional argument: 'start'");
  return randrange(mt_of(a), *start, arg_or_kw(a, 2, "stop"), arg_or_kw(a, 3, "step"));
}

Value random_randint(const Args& a) {
  if (!check_args(a, "randint", 3, 3)) return Value::raised();
  Value stop = binary_op(BinOpKind::Add, a[2], Value::integer(1));
  if (stop.is_raised()) return stop;
  return randrange(mt_of(a), a[1], &stop, nullptr);
}

bool two_reals(const Args& a, const char* name, double& x, double& y) {
  if (!check_args(a, name, 3, 3)) return false;
  for (int i = 0; i < 2; i++) {
    const Value& v = a[i + 1];
    if (!is_number(v)) {
      raise(exc.TypeError, "unsupported operand type(s) for -: '" + type_name(a[2]) + "' and '" + type_name(a[1]) + "'");
      return false;
    }
    (i ? y : x) = to_double_unchecked(v);
  }
  return true;
}

Value random_uniform(const Args& a) {
  double lo, hi;
  if (!two_reals(a, "uniform", lo, hi)) return Value::raised();
  return Value::real(lo + (hi - lo) * mt_of(a).random());
}

Value random_gauss(const Args& a) {
  auto* r = static_cast<RandomObj*>(a[0].obj());
  const Value* mu_v = arg_or_kw(a, 1, "mu");
  const Value* sigma_v = arg_or_kw(a, 2, "sigma");
  double mu = mu_v && is_number(*mu_v) ? to_double_unchecked(*mu_v) : 0.0;
  double sigma = sigma_v && is_number(*sigma_v) ? to_double_unchecked(*sigma_v) : 1.0;
  double z;
  if (r->gauss_next) {
    z = *r->gauss_next;
    r->gauss_next.reset();
  } else {
    double x2pi = r->mt.random() * 2 * M_PI;
    double g2rad = std::sqrt(-2.0 * std::log(1.0 - r->mt.random()));
    z = std::cos(x2pi) * g2rad;
    r->gauss_next = std::sin(x2pi) * g2rad;
  }
  return Value::real(mu + z * sigma);
}

// ---- sequences ----

Value random_choice(const Args& a) {
  int64_t n;
  if (!check_args(a, "choice", 2, 2) || !length_of(a[1], n)) return Value::raised();
  if (n == 0) return raise(exc.IndexError, "Cannot choose from an empty sequence");
  return getitem(a[1], make_int(mt_of(a).randbelow(BigInt(n))));
}

Value random_shuffle(const Args& a) {
  int64_t n;
  if (!check_args(a, "shuffle", 2, 2) || !length_of(a[1], n)) return Value::raised();
  Mt19937& mt = mt_of(a);
  for (int64_t i = n - 1; i > 0; i--) {
    int64_t j = mt.randbelow(BigInt(i + 1)).to_int64();
    Value vi = getitem(a[1], Value::integer(i));
    Value vj = getitem(a[1], Value::integer(j));
    if (vi.is_raised() || vj.is_raised()) return Value::raised();
    if (!setitem(a[1], Value::integer(i), vj) || !setitem(a[1], Value::integer(j), vi)) return Value::raised();
  }
  return Value();
}

Value random_sample(const Args& a) {
  const Value* pop = arg_or_kw(a, 1, "population");
  const Value* kv = arg_or_kw(a, 2, "k");
  if (!pop || !kv) return raise(exc.TypeError, "sample() missing 1 required positional argument: 'k'");
  if (is_anyset(*pop) || isinstance(*pop, types.dict))
    return raise(exc.TypeError, "Population must be a sequence.  For dicts or sets, use sorted(d).");
  int64_t n, k;
  if (!length_of(*pop, n) || !index_of(*kv, k)) return Value::raised();
  if (k < 0 || k > n) return raise(exc.ValueError, "Sample larger than population or is negative");
  Mt19937& mt = mt_of(a);
  int64_t setsize = kSampleSetSize;
  if (k > 5) setsize += static_cast<int64_t>(std::pow(4, std::ceil(std::log(k * 3) / std::log(4))));
  std::vector<Value> result;
  if (n <= setsize) {
    std::vector<Value> pool;
    if (!collect(*pop, pool)) return Value::raised();
    for (int64_t i = 0; i < k; i++) {
      int64_t j = mt.randbelow(BigInt(n - i)).to_int64();
      result.push_back(pool[j]);
      pool[j] = pool[n - i - 1];
    }
    return new_list(std::move(result));
  }
  std::vector<bool> selected(n);
  for (int64_t i = 0; i < k; i++) {
    int64_t j = mt.randbelow(BigInt(n)).to_int64();
    while (selected[j]) j = mt.randbelow(BigInt(n)).to_int64();
    selected[j] = true;
    Value v = getitem(*pop, Value::integer(j));
    if (v.is_raised()) return v;
    result.push_back(std::move(v));
  }
  return new_list(std::move(result));
}

// Cumulative weights as doubles, from weights= or cum_weights=.
bool cumulative_weights(const Value* weights, const Value* cum, int64_t n, std::vector<double>& out) {
  std::vector<Value> items;
  if (!collect(weights ? *weights : *cum, items)) return false;
  if (static_cast<int64_t>(items.size()) != n) {
    raise(exc.ValueError, "The number of weights does not match the population");
    return false;
  }
  double total = 0;
  for (const Value& w : items) {
    if (!is_number(w)) {
      raise(exc.TypeError, "unsupported operand type(s) for +: 'float' and '" + type_name(w) + "'");
      return false;
    }
    total = weights ? total + to_double_unchecked(w) : to_double_unchecked(w);
    out.push_back(total);
  }
  return true;
}

Value random_choices(const Args& a) {
  const Value* pop = arg_or_kw(a, 1, "population");
  const Value* weights = arg_or_kw(a, 2, "weights");
  const Value* cum = kwarg(a, "cum_weights");
  const Value* kv = kwarg(a, "k");
  if (!pop) return raise(exc.TypeError, "choices() missing 1 required positional argument: 'population'");
  if (weights && weights->is_none()) weights = nullptr;
  if (cum && cum->is_none()) cum = nullptr;
  if (weights && cum) return raise(exc.TypeError, "Cannot specify both weights and cumulative weights");
  int64_t n, k = 1;
  if (!length_of(*pop, n) || (kv && !index_of(*kv, k))) return Value::raised();
  Mt19937& mt = mt_of(a);
  std::vector<Value> result;
  std::vector<double> cw;
  if (!weights && !cum) {
    for (int64_t i = 0; i < k; i++) {
      Value v = getitem(*pop, Value::integer(static_cast<int64_t>(std::floor(mt.random() * double(n)))));
      if (v.is_raised()) return v;
      result.push_back(std::move(v));
    }
    return new_list(std::move(result));
  }
  if (!cumulative_weights(weights, cum, n, cw)) return Value::raised();
  if (n == 0) return raise(exc.IndexError, "list index out of range");
  double total = cw.back();
  if (total <= 0) return raise(exc.ValueError, "Total of weights must be greater than zero");
  if (!std::isfinite(total)) return raise(exc.ValueError, "Total of weights must be finite");
  for (int64_t i = 0; i < k; i++) {
    double x = mt.random() * total;
    int64_t j = std::upper_bound(cw.begin(), cw.end() - 1, x) - cw.begin();
    Value v = getitem(*pop, Value::integer(j));
    if (v.is_raised()) return v;
    result.push_back(std::move(v));
  }
  return new_list(std::move(result));
}

void init_random_type() {
  Type* t = random_type();
  t->module = "random";
  add_method(t, "__new__", random_new);
  add_method(t, "__init__", random_init);
}

struct Method { const char* name; NativeFn fn; };
const Method kMethods[] = {
    {"seed", random_seed},         {"random", random_random},     {"getrandbits", random_getrandbits},
    {"randrange", random_randrange}, {"randint", random_randint}, {"uniform", random_uniform},
    {"gauss", random_gauss},       {"choice", random_choice},
    {"shuffle", random_shuffle},   {"sample", random_sample},     {"choices", random_choices},
};

}  // namespace

void init_random(const Value& module) {
  static bool ready = false;
  if (!ready) {
    ready = true;
    init_random_type();
    for (const Method& m : kMethods) add_method(random_type(), m.name, m.fn);
  }
  DictObj* d = module_dict(module);
  dict_set_str(d, intern("Random"), Value::borrow(random_type()));
  auto* inst = new RandomObj(random_type());
  seed_from_urandom(inst->mt);
  Value shared = Value::adopt(inst);
  for (const Method& m : kMethods) {
    Value bound = getattr(shared, m.name);
    if (!bound.is_raised()) dict_set_str(d, intern(m.name), std::move(bound));
  }
}

}  // namespace aio
