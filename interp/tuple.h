// tuple and list: sequences of values. A tuple never changes after it is built.
#pragma once
#include <string>
#include <vector>

#include "interp/ast.h"
#include "interp/object.h"

namespace aio {

struct TupleObj : Object {
  std::vector<Value> items;
  explicit TupleObj(std::vector<Value>&& v);
};

struct ListObj : Object {
  std::vector<Value> items;
  explicit ListObj(std::vector<Value>&& v);
};

inline std::vector<Value>& tuple_items(const Value& v) { return as<TupleObj>(v)->items; }
inline std::vector<Value>& list_items(const Value& v) { return as<ListObj>(v)->items; }
Value empty_tuple();

// Normalizes a possibly negative index against len; false when out of range.
bool normalize_index(int64_t& i, size_t len);
// A slice's start, stop, step resolved against len, as PySlice_AdjustIndices.
struct SliceBounds { int64_t start, stop, step, count; };
bool slice_bounds(const Value& slice, size_t len, SliceBounds& out);

// Collects any iterable into a vector (raises on error).
bool collect(const Value& iterable, std::vector<Value>& out);

// ---- fast paths for ops.cpp (each also backs the matching dunder) ----
Value tuple_getitem(TupleObj* t, const Value& key);
bool tuple_hash(TupleObj* t, int64_t& out);  // CPython's xxHash-based tuplehash
Value tuple_repr(TupleObj* t);
Value list_getitem(ListObj* l, const Value& key);
bool list_setitem(ListObj* l, const Value& key, Value v);  // false: raised
Value list_repr(ListObj* l);
void list_append(ListObj* l, Value v);
// Iterators over a list or tuple (list_iterator, tuple_iterator): next as next_item's contract.
Value list_iter(const Value& list);
Value tuple_iter(const Value& tuple);
bool is_seq_iter(const Value& v);
bool seq_iter_next(Object* it, Value& out);

// ---- helpers the container files share ----
// Recursion guard for reprs of self-containing containers: false when o is already being printed.
bool repr_enter(Object* o);
void repr_leave(Object* o);
// Gives a fresh container the type it was made for (a script subclass); keeps that type alive.
Object* with_type(Object* o, Type* t);
// Lexicographic comparison, as list and tuple compare.
Value seq_compare(const std::vector<Value>& a, const std::vector<Value>& b, CmpOp op);
// "1, 2, 3": the items' reprs joined; false when a repr raised.
bool join_reprs(const std::vector<Value>& items, std::string& out);
// A subscript of a sequence: 1 with an index in i, 0 when key is a slice, -1 raised (TypeError
// "<what> indices must be integers or slices, not <type>").
int subscript_kind(const Value& key, int64_t& i, const char* what);
// The items a resolved slice selects.
std::vector<Value> slice_items(const std::vector<Value>& items, const SliceBounds& b);
// index(x, start, stop)'s optional bounds (a.pos[2], a.pos[3]) clamped to [0, len].
bool search_bounds(const Args& a, size_t len, int64_t& start, int64_t& stop);
// items repeated `times` (an index) times, for `*` on list and tuple.
bool repeat_items(const std::vector<Value>& items, const Value& times, std::vector<Value>& out);

void init_tuple_type();
void init_list_type();

}  // namespace aio
