// The generic protocols: what `a + b`, `a[i]`, `a.x`, `f(x)`, `repr(a)` and `for x in a` mean
// for any value. Each returns Value::raised() (or false / -1) when an exception is propagating.
#pragma once
#include <string>
#include <vector>

#include "interp/ast.h"
#include "interp/object.h"

namespace aio {

// Text.
Value repr(const Value& v);
Value to_str(const Value& v);
// Append repr(v) / str(v) to out; false: raised.
bool repr_string(const Value& v, std::string& out);
bool str_string(const Value& v, std::string& out);

// Truth, identity, hashing, equality and ordering.
int truthy(const Value& v);  // 1, 0, or -1 on error
bool hash_value(const Value& v, int64_t& out);
int equals(const Value& a, const Value& b);  // 1, 0, or -1 on error
Value compare(CmpOp op, const Value& a, const Value& b);
int compare_bool(CmpOp op, const Value& a, const Value& b);  // 1, 0, -1 on error
int contains(const Value& container, const Value& item);

// Arithmetic.
Value binary_op(BinOpKind op, const Value& a, const Value& b);
Value inplace_op(BinOpKind op, const Value& a, const Value& b);
Value unary_op(UnaryOpKind op, const Value& v);
const char* binop_symbol(BinOpKind op);

// Attributes.
Value getattr(const Value& obj, const Value& name);  // name: an interned str
Value getattr(const Value& obj, const char* name);
bool setattr(const Value& obj, const Value& name, Value v);
// object.__setattr__: data descriptors (property, getset), then the instance dict; no user __setattr__.
bool generic_setattr(const Value& obj, const Value& name, Value v);
// type.__setattr__: a script metaclass's data descriptors, then the class dict.
bool type_setattr(const Value& cls, const Value& name, Value v);
bool delattr(const Value& obj, const Value& name);
// object.__delattr__: a property's deleter, or the instance dict; no user __delattr__.
bool generic_delattr(const Value& obj, const Value& name);
// True when, for instances of t, reading or writing attribute `name` is decided by the instance
// dict alone whenever the name is there (no data descriptor, no script __setattr__): evaluator
// caches may then go straight to the dict until type_epoch changes.
bool instance_attr_is_plain(Type* t, const Value& name);
// Looks a name up along a type's MRO without binding; nullptr when absent.
Value* type_lookup(Type* t, const Value& name);
// getattr that reports absence without raising AttributeError: Found/Missing/Error.
int getattr_opt(const Value& obj, const Value& name, Value& out);

// Items.
Value getitem(const Value& obj, const Value& key);
bool setitem(const Value& obj, const Value& key, Value v);
bool delitem(const Value& obj, const Value& key);
Value length(const Value& obj);  // an int Value
bool length_of(const Value& obj, int64_t& out);

// Calls.
Value call(const Value& f, const Args& args);
bool is_callable(const Value& v);  // callable(v)
Value call(const Value& f, std::initializer_list<Value> args);
// A call's arguments with one value put in front (a bound self, a type), on the stack when short.
class PrependedArgs {
 public:
  PrependedArgs(const Value& first, const Args& args);
  PrependedArgs(const PrependedArgs&) = delete;
  PrependedArgs& operator=(const PrependedArgs&) = delete;
  const Args& args() const { return args_; }

 private:
  static constexpr size_t kInline = 8;
  Value inline_[kInline];
  std::vector<Value> heap_;
  Args args_;
};
// Calls a method by name: obj.name(args...).
Value call_method(const Value& obj, const char* name, std::initializer_list<Value> args);

// Calling a type: __new__ then __init__ (class.cpp).
Value type_call(Type* t, const Args& args);

// Iteration. next_item returns false at exhaustion with `out` None, or raised() in out on error.
Value get_iter(const Value& v);
bool next_item(const Value& it, Value& out);
// An iterator over an object with __getitem__ (the old sequence protocol).
Value sequence_iter(const Value& seq);

// The NotImplemented singleton (binary dunders return it to decline).
Value not_implemented();
inline bool is_not_implemented(const Value& v) { return v.is_obj() && v.obj()->type == types.not_implemented; }
// format(v, spec): dispatches to v's __format__.
Value format_value(const Value& v, const Value& spec);

// Python's int() of an index-like value (int, bool, or __index__).
bool index_of(const Value& v, int64_t& out);

}  // namespace aio
