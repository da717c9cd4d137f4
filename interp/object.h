// The object model: types, native callables, and the handful of helpers every
// other file uses to make, inspect and raise values.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "interp/value.h"

namespace aio {

struct Type;
struct DictObj;
struct StrObj;
struct TupleObj;

// Arguments of a call as natives see them: positional values, then keyword values named by kwnames.
struct Args {
  const Value* pos = nullptr;
  size_t npos = 0;
  const Value* kwvals = nullptr;
  const std::vector<Value>* kwnames = nullptr;  // interned StrObj values, one per kwval
  size_t nkw() const { return kwnames ? kwnames->size() : 0; }
  const Value& operator[](size_t i) const { return pos[i]; }
};

using NativeFn = Value (*)(const Args& args);

// A native function or method; `self` is bound for methods fetched from an instance.
struct NativeObj : Object {
  const char* name;
  NativeFn fn;
  Value self;  // None for unbound
  bool bound = false;
  NativeObj(const char* n, NativeFn f);
  // A type's own method: found on a class, it binds to the instance. A module's function (len,
  // time.gmtime) or a bound method stored on a class does not, as in CPython.
  bool binds() const { return !bound && self.is_none(); }
};

// Instance-allocation hook: makes an empty instance of `t` (a subclass may pass its own type).
using AllocFn = Object* (*)(Type* t);

// One step of a resumable iterator: what yield-from / await / a Task get back from it.
enum class GenResult { Yielded, Returned, Raised };
// Native awaitables resume through this slot: no method lookup and no StopIteration object.
// `throwing` means `sent` is an exception to raise inside; Returned carries the result in `out`.
using SendFn = GenResult (*)(const Value& self, Value sent, bool throwing, Value& out);

struct Type : Object {
  std::string name;
  std::vector<Type*> bases;
  std::vector<Type*> mro;  // C3 linearization, self first
  std::vector<Type*> subclasses;  // classes made with this as a base, not owned: each leaves when freed
  DictObj* dict;           // attributes and methods
  AllocFn alloc = nullptr; // how instances are made (inherited from the nearest native base)
  bool is_native = true;   // defined in C++ (false for `class` statements)
  bool has_getattr = false;  // user __getattr__ somewhere in the MRO (cached at class creation)
  bool is_abstract = false;  // __abstractmethods__ set non-empty: object.__new__ refuses it
  SendFn send = nullptr;     // native awaitable: `await x` drives x itself through this
  std::string module = "builtins";
  // Native iterator types: next_item advances them with no method call (its contract).
  bool (*iternext)(Object* it, Value& out) = nullptr;
  explicit Type(const std::string& n, Type* base = nullptr);
  ~Type() override;
};

// Bumped whenever any type's attributes may have changed (a type dict written, a type made or
// freed): type_lookup's cache is valid only within one epoch.
extern uint64_t type_epoch;
// Gives t a new attribute dict (class creation), which type_lookup's cache then watches.
void set_type_dict(Type* t, DictObj* d);

// An instance of a user-defined class: attributes live in a dict.
struct Instance : Object {
  DictObj* dict;
  explicit Instance(Type* t);
  ~Instance() override;
  DictObj* attr_dict() override { return dict; }
};

// ---- the built-in types, made once ----
struct Types {
  Type *object, *type, *none, *boolean, *int_, *float_, *str, *bytes, *list, *tuple, *dict,
      *set, *frozenset, *range, *slice, *function, *native, *method, *cell, *module, *property,
      *staticmethod, *classmethod, *super, *generator, *coroutine, *async_generator,
      *not_implemented, *ellipsis, *iterator, *dict_keys, *dict_values, *dict_items, *code,
      *bytearray, *complex, *native_getset, *seq_iterator;
};
extern Types types;

// ---- interpreter-wide state, per OS thread that runs script code ----
struct Frame;
struct Interp;

// A running frame, its caller, and the depth of ThreadState::handling when it was entered. It
// lives on run_frame's native stack, so a suspended frame carries none of this.
struct ActiveFrame {
  Frame* frame;
  ActiveFrame* back;
  uint32_t handling_base;
};

struct ThreadState {
  Interp* interp;
  Value exc;                 // the exception being propagated (when a call returned raised())
  std::vector<Value> handling;  // exceptions being handled by except blocks (for context and bare raise)
  int depth = 0;             // script call depth, for RecursionError
  char* stack_limit = nullptr;  // native stack floor: below it we raise RecursionError
  ActiveFrame* active = nullptr;  // innermost running frame
  Frame* frame() const { return active ? active->frame : nullptr; }
};

// constinit: no dynamic initialization, so uses need no TLS-wrapper call.
extern thread_local constinit ThreadState* tstate;

// ---- making values ----
Value new_str(std::string_view s);
Value new_str(std::string&& s);
inline Value new_str(const char* s) { return new_str(std::string_view(s)); }
Value intern(std::string_view s);  // the shared string for an identifier
Value new_tuple(std::vector<Value>&& items);
Value new_list(std::vector<Value>&& items);
Value new_dict();
Value new_native(const char* name, NativeFn fn);
Value none_value();

inline Type* type_of(const Value& v) {
  switch (v.tag()) {
    case Tag::None: return types.none;
    case Tag::Bool: return types.boolean;
    case Tag::Int: return types.int_;
    case Tag::Float: return types.float_;
    default: return v.obj()->type;
  }
}

inline bool is_subtype(Type* t, Type* base) {
  for (Type* m : t->mro)
    if (m == base) return true;
  return false;
}
inline bool isinstance(const Value& v, Type* t) { return type_of(v) == t || is_subtype(type_of(v), t); }

template <class T>
T* as(const Value& v) { return static_cast<T*>(v.obj()); }

// True when v is an object whose type is t exactly.
inline bool is_exact(const Value& v, Type* t) { return v.is_obj() && v.obj()->type == t; }

// ---- raising ----
// Sets the propagating exception and returns the raised status.
Value raise(Type* exc_type, std::string msg);
Value raise_value(Value exc);
std::string type_name(const Value& v);

// Registers a method on a native type.
void add_method(Type* t, const char* name, NativeFn fn);
void add_attr(Type* t, const char* name, Value v);
// A method that receives the type itself as a.pos[0] (like dict.fromkeys, int.from_bytes).
void add_classmethod(Type* t, const char* name, NativeFn fn);

// Argument checking helpers for natives: each raises TypeError and returns false on mismatch.
bool check_args(const Args& a, const char* fname, size_t min, size_t max);
bool no_kwargs(const Args& a, const char* fname);
// Looks up keyword `name` (or positional `idx` when given positionally); nullptr when absent.
const Value* arg_or_kw(const Args& a, size_t idx, const char* name);

}  // namespace aio
