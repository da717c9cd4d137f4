// tuple, list, dict, set, range and slice through their C++ helpers and registered natives.
// Expected orders and hashes were printed by CPython 3.11.
#include <catch2/catch.hpp>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/interp.h"
#include "interp/ops.h"
#include "interp/range.h"
#include "interp/set.h"
#include "interp/slice.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "tests/unit/support.h"

using namespace aio;
using namespace aio::test;

namespace {

Value ints(std::initializer_list<int64_t> xs) {
  std::vector<Value> v;
  for (int64_t x : xs) v.push_back(I(x));
  return new_list(std::move(v));
}

Value set_of(std::initializer_list<int64_t> xs) {
  Value s = new_set();
  for (int64_t x : xs) REQUIRE(set_add(as<SetObj>(s), I(x)));
  return s;
}

int64_t hash_of(const Value& v) {
  int64_t h = 0;
  REQUIRE(hash_value(v, h));
  return h;
}

}  // namespace

TEST_CASE("tuple hash matches CPython's", "[test_containers]") {
  ensure_interp();
  CHECK(hash_of(new_tuple({I(1), I(2)})) == -3550055125485641917LL);
  CHECK(hash_of(empty_tuple()) == 5740354900026072187LL);
  CHECK(hash_of(new_tuple({I(1)})) == -6644214454873602895LL);
  CHECK(hash_of(new_tuple({I(-1)})) == 8078679518589016365LL);
  CHECK(hash_of(new_tuple({new_tuple({I(1), I(2)}), I(3)})) == -333907151259015829LL);
}

TEST_CASE("tuple repr, slicing and errors", "[test_containers]") {
  ensure_interp();
  CHECK(text(new_tuple({I(1)})) == "(1,)");
  CHECK(text(empty_tuple()) == "()");
  Value t = new_tuple({I(1), I(2), I(3), I(4)});
  CHECK(text(tuple_getitem(as<TupleObj>(t), new_slice(Value(), Value(), I(-2)))) == "(4, 2)");
  CHECK(error(tuple_getitem(as<TupleObj>(t), I(9))) == "IndexError: tuple index out of range");
  CHECK(error(meth(t, "index", {I(7)})) == "ValueError: tuple.index(x): x not in tuple");
}

TEST_CASE("list slicing and slice assignment", "[test_containers]") {
  ensure_interp();
  Value l = ints({0, 1, 2, 3, 4, 5});
  CHECK(text(list_getitem(as<ListObj>(l), new_slice(I(1), I(-1), I(2)))) == "[1, 3]");
  CHECK(text(list_getitem(as<ListObj>(l), new_slice(Value(), Value(), I(-1)))) == "[5, 4, 3, 2, 1, 0]");
  REQUIRE(list_setitem(as<ListObj>(l), new_slice(I(1), I(3), Value()), ints({9, 9, 9})));
  CHECK(text(l) == "[0, 9, 9, 9, 3, 4, 5]");
  REQUIRE(!list_setitem(as<ListObj>(l), new_slice(Value(), Value(), I(2)), ints({1, 2})));
  CHECK(exception_line(take_exception()) ==
        "ValueError: attempt to assign sequence of size 2 to extended slice of size 4");
  REQUIRE(!meth(l, "__delitem__", {new_slice(Value(), Value(), I(-3))}).is_raised());
  CHECK(text(l) == "[9, 9, 3, 4]");
  CHECK(error(meth(ints({}), "pop")) == "IndexError: pop from empty list");
  CHECK(error(meth(l, "remove", {I(7)})) == "ValueError: list.remove(x): x not in list");
  CHECK(error(meth(l, "__add__", {I(1)})) == "TypeError: can only concatenate list (not \"int\") to list");
}

TEST_CASE("list sort is stable with keys and reverse", "[test_containers]") {
  ensure_interp();
  std::vector<Value> pairs;
  int64_t data[][2] = {{1, 0}, {0, 1}, {1, 2}, {0, 3}, {1, 4}};
  for (auto& p : data) pairs.push_back(new_tuple({I(p[0]), I(p[1])}));
  Value l = new_list(std::move(pairs));
  Value first = new_native("first", [](const Args& a) { return tuple_items(a[0])[0]; });
  REQUIRE(!meth(l, "sort", {}, {{"key", first}}).is_raised());
  CHECK(text(l) == "[(0, 1), (0, 3), (1, 0), (1, 2), (1, 4)]");
  REQUIRE(!meth(l, "sort", {}, {{"key", first}, {"reverse", Value::boolean(true)}}).is_raised());
  CHECK(text(l) == "[(1, 0), (1, 2), (1, 4), (0, 1), (0, 3)]");
  Value mixed = new_list({I(1), S("a")});
  CHECK(error(meth(mixed, "sort")) == "TypeError: '<' not supported between instances of 'str' and 'int'");
}

