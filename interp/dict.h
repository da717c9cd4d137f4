// dict: an insertion-ordered hash table (a dense entry array plus a sparse index, as CPython's).
#pragma once
#include <cstdint>
#include <vector>

#include "interp/object.h"

namespace aio {

enum class Lookup { Found, Missing, Error };

struct DictObj : Object {
  struct Entry {
    Value key;  // None with hash == kDeleted marks a removed entry
    Value value;
    int64_t hash;
  };
  static constexpr int64_t kDeleted = INT64_MIN;
  std::vector<Entry> entries;
  std::vector<int32_t> index;  // kEmpty, kDummy, or an entry number
  size_t used = 0;
  // Renewed on every structural change (insert, delete, clear), from one counter shared by all
  // dicts: a version names one dict in one shape, for iterators and load_global's cache.
  uint64_t version;
  bool is_type_dict = false;   // a type's attributes: every write bumps type_epoch
  DictObj();
  explicit DictObj(Type* t);
};

// Reads may call __hash__/__eq__ and so may raise: the result says which.
uint64_t new_dict_version();
Lookup dict_get(DictObj* d, const Value& key, Value& out);
bool dict_set(DictObj* d, const Value& key, Value value);  // false: raised
Lookup dict_del(DictObj* d, const Value& key, Value* removed = nullptr);
// Fast paths for interned-string keys (attribute dicts): never raise.
Value* dict_find_str(DictObj* d, const Value& key);
void dict_set_str(DictObj* d, const Value& key, Value value);
void dict_clear(DictObj* d);
// For attribute caches: the entry number holding an interned-str key, or -1 ...
int64_t dict_str_entry(DictObj* d, const Value& key);
// ... and that entry's value while it still holds the same key object (nullptr otherwise).
inline Value* dict_entry_value(DictObj* d, uint32_t entry, const Value& key) {
  return entry < d->entries.size() && d->entries[entry].key.is(key) ? &d->entries[entry].value : nullptr;
}
inline size_t dict_len(const DictObj* d) { return d->used; }
// Iteration: pos walks entries, skipping deleted ones; false at the end.
bool dict_next(const DictObj* d, size_t& pos, const DictObj::Entry*& e);
Value dict_copy(DictObj* d);
inline DictObj* as_dict(const Value& v) { return as<DictObj>(v); }

// ---- fast paths for ops.cpp (each also backs the matching dunder) ----
Value dict_getitem(DictObj* d, const Value& key);  // KeyError(key) when absent
Value dict_repr(DictObj* d);
// Iterator over the keys (dict_keyiterator); dict iterators' next follows next_item's contract
// and raises RuntimeError when the dict changed size during iteration.
Value dict_iter(const Value& dict);
bool is_dict_iter(const Value& v);
bool dict_iter_next(Object* it, Value& out);
// dict.update(other): a mapping (anything with keys()) or an iterable of pairs.
bool dict_update(DictObj* d, const Value& other);

void init_dict_type();

}  // namespace aio
