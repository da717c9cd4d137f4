// Value: the 16-byte tagged word every script value lives in.
// Immediates (None, bool, small int, float) need no allocation; everything else is a
// reference-counted heap Object. A Value tagged Raised is not a value at all: it is the
// return status "an exception is propagating" (the exception itself sits in the Thread).
#pragma once
#include <cstdint>
#include <utility>

namespace aio {

struct Object;
struct DictObj;

enum class Tag : uint8_t { None, Bool, Int, Float, Obj, Raised };

struct Object {
  uint32_t refcount = 1;
  uint32_t bits = 0;  // the header's spare word: a type may keep its own flags here
  struct Type* type;
  explicit Object(struct Type* t) : type(t) {}
  virtual ~Object() = default;
  // The attribute dict of instances, modules, functions; nullptr for objects without one.
  virtual DictObj* attr_dict() { return nullptr; }
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
};

void destroy_object(Object* o);  // called when the last reference goes

inline void incref(Object* o) { ++o->refcount; }
inline void decref(Object* o) {
  if (--o->refcount == 0) destroy_object(o);
}

class Value {
 public:
  Value() : tag_(Tag::None), i_(0) {}
  static Value none() { return Value(); }
  static Value boolean(bool b) { Value v; v.tag_ = Tag::Bool; v.i_ = b; return v; }
  static Value integer(int64_t i) { Value v; v.tag_ = Tag::Int; v.i_ = i; return v; }
  static Value real(double d) { Value v; v.tag_ = Tag::Float; v.f_ = d; return v; }
  static Value raised() { Value v; v.tag_ = Tag::Raised; return v; }
  // Takes over a reference the caller already owns (fresh objects start at refcount 1).
  static Value adopt(Object* o) { Value v; v.tag_ = Tag::Obj; v.o_ = o; return v; }
  // Shares an object: adds a reference.
  static Value borrow(Object* o) { incref(o); return adopt(o); }

  Value(const Value& v) : tag_(v.tag_), i_(v.i_) { if (tag_ == Tag::Obj) incref(o_); }
  Value(Value&& v) noexcept : tag_(v.tag_), i_(v.i_) { v.tag_ = Tag::None; }
  Value& operator=(const Value& v) {
    if (v.tag_ == Tag::Obj) incref(v.o_);
    release();
    tag_ = v.tag_; i_ = v.i_;
    return *this;
  }
  Value& operator=(Value&& v) noexcept {
    if (this != &v) { release(); tag_ = v.tag_; i_ = v.i_; v.tag_ = Tag::None; }
    return *this;
  }
  ~Value() { release(); }

  Tag tag() const { return tag_; }
  bool is_none() const { return tag_ == Tag::None; }
  bool is_bool() const { return tag_ == Tag::Bool; }
  bool is_int() const { return tag_ == Tag::Int; }
  bool is_float() const { return tag_ == Tag::Float; }
  bool is_obj() const { return tag_ == Tag::Obj; }
  bool is_raised() const { return tag_ == Tag::Raised; }

  bool as_bool() const { return i_ != 0; }
  int64_t as_int() const { return i_; }
  double as_float() const { return f_; }
  Object* obj() const { return o_; }
  // Releases ownership without a decref (the caller takes the reference).
  Object* steal() { tag_ = Tag::None; return o_; }

  // Identity (Python's `is`): same immediate, or same object.
  bool is(const Value& v) const { return tag_ == v.tag_ && i_ == v.i_; }

 private:
  void release() { if (tag_ == Tag::Obj) decref(o_); }
  Tag tag_;
  union { int64_t i_; double f_; Object* o_; };
};

static_assert(sizeof(Value) == 16, "a Value is two words");

}  // namespace aio
