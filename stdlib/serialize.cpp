// The byte format behind serialize/deserialize: one tag byte per value, then its payload.
// Both ends run the same binary on the same machine, so numbers travel as raw native bytes.
// Every object gets a memo number when the reader has made it (mutable containers and
// instances before their contents, so cycles through them close; everything else after);
// a repeated object is sent as a reference to its number.
#include "stdlib/serialize.h"

#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/int.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/range.h"
#include "interp/set.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "interp/types.h"

namespace aio {

namespace {

// Raises and reports failure, for the bool-returning writers.
bool fail(Type* type, std::string message) {
  raise(type, std::move(message));
  return false;
}

enum Kind : char {
  kNone = 'N', kTrue = 'T', kFalse = 'F', kInt = 'I', kBigInt = 'L', kFloat = 'D',
  kStr = 'S', kBytes = 'B', kByteArray = 'A', kRange = 'r', kEllipsis = 'e', kNotImpl = 'n',
  kTuple = 'U', kList = 'l', kDict = 'd', kSet = 's', kFrozenSet = 'f',
  kGlobal = 'C',     // a class or function, by module and qualified name
  kInstance = 'O',   // class, then the __dict__ (None when empty)
  kSubclass = 'W',   // a script subclass of a builtin: class, __new__ args, contents, __dict__
  kException = 'X',  // class, args, str(e) (for a class the reader lacks), then the __dict__
  kMemo = 'M',       // an object already sent, by memo number
};

// pickle's own limit on nesting.
constexpr int kMaxDepth = 1000;
constexpr int kBigIntBase = 16;
constexpr const char* kMalformed = "malformed serialized value";

// Builtins whose script subclasses cross as their class, __new__ args and contents.
bool is_builtin_base(Type* t) {
  for (Type* b : {types.tuple, types.str, types.bytes, types.int_, types.float_, types.list, types.dict, types.set})
    if (t == b) return true;
  return false;
}

bool is_global(const Value& v) {
  Type* t = type_of(v);
  return t == types.type || is_subtype(t, types.type) || t == types.function;
}

// The native type instances of t are laid out as: a plain script class has object's.
Type* native_base(Type* t) {
  for (Type* m : t->mro)
    if (m->is_native) return m;
  return types.object;
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  bool value(const Value& v) {
    switch (v.tag()) {
      case Tag::None: return put(kNone);
      case Tag::Bool: return put(v.as_bool() ? kTrue : kFalse);
      case Tag::Int: return put(kInt) && raw(v.as_int());
      case Tag::Float: return put(kFloat) && raw(v.as_float());
      case Tag::Raised: return false;
      case Tag::Obj: break;
    }
    auto seen = memo_.find(v.obj());
    if (seen != memo_.end()) return put(kMemo) && raw(seen->second);
    if (open_.count(v.obj())) return fail(exc.ValueError, "cannot pickle a recursive " + type_name(v));
    if (depth_ >= kMaxDepth)
      return fail(exc.RecursionError, "maximum recursion depth exceeded while pickling an object");
    ++depth_;
    open_.insert(v.obj());
    bool ok = object(v);
    open_.erase(v.obj());
    --depth_;
    return ok;
  }

 private:
  bool put(char c) { out_ += c; return true; }
  template <class T>
  bool raw(T x) {
    out_.append(reinterpret_cast<const char*>(&x), sizeof x);
    return true;
  }
  bool text(std::string_view s) {
    raw(uint64_t(s.size()));
    out_ += s;
    return true;
  }
  bool remember(const Value& v) {
    memo_.emplace(v.obj(), next_memo_++);
    return true;
  }

  bool object(const Value& v) {
    Type* t = type_of(v);
    if (t == types.str) return put(kStr) && text(str_of(v)) && remember(v);
    if (t == types.int_) return put(kBigInt) && text(to_bigint(v).to_string(kBigIntBase)) && remember(v);
    if (t == types.bytes) return put(kBytes) && text(bytes_of(v)) && remember(v);
    if (t == types.bytearray) return put(kByteArray) && text(bytes_of(v)) && remember(v);
    if (t == types.tuple) return put(kTuple) && items(tuple_items(v)) && remember(v);
    if (t == types.list) return put(kList) && remember(v) && items(list_items(v));
    if (t == types.dict) return put(kDict) && remember(v) && dict(as_dict(v));
    if (t == types.set) return put(kSet) && remember(v) && set(as<SetObj>(v));
    if (t == types.frozenset) return put(kFrozenSet) && set(as<SetObj>(v)) && remember(v);
    if (t == types.range) return range(as<RangeObj>(v)) && remember(v);
    if (t == types.ellipsis) return put(kEllipsis);
    if (t == types.not_implemented) return put(kNotImpl);
    if (is_global(v)) return put(kGlobal) && global(v);
    if (is_exception(v)) return exception(v);
    if (!t->is_native && native_base(t) == types.object && v.obj()->attr_dict())
      return put(kInstance) && global(Value::borrow(t)) && remember(v) && state(v);
    if (!t->is_native && is_builtin_base(native_base(t))) return subclass_instance(v, native_base(t));
    return fail(exc.TypeError, "cannot pickle '" + type_name(v) + "' object");
  }

  // As pickle does for subclasses of builtins (a namedtuple, a Counter): the class makes the
  // object from __getnewargs__() (or the builtin value itself), then gets back what a mutable
  // one contains and the instance's __dict__.
  bool subclass_instance(const Value& v, Type* base) {
    Value args = new_args(v, base);
    if (args.is_raised()) return false;
    if (!put(kSubclass) || !global(Value::borrow(type_of(v))) || !value(args) || !remember(v)) return false;
    if (base == types.list) return put(kList) && items(list_items(v)) && state(v);
    if (base == types.dict) return put(kDict) && dict(as_dict(v)) && state(v);
    if (base == types.set) return put(kSet) && set(as<SetObj>(v)) && state(v);
    return put(kNone) && state(v);
  }

  static Value new_args(const Value& v, Type* base) {
    if (type_lookup(type_of(v), intern("__getnewargs__"))) {
      Value args = call_method(v, "__getnewargs__", {});
      if (args.is_raised() || is_exact(args, types.tuple)) return args;
      return raise(exc.TypeError, "__getnewargs__ should return a tuple, not '" + type_name(args) + "'");
    }
    if (base == types.tuple) return new_tuple({new_tuple(std::vector<Value>(tuple_items(v)))});
    if (base == types.str) return new_tuple({new_str(str_of(v))});
    if (base == types.bytes) return new_tuple({new_bytes(bytes_of(v))});
    if (base == types.int_ || base == types.float_) return new_tuple({num_unbox(v)});
    return empty_tuple();
  }

  bool items(const std::vector<Value>& xs) {
    raw(uint64_t(xs.size()));
    for (const Value& x : xs)
      if (!value(x)) return false;
    return true;
  }

  bool dict(DictObj* d) {
    raw(uint64_t(dict_len(d)));
    size_t at = 0;
    const DictObj::Entry* e;
    while (dict_next(d, at, e))
      if (!value(e->key) || !value(e->value)) return false;
    return true;
  }

  bool set(SetObj* s) {
    raw(uint64_t(set_len(s)));
    size_t at = 0;
    const SetObj::Entry* e;
    while (set_next(s, at, e))
      if (!value(e->key)) return false;
    return true;
  }

  bool range(RangeObj* r) { return put(kRange) && raw(r->start) && raw(r->stop) && raw(r->step); }

  // By name, as pickle does: only what the reader can find again under that name qualifies.
  bool global(const Value& v) {
    Value module = getattr(v, "__module__");
    if (module.is_raised()) return false;
    Value qualname = getattr(v, "__qualname__");
    if (qualname.is_raised()) return false;
    if (!is_str(module) || !is_str(qualname))
      return fail(exc.TypeError, "cannot pickle '" + type_name(v) + "' object");
    const std::string& q = str_of(qualname);
    if (q.find("<locals>") != std::string::npos)
      return fail(exc.AttributeError, "Can't pickle local object '" + q + "'");
    Value found = lookup_global(str_of(module), q);
    if (found.is_raised() || !found.is(v)) {
      if (found.is_raised()) take_exception();
      std::string shown;
      if (!repr_string(v, shown)) return false;
      return fail(exc.TypeError, "Can't pickle " + shown + ": attribute lookup " + q + " on " +
                                      str_of(module) + " failed");
    }
    return text(str_of(module)) && text(q);
  }

  // The __dict__, or None when there is nothing in it.
  bool state(const Value& v) {
    DictObj* d = v.obj()->attr_dict();
    if (!d || dict_len(d) == 0) return put(kNone);
    return put(kDict) && remember(Value::borrow(d)) && dict(d);
  }

  bool exception(const Value& v) {
    Value cls = Value::borrow(type_of(v));
    std::string message = exception_message(v);
    return put(kException) && global(cls) && value(as<ExcObj>(v)->args) && text(message) && state(v) &&
           remember(v);
  }

  std::string& out_;
  std::unordered_map<const Object*, uint64_t> memo_;
  std::unordered_set<const Object*> open_;  // being written: met again, it is a cycle
  uint64_t next_memo_ = 0;
  int depth_ = 0;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  Value value() {
    char tag;
    if (!take(tag)) return malformed();
    if (depth_ >= kMaxDepth) return malformed();
    ++depth_;
    Value v = tagged(tag);
    --depth_;
    return v;
  }

  bool at_end() const { return at_ == in_.size(); }

 private:
  static Value malformed() { return raise(exc.ValueError, kMalformed); }

  template <class T>
  bool take(T& x) {
    if (in_.size() - at_ < sizeof x) return false;
    memcpy(&x, in_.data() + at_, sizeof x);
    at_ += sizeof x;
    return true;
  }
  bool text(std::string_view& s) {
    uint64_t n;
    if (!take(n) || in_.size() - at_ < n) return false;
    s = in_.substr(at_, n);
    at_ += n;
    return true;
  }
  Value remember(Value v) {
    memo_.push_back(v);
    return v;
  }

  Value tagged(char tag) {
    switch (tag) {
      case kNone: return Value();
      case kTrue: return Value::boolean(true);
      case kFalse: return Value::boolean(false);
      case kEllipsis: return ellipsis();
      case kNotImpl: return not_implemented();
      case kInt: { int64_t i; return take(i) ? Value::integer(i) : malformed(); }
      case kFloat: { double d; return take(d) ? Value::real(d) : malformed(); }
      case kStr: case kBytes: case kByteArray: case kBigInt: return scalar(tag);
      case kRange: return range();
      case kTuple: case kFrozenSet: return immutable(tag);
      case kList: case kDict: case kSet: return container(tag);
      case kGlobal: return global();
      case kInstance: return instance();
      case kSubclass: return subclass_instance();
      case kException: return exception();
      case kMemo: {
        uint64_t i;
        return take(i) && i < memo_.size() ? memo_[i] : malformed();
      }
      default: return malformed();
    }
  }

  Value scalar(char tag) {
    std::string_view s;
    if (!text(s)) return malformed();
    if (tag == kStr) return remember(new_str(s));
    if (tag == kBytes) return remember(new_bytes(std::string(s)));
    if (tag == kByteArray) return remember(new_bytearray(std::string(s)));
    std::optional<BigInt> n = BigInt::parse(s, kBigIntBase);
    return n ? remember(make_int(std::move(*n))) : malformed();
  }

  Value range() {
    int64_t start, stop, step;
    if (!take(start) || !take(stop) || !take(step) || step == 0) return malformed();
    return remember(new_range(start, stop, step));
  }

  // A count, then that many values.
  bool items(std::vector<Value>& out) {
    uint64_t n;
    if (!take(n) || n > in_.size() - at_) return fail(exc.ValueError, kMalformed);
    out.reserve(n);
    for (uint64_t i = 0; i < n; i++) {
      Value x = value();
      if (x.is_raised()) return false;
      out.push_back(std::move(x));
    }
    return true;
  }

  Value immutable(char tag) {
    std::vector<Value> xs;
    if (!items(xs)) return Value::raised();
    if (tag == kTuple) return remember(new_tuple(std::move(xs)));
    Value s = new_frozenset();
    for (const Value& x : xs)
      if (!set_add(as<SetObj>(s), x)) return Value::raised();
    return remember(s);
  }

  Value container(char tag) {
    Value c = tag == kList ? new_list({}) : tag == kDict ? new_dict() : new_set();
    remember(c);
    return fill(c, tag) ? c : Value::raised();
  }

  bool fill(const Value& c, char tag) {
    uint64_t n;
    if (!take(n) || n > in_.size() - at_) return fail(exc.ValueError, kMalformed);
    for (uint64_t i = 0; i < n; i++) {
      Value x = value();
      if (x.is_raised()) return false;
      if (tag == kList) {
        list_append(as<ListObj>(c), std::move(x));
      } else if (tag == kSet) {
        if (!set_add(as<SetObj>(c), x)) return false;
      } else {
        Value y = value();
        if (y.is_raised() || !dict_set(as_dict(c), x, std::move(y))) return false;
      }
    }
    return true;
  }

  bool global_name(std::string_view& module, std::string_view& qualname) { return text(module) && text(qualname); }

  Value global() {
    std::string_view module, qualname;
    if (!global_name(module, qualname)) return malformed();
    return lookup_global(std::string(module), std::string(qualname));
  }

  // Copies a __dict__ sent by state() into v's own, as pickle does (no __setattr__ calls).
  bool restore_state(const Value& v) {
    Value st = value();
    if (st.is_raised()) return false;
    if (st.is_none()) return true;
    DictObj* d = v.obj()->attr_dict();
    if (!is_exact(st, types.dict) || !d) return fail(exc.ValueError, kMalformed);
    size_t at = 0;
    const DictObj::Entry* e;
    while (dict_next(as_dict(st), at, e))
      if (!dict_set(d, e->key, e->value)) return false;
    return true;
  }

  Value instance() {
    Value cls = global();
    if (cls.is_raised()) return cls;
    if (!isinstance(cls, types.type) || !as<Type>(cls)->alloc) return malformed();
    Type* t = as<Type>(cls);
    Value obj = remember(Value::adopt(t->alloc(t)));
    return restore_state(obj) ? obj : Value::raised();
  }

  Value subclass_instance() {
    Value cls = global();
    if (cls.is_raised()) return cls;
    Value args = value();
    if (args.is_raised()) return args;
    if (!isinstance(cls, types.type) || !is_exact(args, types.tuple)) return malformed();
    Value make = getattr(cls, "__new__");
    if (make.is_raised()) return make;
    PrependedArgs call_args(cls, Args{tuple_items(args).data(), tuple_items(args).size()});
    Value obj = call(make, call_args.args());
    if (obj.is_raised()) return obj;
    remember(obj);
    char tag;
    if (!take(tag)) return malformed();
    if (tag != kNone && !fill_subclass(obj, tag)) return Value::raised();
    return restore_state(obj) ? obj : Value::raised();
  }

  // The contents of a list, dict or set subclass, put straight into the object made for it.
  bool fill_subclass(const Value& obj, char tag) {
    Type* base = native_base(type_of(obj));
    bool fits = (tag == kList && base == types.list) || (tag == kDict && base == types.dict) ||
                (tag == kSet && base == types.set);
    return fits ? fill(obj, tag) : fail(exc.ValueError, kMalformed);
  }

  // Made by calling the class with its args, as pickle does; a class the reader cannot find
  // becomes a RuntimeError carrying the exception's text.
  Value exception() {
    std::string_view module, qualname, message;
    if (!global_name(module, qualname)) return malformed();
    Value args = value();
    if (args.is_raised()) return args;
    if (!is_exact(args, types.tuple) || !text(message)) return malformed();
    Value cls = lookup_global(std::string(module), std::string(qualname));
    Value e;
    if (cls.is_raised() || !isinstance(cls, types.type) || !is_subtype(as<Type>(cls), exc.BaseException)) {
      if (cls.is_raised()) take_exception();
      e = make_exception(exc.RuntimeError, {new_str(message)});
    } else {
      const std::vector<Value>& xs = tuple_items(args);
      e = call(cls, Args{xs.data(), xs.size()});
      if (e.is_raised()) return e;
    }
    if (!restore_state(e)) return Value::raised();
    return remember(e);
  }

  std::string_view in_;
  size_t at_ = 0;
  std::vector<Value> memo_;
  int depth_ = 0;
};

}  // namespace

Value lookup_global(const std::string& module, const std::string& qualname) {
  Value m = import_module(module, nullptr);
  if (m.is_raised()) return m;
  size_t start = 0;
  while (start <= qualname.size()) {
    size_t dot = qualname.find('.', start);
    if (dot == std::string::npos) dot = qualname.size();
    m = getattr(m, intern(std::string_view(qualname).substr(start, dot - start)));
    if (m.is_raised()) return m;
    start = dot + 1;
  }
  return m;
}

bool serialize(const Value& v, std::string& out) { return Writer(out).value(v); }

Value deserialize(std::string_view data) {
  Reader r(data);
  Value v = r.value();
  if (!v.is_raised() && !r.at_end()) return raise(exc.ValueError, kMalformed);
  return v;
}

}  // namespace aio
