// The builtin functions: printing and input, conversions, reductions, introspection.
#include "stdlib/builtins.h"
#include "stdlib/native_args.h"

#include <cstdio>
#include <cstring>
#include <set>
#include <string>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/function.h"
#include "interp/int.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "interp/union_type.h"
#include "stdlib/file.h"
#include "stdlib/line_input.h"

namespace aio {

Value ellipsis();  // the Ellipsis singleton (eval.cpp makes it for `...`)

namespace {

constexpr uint32_t kMaxCodePoint = 0x10FFFF;

// Calls obj's special method `name` found on its type; `found` false when the type has none.
Value call_dunder(const Value& obj, const char* name, std::initializer_list<Value> rest, bool& found) {
  Value* fn = type_lookup(type_of(obj), intern(name));
  found = fn != nullptr;
  if (!found) return Value();
  std::vector<Value> args{obj};
  args.insert(args.end(), rest.begin(), rest.end());
  Args a;
  a.pos = args.data();
  a.npos = args.size();
  return call(*fn, a);
}

// ---- printing and input ----

bool optional_text(const Value* v, const char* what, std::string& out, const char* dflt) {
  if (!v || v->is_none()) {
    out = dflt;
    return true;
  }
  if (!is_str(*v)) {
    raise(exc.TypeError, std::string(what) + " must be None or a string, not " + type_name(*v));
    return false;
  }
  out = str_of(*v);
  return true;
}

Value builtin_print(const Args& a) {
  std::string sep, end, text;
  if (!optional_text(kwarg(a, "sep"), "sep", sep, " ") ||
      !optional_text(kwarg(a, "end"), "end", end, "\n"))
    return Value::raised();
  for (size_t i = 0; i < a.npos; i++) {
    if (i) text += sep;
    if (is_exact(a[i], types.str)) text += str_of(a[i]);
    else if (!str_string(a[i], text)) return Value::raised();
  }
  text += end;
  const Value* file = kwarg(a, "file");
  Value target = (file && !file->is_none()) ? *file : redirected_stdout();
  const Value* flush = kwarg(a, "flush");
  int want_flush = flush ? truthy(*flush) : 0;
  if (want_flush < 0) return Value::raised();
  if (target.is_none() || target.is(stdout_object())) {
    write_stdout(text);
    if (want_flush) flush_stdout();
    return stdout_written() ? Value() : Value::raised();
  }
  if (call_method(target, "write", {new_str(std::move(text))}).is_raised()) return Value::raised();
  if (want_flush && call_method(target, "flush", {}).is_raised()) return Value::raised();
  return Value();
}

Value builtin_input(const Args& a) {
  if (!check_args(a, "input", 0, 1)) return Value::raised();
  std::string prompt;
  if (a.npos == 1 && !str_string(a[0], prompt)) return Value::raised();
  return input_line(prompt);
}

// ---- conversions ----

Value builtin_len(const Args& a) {
  if (!check_args(a, "len", 1, 1)) return Value::raised();
  return length(a[0]);
}

Value builtin_repr(const Args& a) {
  if (!check_args(a, "repr", 1, 1)) return Value::raised();
  return repr(a[0]);
}

Value builtin_ascii(const Args& a) {
  if (!check_args(a, "ascii", 1, 1)) return Value::raised();
  std::string r;
  if (!repr_string(a[0], r)) return Value::raised();
  return new_str(ascii_escape(r));
}

Value builtin_format(const Args& a) {
  if (!check_args(a, "format", 1, 2)) return Value::raised();
  if (a.npos == 2 && !is_str(a[1]))
    return raise(exc.TypeError, "format() argument 2 must be str, not " + type_name(a[1]));
  return format_value(a[0], a.npos == 2 ? a[1] : intern(""));
}

Value builtin_chr(const Args& a) {
  if (!check_args(a, "chr", 1, 1)) return Value::raised();
  int64_t cp;
  if (!index_of(a[0], cp)) return Value::raised();
  if (cp < 0 || cp > kMaxCodePoint) return raise(exc.ValueError, "chr() arg not in range(0x110000)");
  return str_char(static_cast<uint32_t>(cp));
}

Value builtin_ord(const Args& a) {
  if (!check_args(a, "ord", 1, 1)) return Value::raised();
  if (is_str(a[0])) {
    const StrObj* s = as<StrObj>(a[0]);
    if (s->length != 1)
      return raise(exc.TypeError, "ord() expected a character, but string of length " +
                                      std::to_string(s->length) + " found");
    size_t i = 0;
    return Value::integer(decode_utf8(s->s, i));
  }
  if (is_byteslike(a[0])) {
    const std::string& b = bytes_of(a[0]);
    if (b.size() != 1)
      return raise(exc.TypeError, "ord() expected a character, but string of length " +
                                      std::to_string(b.size()) + " found");
    return Value::integer(static_cast<unsigned char>(b[0]));
  }
  return raise(exc.TypeError, "ord() expected string of length 1, but " + type_name(a[0]) + " found");
}

// hex(), oct(), bin(): the int (or __index__) with its base prefix.
Value prefixed(const Args& a, const char* name, int base) {
  if (!check_args(a, name, 1, 1)) return Value::raised();
  if (is_intlike(a[0])) return new_str(to_bigint(a[0]).to_prefixed(base));
  int64_t i;
  if (!index_of(a[0], i)) return Value::raised();
  return new_str(BigInt(i).to_prefixed(base));
}

Value builtin_hex(const Args& a) { return prefixed(a, "hex", 16); }
Value builtin_oct(const Args& a) { return prefixed(a, "oct", 8); }
Value builtin_bin(const Args& a) { return prefixed(a, "bin", 2); }

// ---- arithmetic ----

Value builtin_abs(const Args& a) {
  if (!check_args(a, "abs", 1, 1)) return Value::raised();
  bool found;
  Value r = call_dunder(a[0], "__abs__", {}, found);
  if (!found) return raise(exc.TypeError, "bad operand type for abs(): '" + type_name(a[0]) + "'");
  return r;
}

Value builtin_round(const Args& a) {
  const Value* number = arg_or_kw(a, 0, "number");
  const Value* ndigits = arg_or_kw(a, 1, "ndigits");
  if (!number) return raise(exc.TypeError, "round() missing required argument 'number' (pos 1)");
  bool found;
  Value r = (ndigits && !ndigits->is_none()) ? call_dunder(*number, "__round__", {*ndigits}, found)
                                             : call_dunder(*number, "__round__", {}, found);
  if (!found)
    return raise(exc.TypeError, "type " + type_name(*number) + " doesn't define __round__ method");
  return r;
}

Value builtin_divmod(const Args& a) {
  if (!check_args(a, "divmod", 2, 2)) return Value::raised();
  bool found;
  Value r = call_dunder(a[0], "__divmod__", {a[1]}, found);
  if (found && !is_not_implemented(r)) return r;
  r = call_dunder(a[1], "__rdivmod__", {a[0]}, found);
  if (found && !is_not_implemented(r)) return r;
  return raise(exc.TypeError, "unsupported operand type(s) for divmod(): '" + type_name(a[0]) +
                                  "' and '" + type_name(a[1]) + "'");
}

Value builtin_pow(const Args& a) {
  const Value* base = arg_or_kw(a, 0, "base");
  const Value* exp = arg_or_kw(a, 1, "exp");
  const Value* mod = arg_or_kw(a, 2, "mod");
  if (!base || !exp) return raise(exc.TypeError, "pow() missing required argument 'exp' (pos 2)");
  if (!mod || mod->is_none()) return binary_op(BinOpKind::Pow, *base, *exp);
  if (!is_intlike(*base) || !is_intlike(*exp) || !is_intlike(*mod))
    return raise(exc.TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
  BigInt m = to_bigint(*mod);
  if (m.is_zero()) return raise(exc.ValueError, "pow() 3rd argument cannot be 0");
  auto r = pow_mod(to_bigint(*base), to_bigint(*exp), m);
  if (!r) return raise_num(r.error());
  return make_int(std::move(*r));
}

// ---- reductions ----

// min() and max(): one iterable or several arguments, key= and default=.
Value min_max(const Args& a, const char* name, CmpOp better) {
  const Value* key = kwarg(a, "key");
  const Value* dflt = kwarg(a, "default");
  if (a.npos == 0)
    return raise(exc.TypeError, std::string(name) + " expected at least 1 argument, got 0");
  if (a.npos > 1 && dflt)
    return raise(exc.TypeError, std::string("Cannot specify a default for ") + name +
                                    "() with multiple positional arguments");
  Value it = get_iter(a.npos == 1 ? a[0] : new_tuple(std::vector<Value>(a.pos, a.pos + a.npos)));
  if (it.is_raised()) return it;
  bool have_key = key && !key->is_none();
  Value best, best_key, item;
  bool any = false;
  while (next_item(it, item)) {
    Value k = have_key ? call(*key, {item}) : item;
    if (k.is_raised()) return k;
    if (any) {
      int c = compare_bool(better, k, best_key);
      if (c < 0) return Value::raised();
      if (!c) continue;
    }
    any = true;
    best = item;
    best_key = k;
  }
  if (item.is_raised()) return item;
  if (any) return best;
  if (dflt) return *dflt;
  return raise(exc.ValueError, std::string(name) + "() arg is an empty sequence");
}

Value builtin_min(const Args& a) { return min_max(a, "min", CmpOp::Lt); }
Value builtin_max(const Args& a) { return min_max(a, "max", CmpOp::Gt); }

Value builtin_sum(const Args& a) {
  if (!check_args(a, "sum", 1, 2)) return Value::raised();
  const Value* start = arg_or_kw(a, 1, "start");
  Value total = start ? *start : Value::integer(0);
  if (is_str(total)) return raise(exc.TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
  if (is_bytes(total)) return raise(exc.TypeError, "sum() can't sum bytes [use b''.join(seq) instead]");
  if (is_byteslike(total))
    return raise(exc.TypeError, "sum() can't sum bytearray [use b''.join(seq) instead]");
  Value it = get_iter(a[0]);
  if (it.is_raised()) return it;
  Value item;
  while (next_item(it, item)) {
    if (total.is_int() && item.is_int()) {
      if (auto s = i64_add(total.as_int(), item.as_int())) {
        total = Value::integer(*s);
        continue;
      }
    } else if (total.is_float() && (item.is_float() || item.is_int())) {
      total = Value::real(total.as_float() + (item.is_float() ? item.as_float() : double(item.as_int())));
      continue;
    }
    total = binary_op(BinOpKind::Add, total, item);
    if (total.is_raised()) return total;
  }
  return item.is_raised() ? item : total;
}

Value builtin_sorted(const Args& a) {
  if (a.npos != 1)
    return raise(exc.TypeError, "sorted expected 1 argument, got " + std::to_string(a.npos));
  std::vector<Value> items;
  if (!collect(a[0], items)) return Value::raised();
  Value list = new_list(std::move(items));
  Value sort = getattr(list, "sort");
  if (sort.is_raised()) return sort;
  Args kw = a;
  kw.pos = nullptr;
  kw.npos = 0;
  if (call(sort, kw).is_raised()) return Value::raised();
  return list;
}

// any() and all(): stops at the first item whose truth is `stop_at`.
Value any_all(const Args& a, const char* name, bool stop_at) {
  if (!check_args(a, name, 1, 1)) return Value::raised();
  Value it = get_iter(a[0]);
  if (it.is_raised()) return it;
  Value item;
  while (next_item(it, item)) {
    int t = truthy(item);
    if (t < 0) return Value::raised();
    if (static_cast<bool>(t) == stop_at) return Value::boolean(stop_at);
  }
  return item.is_raised() ? item : Value::boolean(!stop_at);
}

Value builtin_any(const Args& a) { return any_all(a, "any", true); }
Value builtin_all(const Args& a) { return any_all(a, "all", false); }

// ---- types and attributes ----

bool is_type(const Value& v) { return v.is_obj() && is_subtype(v.obj()->type, types.type); }

// A script metaclass's __instancecheck__/__subclasscheck__ for cls, when it defines one: 1 or 0
// as it answered, -1 raised, 2 when there is none.
int metaclass_check(const Value& cls, const Value& x, bool instance) {
  Type* meta = type_of(cls);
  if (meta->is_native) return 2;
  Value* hook = type_lookup(meta, intern(instance ? "__instancecheck__" : "__subclasscheck__"));
  if (!hook || !is_exact(*hook, types.function)) return 2;
  Value r = call(*hook, {cls, x});
  return r.is_raised() ? -1 : truthy(r);
}

// isinstance(x, cls) when `instance`, else issubclass(x, cls); cls may be a type or a (nested)
// tuple or union of them. -1: raised.
int matches_class(const Value& x, const Value& cls, bool instance) {
  if (is_type(cls)) {
    Type* t = instance ? type_of(x) : as<Type>(x);
    if (instance && t == as<Type>(cls)) return 1;  // CPython asks no hook for the exact type
    int r = metaclass_check(cls, x, instance);
    return r != 2 ? r : is_subtype(t, as<Type>(cls)) ? 1 : 0;
  }
  const std::vector<Value>* members = union_members(cls);
  if (members || isinstance(cls, types.tuple)) {
    for (const Value& c : members ? *members : tuple_items(cls)) {
      int r = matches_class(x, c, instance);
      if (r != 0) return r;
    }
    return 0;
  }
  raise(exc.TypeError, std::string(instance ? "isinstance" : "issubclass") +
                           "() arg 2 must be a type, a tuple of types, or a union");
  return -1;
}

Value builtin_isinstance(const Args& a) {
  if (!check_args(a, "isinstance", 2, 2)) return Value::raised();
  int r = matches_class(a[0], a[1], true);
  return r < 0 ? Value::raised() : Value::boolean(r);
}

Value builtin_issubclass(const Args& a) {
  if (!check_args(a, "issubclass", 2, 2)) return Value::raised();
  if (!is_type(a[0])) return raise(exc.TypeError, "issubclass() arg 1 must be a class");
  int r = matches_class(a[0], a[1], false);
  return r < 0 ? Value::raised() : Value::boolean(r);
}

bool check_attr_name(const Value& name) {
  if (is_str(name)) return true;
  raise(exc.TypeError, "attribute name must be string, not '" + type_name(name) + "'");
  return false;
}

// getattr that turns an AttributeError into "missing": 1 found, 0 missing, -1 raised.
int lookup_attr(const Value& obj, const Value& name, Value& out) {
  int r = getattr_opt(obj, intern(str_of(name)), out);
  if (r < 0 && exception_matches(exc.AttributeError)) {
    take_exception();
    return 0;
  }
  return r;
}

Value builtin_getattr(const Args& a) {
  if (!check_args(a, "getattr", 2, 3) || !check_attr_name(a[1])) return Value::raised();
  if (a.npos == 2) return getattr(a[0], intern(str_of(a[1])));
  Value out;
  int r = lookup_attr(a[0], a[1], out);
  if (r < 0) return Value::raised();
  return r ? out : a[2];
}

Value builtin_hasattr(const Args& a) {
  if (!check_args(a, "hasattr", 2, 2) || !check_attr_name(a[1])) return Value::raised();
  Value out;
  int r = lookup_attr(a[0], a[1], out);
  return r < 0 ? Value::raised() : Value::boolean(r);
}

Value builtin_setattr(const Args& a) {
  if (!check_args(a, "setattr", 3, 3) || !check_attr_name(a[1])) return Value::raised();
  return setattr(a[0], intern(str_of(a[1])), a[2]) ? Value() : Value::raised();
}

Value builtin_delattr(const Args& a) {
  if (!check_args(a, "delattr", 2, 2) || !check_attr_name(a[1])) return Value::raised();
  return delattr(a[0], intern(str_of(a[1]))) ? Value() : Value::raised();
}

// Immediates have no address: their id is derived from the value (odd, unlike object addresses).
constexpr int64_t kIdNone = 1, kIdFalse = 3, kIdTrue = 5;

Value builtin_id(const Args& a) {
  if (!check_args(a, "id", 1, 1)) return Value::raised();
  const Value& v = a[0];
  switch (v.tag()) {
    case Tag::None: return Value::integer(kIdNone);
    case Tag::Bool: return Value::integer(v.as_bool() ? kIdTrue : kIdFalse);
    case Tag::Int: return Value::integer(static_cast<int64_t>(static_cast<uint64_t>(v.as_int()) << 3 | 7));
    case Tag::Float: {
      int64_t bits;
      double d = v.as_float();
      std::memcpy(&bits, &d, sizeof bits);
      return Value::integer(bits | 1);
    }
    default: return Value::integer(static_cast<int64_t>(reinterpret_cast<uintptr_t>(v.obj())));
  }
}

Value builtin_hash(const Args& a) {
  if (!check_args(a, "hash", 1, 1)) return Value::raised();
  int64_t h;
  if (!hash_value(a[0], h)) return Value::raised();
  return Value::integer(h);
}

Value builtin_callable(const Args& a) {
  if (!check_args(a, "callable", 1, 1)) return Value::raised();
  return Value::boolean(is_callable(a[0]));
}

// ---- namespaces ----

Value builtin_globals(const Args& a) {
  if (!check_args(a, "globals", 0, 0)) return Value::raised();
  return tstate->frame() ? Value::borrow(tstate->frame()->globals()) : Value();
}

}  // namespace

// A function's locals as a fresh dict; a module or class body's namespace itself.
Value current_locals() {
  Frame* f = tstate->frame();
  if (!f) return new_dict();
  if (DictObj* d = f->locals_dict()) return Value::borrow(d);
  if (!f->func) return Value::borrow(f->globals());
  Value d = new_dict();
  const std::vector<Value>& names = f->code->slot_names;
  for (size_t i = 0; i < names.size() && i < static_cast<size_t>(f->code->nslots); i++) {
    if (names[i].is_none()) continue;
    Value v = f->slots[i];
    if (is_exact(v, types.cell)) {
      auto* c = as<CellObj>(v);
      if (c->empty) continue;
      v = c->value;
    }
    if (v.is_raised()) continue;
    dict_set_str(as_dict(d), names[i], v);
  }
  return d;
}

namespace {

Value builtin_locals(const Args& a) {
  if (!check_args(a, "locals", 0, 0)) return Value::raised();
  return current_locals();
}

// The __dict__ of a module, class or instance; nullptr when the object has none.
DictObj* dict_of(const Value& v) {
  if (!v.is_obj()) return nullptr;
  Object* o = v.obj();
  if (is_type(v)) return as<Type>(v)->dict;
  return o->attr_dict();
}

Value builtin_vars(const Args& a) {
  if (!check_args(a, "vars", 0, 1)) return Value::raised();
  if (a.npos == 0) return current_locals();
  DictObj* d = dict_of(a[0]);
  if (!d) return raise(exc.TypeError, "vars() argument must have __dict__ attribute");
  return Value::borrow(d);
}

void add_keys(DictObj* d, std::set<std::string>& names) {
  size_t pos = 0;
  const DictObj::Entry* e;
  while (dict_next(d, pos, e))
    if (is_str(e->key)) names.insert(str_of(e->key));
}

Value builtin_dir(const Args& a) {
  if (!check_args(a, "dir", 0, 1)) return Value::raised();
  std::set<std::string> names;
  if (a.npos == 0) {
    Value l = current_locals();
    add_keys(as_dict(l), names);
  } else {
    const Value& v = a[0];
    // A script class's __dir__ (a metaclass's, for a class) decides; dir() sorts what it gives.
    Type* vt = type_of(v);
    if (Value* hook = vt->is_native ? nullptr : type_lookup(vt, intern("__dir__")); hook && is_exact(*hook, types.function)) {
      Value listed = call(*hook, {v});
      if (listed.is_raised()) return listed;
      std::vector<Value> items;
      if (!collect(listed, items)) return Value::raised();
      Value l = new_list(std::move(items));
      Value sorted = call_method(l, "sort", {});
      return sorted.is_raised() ? sorted : l;
    }
    if (DictObj* d = dict_of(v)) add_keys(d, names);
    bool is_module = v.is_obj() && v.obj()->type == types.module;
    if (!is_module)
      for (Type* t : (is_type(v) ? as<Type>(v) : type_of(v))->mro) add_keys(t->dict, names);
  }
  std::vector<Value> out;
  for (const std::string& n : names) out.push_back(new_str(n));
  return new_list(std::move(out));
}

// ---- leaving ----

Value builtin_exit(const Args& a) {
  std::vector<Value> args(a.pos, a.pos + a.npos);
  return raise_value(make_exception(exc.SystemExit, std::move(args)));
}

}  // namespace

void init_builtins(const Value& module) {
  struct Entry { const char* name; NativeFn fn; };
  static const Entry entries[] = {
      {"print", builtin_print},       {"input", builtin_input},
      {"len", builtin_len},           {"repr", builtin_repr},
      {"ascii", builtin_ascii},       {"format", builtin_format},
      {"chr", builtin_chr},           {"ord", builtin_ord},
      {"hex", builtin_hex},           {"oct", builtin_oct},
      {"bin", builtin_bin},           {"abs", builtin_abs},
      {"round", builtin_round},       {"divmod", builtin_divmod},
      {"pow", builtin_pow},           {"min", builtin_min},
      {"max", builtin_max},           {"sum", builtin_sum},
      {"sorted", builtin_sorted},     {"any", builtin_any},
      {"all", builtin_all},           {"isinstance", builtin_isinstance},
      {"issubclass", builtin_issubclass}, {"getattr", builtin_getattr},
      {"hasattr", builtin_hasattr},   {"setattr", builtin_setattr},
      {"delattr", builtin_delattr},   {"id", builtin_id},
      {"hash", builtin_hash},         {"callable", builtin_callable},
      {"globals", builtin_globals},   {"locals", builtin_locals},
      {"vars", builtin_vars},         {"dir", builtin_dir},
      {"open", builtin_open},         {"exit", builtin_exit},
      {"quit", builtin_exit},
  };
  for (const Entry& e : entries) add_function(module, e.name, e.fn);
  init_builtin_iterators(module);
  init_exec_builtins(module);
  DictObj* d = module_dict(module);
  dict_set_str(d, intern("NotImplemented"), not_implemented());
  dict_set_str(d, intern("Ellipsis"), ellipsis());
}

void bind_builtin_types(const Value& module) {
  DictObj* d = module_dict(module);
  for (Type* t : {types.int_, types.float_, types.str, types.boolean, types.list, types.tuple,
                  types.dict, types.set, types.frozenset, types.bytes, types.bytearray, types.range,
                  types.slice, types.type, types.object, types.property, types.staticmethod,
                  types.classmethod, types.super, types.complex})
    if (t) dict_set_str(d, intern(t->name), Value::borrow(t));
  // ExcTypes is a plain struct of Type pointers: walk it rather than list 60 names twice.
  static_assert(sizeof(ExcTypes) % sizeof(Type*) == 0);
  Type** all = reinterpret_cast<Type**>(&exc);
  for (size_t i = 0; i < sizeof(ExcTypes) / sizeof(Type*); i++)
    if (all[i]) dict_set_str(d, intern(all[i]->name), Value::borrow(all[i]));
  dict_set_str(d, intern("IOError"), Value::borrow(exc.OSError));
  dict_set_str(d, intern("EnvironmentError"), Value::borrow(exc.OSError));
}

}  // namespace aio
