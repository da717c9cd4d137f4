// set and frozenset: CPython's open-addressing set table, so iteration order matches CPython's.
#pragma once
#include <cstdint>
#include <vector>

#include "interp/ast.h"
#include "interp/dict.h"
#include "interp/object.h"

namespace aio {

struct SetObj : Object {
  enum class Slot : uint8_t { Empty, Active, Dummy };
  struct Entry {
    Value key;
    int64_t hash = 0;
    Slot state = Slot::Empty;
  };
  std::vector<Entry> table;  // a power of two long, never empty
  size_t fill = 0;           // active + dummy slots
  size_t used = 0;           // active slots
  size_t finger = 0;         // where pop() resumes
  int64_t hash = -1;         // frozenset's cached hash; -1 until computed
  explicit SetObj(Type* t);
};

inline bool is_anyset(const Value& v) { return v.is_obj() && (isinstance(v, types.set) || isinstance(v, types.frozenset)); }
inline size_t set_len(const SetObj* s) { return s->used; }

Value new_set();
Value new_frozenset();
bool set_add(SetObj* s, const Value& key);  // false: raised
Lookup set_contains(SetObj* s, const Value& key);
Lookup set_discard(SetObj* s, const Value& key);  // Found when it was there
// Adds everything an iterable yields (sets and dicts merged as CPython does).
bool set_update(SetObj* s, const Value& iterable);
// s |= other, s &= other, s -= other or s ^= other with any iterable other.
bool set_inplace_op(SetObj* s, BinOpKind op, const Value& other);
// Walks active entries in table order; false at the end.
bool set_next(const SetObj* s, size_t& pos, const SetObj::Entry*& e);
Value set_repr(SetObj* s);
// Iterator (set_iterator): next as next_item's contract.
Value set_iter(const Value& set);
bool is_set_iter(const Value& v);
bool set_iter_next(Object* it, Value& out);

void init_set_type();

}  // namespace aio