TEST_CASE("list repr guards recursion", "[test_containers]") {
  ensure_interp();
  Value l = ints({1});
  list_append(as<ListObj>(l), l);
  CHECK(text(l) == "[1, [...]]");
  list_items(l).clear();  // break the cycle
}

TEST_CASE("dict keeps insertion order through deletes and resizes", "[test_containers]") {
  ensure_interp();
  Value d = new_dict();
  DictObj* dp = as_dict(d);
  for (int64_t i = 0; i < 100; i++) REQUIRE(dict_set(dp, I(i), I(i * i)));
  for (int64_t i = 0; i < 100; i += 2) REQUIRE(dict_del(dp, I(i)) == Lookup::Found);
  REQUIRE(dict_set(dp, I(0), I(-1)));
  CHECK(dict_len(dp) == 51);
  size_t pos = 0;
  const DictObj::Entry* e;
  std::vector<int64_t> keys;
  while (dict_next(dp, pos, e)) keys.push_back(e->key.as_int());
  CHECK(keys.front() == 1);
  CHECK(keys[49] == 99);
  CHECK(keys.back() == 0);
  Value out;
  CHECK(dict_get(dp, I(51), out) == Lookup::Found);
  CHECK(out.as_int() == 2601);
  CHECK(dict_get(dp, I(50), out) == Lookup::Missing);
  CHECK(error(dict_getitem(dp, S("k"))) == "KeyError: 'k'");
}

TEST_CASE("dict methods, views and reprs", "[test_containers]") {
  ensure_interp();
  Value d = new_dict();
  REQUIRE(dict_set(as_dict(d), S("a"), I(1)));
  REQUIRE(dict_set(as_dict(d), S("b"), ints({2})));
  CHECK(text(d) == "{'a': 1, 'b': [2]}");
  CHECK(text(meth(d, "keys")) == "dict_keys(['a', 'b'])");
  CHECK(text(meth(d, "items")) == "dict_items([('a', 1), ('b', [2])])");
  CHECK(text(meth(d, "popitem")) == "('b', [2])");
  CHECK(text(meth(d, "pop", {S("zz"), I(5)})) == "5");
  CHECK(text(meth(d, "setdefault", {S("c"), I(3)})) == "3");
  CHECK(text(d) == "{'a': 1, 'c': 3}");
  REQUIRE(!meth(d, "clear").is_raised());
  CHECK(text(d) == "{}");
  CHECK(error(meth(d, "popitem")) == "KeyError: 'popitem(): dictionary is empty'");
  REQUIRE(dict_set(as_dict(d), I(1), I(2)));
  dict_set(as_dict(d), I(2), d);
  CHECK(text(d) == "{1: 2, 2: {...}}");
  dict_clear(as_dict(d));
}

TEST_CASE("dict iterators notice size changes", "[test_containers]") {
  ensure_interp();
  Value d = new_dict();
  REQUIRE(dict_set(as_dict(d), I(1), I(1)));
  Value it = dict_iter(d);
  REQUIRE(is_dict_iter(it));
  Value out;
  REQUIRE(dict_iter_next(it.obj(), out));
  REQUIRE(dict_set(as_dict(d), I(2), I(2)));
  CHECK_FALSE(dict_iter_next(it.obj(), out));
  CHECK(error(out) == "RuntimeError: dictionary changed size during iteration");
}

