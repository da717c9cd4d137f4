// Instances of user subclasses of built-in types (class C(list), class D(dict), class I(int)...):
// the native object itself, typed as the subclass, with an attribute dict alongside.
#pragma once
#include <utility>

#include "interp/dict.h"

namespace aio {

template <class Base>
struct WithDict final : Base {
  DictObj* dict = new DictObj();
  // Base is built with its own arguments, then retyped; the instance keeps its class alive.
  template <class... A>
  explicit WithDict(Type* t, A&&... args) : Base(std::forward<A>(args)...) {
    this->type = t;
    incref(t);
  }
  ~WithDict() override {
    decref(dict);
    decref(this->type);
  }
  DictObj* attr_dict() override { return dict; }
};

}  // namespace aio
