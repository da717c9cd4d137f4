// contextvars' C++ interface as asyncio's Task uses it: copy the current context, switch to a
// copy for a step, switch back; what the step sets stays in the copy.
#include <catch2/catch.hpp>

#include "interp/dict.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "stdlib/contextvars.h"
#include "stdlib/stdlib.h"
#include "tests/unit/support.h"

using namespace aio;
using namespace aio::test;

namespace {

Value contextvars_module() {
  ensure_interp();
  static Value module = [] {
    Value m = new_module("contextvars");
    init_contextvars(m);
    return m;
  }();
  return module;
}

Value new_var(const char* name) {
  Value* cls = dict_find_str(module_dict(contextvars_module()), intern("ContextVar"));
  REQUIRE(cls);
  Value v = call(*cls, {new_str(name)});
  REQUIRE(!v.is_raised());
  return v;
}

int64_t get_int(const Value& var) {
  Value v = call_method(var, "get", {Value::integer(-1)});
  REQUIRE(v.is_int());
  return v.as_int();
}

}  // namespace

TEST_CASE("a copied context keeps the values set while it was entered", "[test_contextvars]") {
  Value var = new_var("request");
  REQUIRE(!call_method(var, "set", {Value::integer(1)}).is_raised());
  Value task_ctx = context_copy();

  Value outer = context_enter(task_ctx);
  CHECK(get_int(var) == 1);
  REQUIRE(!call_method(var, "set", {Value::integer(2)}).is_raised());
  CHECK(get_int(var) == 2);
  Value back = context_enter(outer);
  CHECK(back.is(task_ctx));

  CHECK(get_int(var) == 1);
  context_enter(task_ctx);
  CHECK(get_int(var) == 2);
  context_enter(outer);
}

TEST_CASE("copies are independent of each other", "[test_contextvars]") {
  Value var = new_var("n");
  Value a = context_copy();
  Value b = context_copy();
  Value outer = context_enter(a);
  REQUIRE(!call_method(var, "set", {Value::integer(10)}).is_raised());
  context_enter(b);
  CHECK(get_int(var) == -1);
  context_enter(outer);
  CHECK(get_int(var) == -1);
  Value n = length(a);
  REQUIRE(n.is_int());
  CHECK(n.as_int() >= 1);
}

TEST_CASE("entering None keeps the current context", "[test_contextvars]") {
  Value var = new_var("kept");
  REQUIRE(!call_method(var, "set", {Value::integer(3)}).is_raised());
  Value outer = context_enter(Value());
  CHECK(get_int(var) == 3);
  context_enter(outer);
  CHECK(get_int(var) == 3);
}