TEST_CASE("set iteration order matches CPython", "[test_containers]") {
  ensure_interp();
  CHECK(text(set_of({5, 1, 3})) == "{1, 3, 5}");
  CHECK(text(set_of({100, 1, 50})) == "{1, 50, 100}");
  // One add at a time, as CPython's set.add; a {...} literal of constants differs (frozenset merge).
  CHECK(text(set_of({64, 8, 0, 16, 32})) == "{64, 32, 0, 8, 16}");
  CHECK(text(set_of({1, 9, 17, 25})) == "{1, 25, 9, 17}");
  CHECK(text(set_of({0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77})) ==
        "{0, 35, 70, 7, 42, 77, 14, 49, 21, 56, 28, 63}");
  CHECK(text(set_of({33, 1, 65, 97, 129, 2})) == "{65, 33, 129, 1, 97, 2}");
  Value s = set_of({1000, 7, 23, 8, 100000});
  CHECK(text(s) == "{100000, 7, 1000, 8, 23}");
  REQUIRE(set_discard(as<SetObj>(s), I(7)) == Lookup::Found);
  REQUIRE(set_add(as<SetObj>(s), I(15)));
  CHECK(text(s) == "{100000, 1000, 8, 15, 23}");
  Value d = new_dict();
  for (int64_t k : {40, 8, 24, 1, 9}) REQUIRE(dict_set(as_dict(d), I(k), I(0)));
  Value from_dict = new_set();
  REQUIRE(set_update(as<SetObj>(from_dict), d));
  CHECK(text(from_dict) == "{1, 9, 40, 8, 24}");
}

TEST_CASE("set algebra, reprs and hashes", "[test_containers]") {
  ensure_interp();
  Value a = set_of({1, 2, 3}), b = set_of({2, 3, 4});
  CHECK(text(meth(a, "__and__", {b})) == "{2, 3}");
  CHECK(text(meth(a, "__or__", {b})) == "{1, 2, 3, 4}");
  CHECK(text(meth(a, "__sub__", {b})) == "{1}");
  CHECK(text(meth(a, "__xor__", {b})) == "{1, 4}");
  CHECK(text(new_set()) == "set()");
  CHECK(text(new_frozenset()) == "frozenset()");
  Value f = new_frozenset();
  REQUIRE(set_update(as<SetObj>(f), ints({1, 2})));
  CHECK(text(f) == "frozenset({1, 2})");
  CHECK(hash_of(f) == -1826646154956904602LL);
  CHECK(hash_of(new_frozenset()) == 133146708735736LL);
  CHECK(error(meth(new_set(), "pop")) == "KeyError: 'pop from an empty set'");
  int64_t h;
  CHECK_FALSE(hash_value(a, h));
  CHECK(exception_line(take_exception()) == "TypeError: unhashable type: 'set'");
}

TEST_CASE("range indexing, slicing, membership and hash", "[test_containers]") {
  ensure_interp();
  Value r = new_range(0, 10, 2);
  CHECK(text(r) == "range(0, 10, 2)");
  CHECK(text(new_range(0, 5, 1)) == "range(0, 5)");
  CHECK(text(range_getitem(as<RangeObj>(r), I(-1))) == "8");
  CHECK(text(range_getitem(as<RangeObj>(r), new_slice(Value(), Value(), I(-1)))) == "range(8, -2, -2)");
  CHECK(text(meth(r, "__contains__", {I(6)})) == "True");
  CHECK(text(meth(r, "__contains__", {I(7)})) == "False");
  CHECK(hash_of(r) == -6143170332311272345LL);
  // CPython 3.11 hashes None by address, so only the tuple shape is checkable.
  CHECK(hash_of(new_range(0, 0, 1)) == hash_of(new_tuple({I(0), Value(), Value()})));
  CHECK(hash_of(new_range(5, 5, 3)) == hash_of(new_range(0, 0, 1)));
  CHECK(hash_of(new_range(3, 4, 7)) == hash_of(new_tuple({I(1), I(3), Value()})));
  Value it = range_iter(new_range(3, 0, -1));
  Value out;
  std::vector<int64_t> seen;
  while (range_iter_next(it.obj(), out)) seen.push_back(out.as_int());
  CHECK(seen == std::vector<int64_t>{3, 2, 1});
  CHECK(error(meth(r, "index", {I(7)})) == "ValueError: 7 is not in range");
}

TEST_CASE("slice repr and indices", "[test_containers]") {
  ensure_interp();
  Value s = new_slice(I(1), I(2), Value());
  CHECK(text(s) == "slice(1, 2, None)");
  CHECK(text(meth(new_slice(Value(), Value(), I(-1)), "indices", {I(5)})) == "(4, -1, -1)");
}
