// Types, natives, instances, and the argument helpers natives share.
#include "interp/object.h"

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"

namespace aio {

Types types;
constinit thread_local ThreadState* tstate = nullptr;

void destroy_object(Object* o) { delete o; }

uint64_t type_epoch = 1;

Type::Type(const std::string& n, Type* base) : Object(types.type), name(n), dict(new DictObj()) {
  dict->is_type_dict = true;
  ++type_epoch;  // a new type may reuse a freed one's address
  if (base) {
    bases.push_back(base);
    alloc = base->alloc;
  }
  mro.push_back(this);
  if (base)
    for (Type* t : base->mro) mro.push_back(t);
}

Type::~Type() {
  ++type_epoch;
  for (Type* b : bases) std::erase(b->subclasses, this);
  decref(dict);
  if (type != types.type) decref(type);  // a script metaclass (type.__new__ took a reference)
}

void set_type_dict(Type* t, DictObj* d) {
  incref(d);
  decref(t->dict);
  t->dict = d;
  d->is_type_dict = true;
  ++type_epoch;
}

Instance::Instance(Type* t) : Object(t), dict(new DictObj()) { incref(t); }
Instance::~Instance() {
  decref(dict);
  decref(type);
}

NativeObj::NativeObj(const char* n, NativeFn f) : Object(types.native), name(n), fn(f) {}

Value new_native(const char* name, NativeFn fn) { return Value::adopt(new NativeObj(name, fn)); }
Value none_value() { return Value(); }

void add_method(Type* t, const char* name, NativeFn fn) {
  dict_set_str(t->dict, intern(name), new_native(name, fn));
}

void add_attr(Type* t, const char* name, Value v) { dict_set_str(t->dict, intern(name), std::move(v)); }

std::string type_name(const Value& v) { return type_of(v)->name; }

Value raise(Type* exc_type, std::string msg) {
  std::vector<Value> args;
  args.push_back(new_str(std::move(msg)));
  Value e = make_exception(exc_type, std::move(args));
  return raise_value(std::move(e));
}

Value raise_value(Value e) {
  // An exception raised while another is being handled remembers it as its context.
  auto& h = tstate->handling;
  if (!h.empty() && !h.back().is(e) && is_exception(e)) {
    auto* x = as<ExcObj>(e);
    if (x->context.is_none()) x->context = h.back();
  }
  tstate->exc = std::move(e);
  return Value::raised();
}

bool check_args(const Args& a, const char* fname, size_t min, size_t max) {
  if (a.npos >= min && a.npos <= max) return true;
  std::string msg;
  if (min == max)
    msg = std::string(fname) + "() takes exactly " + std::to_string(min) + " argument" +
          (min == 1 ? "" : "s") + " (" + std::to_string(a.npos) + " given)";
  else if (a.npos < min)
    msg = std::string(fname) + " expected at least " + std::to_string(min) + " argument" +
          (min == 1 ? "" : "s") + ", got " + std::to_string(a.npos);
  else
    msg = std::string(fname) + " expected at most " + std::to_string(max) + " argument" +
          (max == 1 ? "" : "s") + ", got " + std::to_string(a.npos);
  raise(exc.TypeError, msg);
  return false;
}

bool no_kwargs(const Args& a, const char* fname) {
  if (a.nkw() == 0) return true;
  raise(exc.TypeError, std::string(fname) + "() takes no keyword arguments");
  return false;
}

const Value* arg_or_kw(const Args& a, size_t idx, const char* name) {
  if (idx < a.npos) return &a.pos[idx];
  for (size_t i = 0; i < a.nkw(); i++)
    if (str_of((*a.kwnames)[i]) == name) return &a.kwvals[i];
  return nullptr;
}

}  // namespace aio
