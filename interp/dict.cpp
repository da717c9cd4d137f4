// dict: CPython's compact dict. `entries` keeps insertion order (deleted entries stay in place
// until a resize compacts them); `index` is an open-addressing table of entry numbers.
#include "interp/dict.h"

#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/set.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "interp/tuple.h"

namespace aio {

using namespace std::literals;
using Entry = DictObj::Entry;

static constexpr int32_t kEmpty = -1;
static constexpr int32_t kDummy = -2;
static constexpr size_t kMinIndexSize = 8;
static constexpr int kPerturbShift = 5;
static constexpr size_t kGrowth = 3;  // a resize makes room for used * kGrowth slots

uint64_t new_dict_version() {
  static uint64_t last = 0;
  return ++last;
}

DictObj::DictObj() : Object(types.dict), version(new_dict_version()) {}
DictObj::DictObj(Type* t) : Object(t), version(new_dict_version()) {
  if (!t->is_native) incref(t);
}

Value new_dict() { return Value::adopt(new DictObj()); }

static bool live(const Entry& e) { return e.hash != DictObj::kDeleted; }
// Entries the index may point to before a resize is due (two thirds of the slots).
static size_t usable(size_t index_size) { return index_size * 2 / 3; }
// Keeps a real hash off the deleted-entry marker.
static int64_t fix_hash(int64_t h) { return h == DictObj::kDeleted ? h + 1 : h; }

static bool key_hash(const Value& key, int64_t& h) {
  if (is_exact(key, types.str)) {
    h = str_hash(as<StrObj>(key));
  } else if (!hash_value(key, h)) {
    return false;
  }
  h = fix_hash(h);
  return true;
}

// The probe sequence CPython uses: i = i*5 + perturb + 1, perturb shifting right each step.
struct Probe {
  size_t mask, i;
  uint64_t perturb;
  Probe(size_t size, int64_t hash) : mask(size - 1), i(static_cast<uint64_t>(hash) & mask), perturb(static_cast<uint64_t>(hash)) {}
  void next() {
    perturb >>= kPerturbShift;
    i = (i * 5 + perturb + 1) & mask;
  }
};

// Finds key: Found with its slot and entry number, Missing, or Error when __eq__ raised.
static Lookup find(DictObj* d, const Value& key, int64_t hash, size_t& slot, int32_t& ix) {
restart:
  if (d->index.empty()) return Lookup::Missing;
  bool key_str = is_exact(key, types.str);
  for (Probe p(d->index.size(), hash);; p.next()) {
    int32_t e = d->index[p.i];
    if (e == kEmpty) return Lookup::Missing;
    if (e == kDummy) continue;
    const Entry& en = d->entries[static_cast<size_t>(e)];
    bool same = en.key.is(key);
    if (!same && en.hash == hash) {
      if (key_str && is_exact(en.key, types.str)) {
        same = str_eq(as<StrObj>(en.key), as<StrObj>(key));
      } else if (!(key.is_int() && en.key.is_int())) {
        Value start = en.key;  // held: __eq__ may remove it from the dict
        uint64_t version = d->version;
        int eq = equals(start, key);
        if (eq < 0) return Lookup::Error;
        if (d->version != version) goto restart;  // the comparison changed the table
        same = eq;
      }
    }
    if (same) {
      slot = p.i;
      ix = e;
      return Lookup::Found;
    }
  }
}

static size_t free_slot(const DictObj* d, int64_t hash) {
  Probe p(d->index.size(), hash);
  while (d->index[p.i] >= 0) p.next();
  return p.i;
}

// Rebuilds the index with room for `minsize` slots, dropping deleted entries.
static void resize(DictObj* d, size_t minsize) {
  size_t size = kMinIndexSize;
  while (size < minsize) size <<= 1;
  if (d->used != d->entries.size()) {
    std::vector<Entry> kept;
    kept.reserve(d->used);
    for (Entry& e : d->entries)
      if (live(e)) kept.push_back(std::move(e));
    d->entries.swap(kept);
  }
  d->index.assign(size, kEmpty);
  for (size_t n = 0; n < d->entries.size(); n++) d->index[free_slot(d, d->entries[n].hash)] = static_cast<int32_t>(n);
}

// Every write to a dict goes through here: a type's dict invalidates the type lookup cache.
static void written(DictObj* d) {
  if (d->is_type_dict) ++type_epoch;
}

static void insert_new(DictObj* d, Value key, int64_t hash, Value value) {
  written(d);
  if (d->entries.size() >= usable(d->index.size())) resize(d, d->used * kGrowth);
  d->index[free_slot(d, hash)] = static_cast<int32_t>(d->entries.size());
  d->entries.push_back({std::move(key), std::move(value), hash});
  d->used++;
  d->version = new_dict_version();
}

static bool set_hashed(DictObj* d, const Value& key, int64_t hash, Value value) {
  size_t slot;
  int32_t ix;
  switch (find(d, key, hash, slot, ix)) {
    case Lookup::Error: return false;
    case Lookup::Found:
      written(d);
      std::swap(d->entries[static_cast<size_t>(ix)].value, value);
      return true;
    case Lookup::Missing: insert_new(d, key, hash, std::move(value)); return true;
  }
  return true;
}

Lookup dict_get(DictObj* d, const Value& key, Value& out) {
  int64_t hash;
  if (!key_hash(key, hash)) return Lookup::Error;
  size_t slot;
  int32_t ix;
  Lookup r = find(d, key, hash, slot, ix);
  if (r == Lookup::Found) out = d->entries[static_cast<size_t>(ix)].value;
  return r;
}

bool dict_set(DictObj* d, const Value& key, Value value) {
  int64_t hash;
  if (!key_hash(key, hash)) return false;
  return set_hashed(d, key, hash, std::move(value));
}

static void remove_at(DictObj* d, size_t slot, int32_t ix, Value* removed) {
  written(d);
  Entry& e = d->entries[static_cast<size_t>(ix)];
  Value key = std::move(e.key), value = std::move(e.value);  // die after the table is consistent
  e.key = Value();
  e.hash = DictObj::kDeleted;
  d->index[slot] = kDummy;
  d->used--;
  d->version = new_dict_version();
  if (removed) *removed = std::move(value);
}

Lookup dict_del(DictObj* d, const Value& key, Value* removed) {
  int64_t hash;
  if (!key_hash(key, hash)) return Lookup::Error;
  size_t slot;
  int32_t ix;
  Lookup r = find(d, key, hash, slot, ix);
  if (r == Lookup::Found) remove_at(d, slot, ix, removed);
  return r;
}

// Interned keys are compared by pointer first; str keys by content; other keys never match.
static int32_t find_str(DictObj* d, const Value& key, int64_t hash, size_t& slot) {
  if (d->index.empty()) return kEmpty;
  for (Probe p(d->index.size(), hash);; p.next()) {
    int32_t e = d->index[p.i];
    if (e == kEmpty) return kEmpty;
    if (e == kDummy) continue;
    const Entry& en = d->entries[static_cast<size_t>(e)];
    if (en.key.is(key) || (en.hash == hash && is_str(en.key) && str_eq(as<StrObj>(en.key), as<StrObj>(key)))) {
      slot = p.i;
      return e;
    }
  }
}

int64_t dict_str_entry(DictObj* d, const Value& key) {
  size_t slot;
  return find_str(d, key, fix_hash(str_hash(as<StrObj>(key))), slot);
}

Value* dict_find_str(DictObj* d, const Value& key) {
  size_t slot;
  int32_t e = find_str(d, key, fix_hash(str_hash(as<StrObj>(key))), slot);
  return e >= 0 ? &d->entries[static_cast<size_t>(e)].value : nullptr;
}

void dict_set_str(DictObj* d, const Value& key, Value value) {
  int64_t hash = fix_hash(str_hash(as<StrObj>(key)));
  size_t slot;
  int32_t e = find_str(d, key, hash, slot);
  if (e >= 0) {
    written(d);
    std::swap(d->entries[static_cast<size_t>(e)].value, value);
  } else {
    insert_new(d, key, hash, std::move(value));
  }
}

void dict_clear(DictObj* d) {
  written(d);
  std::vector<Entry> old;  // destroyed after the dict is empty: a __del__ may look at it
  old.swap(d->entries);
  d->index.clear();
  d->used = 0;
  d->version = new_dict_version();
}

bool dict_next(const DictObj* d, size_t& pos, const Entry*& e) {
  while (pos < d->entries.size()) {
    const Entry& en = d->entries[pos++];
    if (live(en)) {
      e = &en;
      return true;
    }
  }
  return false;
}

Value dict_copy(DictObj* d) {
  auto* c = new DictObj();
  c->entries.reserve(d->used);
  for (const Entry& e : d->entries)
    if (live(e)) c->entries.push_back(e);
  c->used = c->entries.size();
  if (c->used) resize(c, c->used * kGrowth / 2 + 1);
  return Value::adopt(c);
}

Value dict_getitem(DictObj* d, const Value& key) {
  Value out;
  switch (dict_get(d, key, out)) {
    case Lookup::Found: return out;
    case Lookup::Missing: return raise_value(make_exception(exc.KeyError, {key}));
    default: return Value::raised();
  }
}

// ---- update and construction ----

static bool merge_dict(DictObj* d, DictObj* other) {
  for (size_t i = 0; i < other->entries.size(); i++) {
    const Entry& e = other->entries[i];
    if (!live(e)) continue;
    Value key = e.key, value = e.value;
    if (!set_hashed(d, key, e.hash, std::move(value))) return false;
  }
  return true;
}

static bool merge_pairs(DictObj* d, const Value& iterable) {
  Value it = get_iter(iterable);
  if (it.is_raised()) return false;
  Value item;
  for (int64_t n = 0; next_item(it, item); n++) {
    std::vector<Value> pair;
    if (!collect(item, pair)) {
      if (!exception_matches(exc.TypeError)) return false;
      take_exception();
      raise(exc.TypeError, "cannot convert dictionary update sequence element #" + std::to_string(n) + " to a sequence");
      return false;
    }
    if (pair.size() != 2) {
      raise(exc.ValueError, "dictionary update sequence element #" + std::to_string(n) + " has length " +
                                std::to_string(pair.size()) + "; 2 is required");
      return false;
    }
    if (!dict_set(d, pair[0], std::move(pair[1]))) return false;
  }
  return !item.is_raised();
}

static bool merge_mapping(DictObj* d, const Value& mapping) {
  Value keys = call_method(mapping, "keys", {});
  if (keys.is_raised()) return false;
  Value it = get_iter(keys);
  if (it.is_raised()) return false;
  Value key;
  while (next_item(it, key)) {
    Value value = getitem(mapping, key);
    if (value.is_raised() || !dict_set(d, key, std::move(value))) return false;
  }
  return !key.is_raised();
}

bool dict_update(DictObj* d, const Value& other) {
  if (isinstance(other, types.dict)) return merge_dict(d, as_dict(other));
  if (type_lookup(type_of(other), intern("keys"))) return merge_mapping(d, other);
  return merge_pairs(d, other);
}

static bool update_kwargs(DictObj* d, const Args& a) {
  for (size_t i = 0; i < a.nkw(); i++)
    if (!dict_set(d, (*a.kwnames)[i], a.kwvals[i])) return false;
  return true;
}

static DictObj* self_dict(const Args& a) { return as_dict(a[0]); }

// dict(mapping_or_pairs, **kwargs) and dict.__init__ take one optional positional argument.
static bool dict_fill(DictObj* d, const Args& a) {
  if (a.npos > 2) {
    raise(exc.TypeError, "dict expected at most 1 argument, got " + std::to_string(a.npos - 1));
    return false;
  }
  if (a.npos == 2 && !dict_update(d, a[1])) return false;
  return update_kwargs(d, a);
}

// A subclass instance starts empty: dict.__init__ fills it, as in CPython.
static Value dict_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  if (!cls->is_native) return Value::adopt(new WithDict<DictObj>(cls));
  Value d = Value::adopt(cls == types.dict ? new DictObj() : new DictObj(cls));
  if (!dict_fill(as_dict(d), a)) return Value::raised();
  return d;
}

static Value dict_init(const Args& a) { return dict_fill(self_dict(a), a) ? Value() : Value::raised(); }

static Value dict_update_method(const Args& a) {
  if (!check_args(a, "update", 1, 2)) return Value::raised();
  if (a.npos == 2 && !dict_update(self_dict(a), a[1])) return Value::raised();
  return update_kwargs(self_dict(a), a) ? Value() : Value::raised();
}

static Value dict_fromkeys(const Args& a) {
  if (!check_args(a, "fromkeys", 2, 3)) return Value::raised();
  Value d = a[0].obj() == types.dict ? new_dict() : call(a[0], {});
  if (d.is_raised()) return d;
  Value value = a.npos == 3 ? a[2] : Value();
  std::vector<Value> keys;
  if (!collect(a[1], keys)) return Value::raised();
  for (const Value& k : keys)
    if (!setitem(d, k, value)) return Value::raised();
  return d;
}

// ---- item access ----

// A subclass may define __missing__(key) to supply what a missing key yields.
static Value dict_getitem_method(const Args& a) {
  if (!check_args(a, "__getitem__", 2, 2)) return Value::raised();
  Value out;
  switch (dict_get(self_dict(a), a[1], out)) {
    case Lookup::Found: return out;
    case Lookup::Error: return Value::raised();
    case Lookup::Missing: break;
  }
  if (!is_exact(a[0], types.dict))
    if (Value* missing = type_lookup(type_of(a[0]), intern("__missing__"))) return call(*missing, {a[0], a[1]});
  return raise_value(make_exception(exc.KeyError, {a[1]}));
}

static Value dict_setitem_method(const Args& a) {
  if (!check_args(a, "__setitem__", 3, 3)) return Value::raised();
  return dict_set(self_dict(a), a[1], a[2]) ? Value() : Value::raised();
}

static Value dict_delitem_method(const Args& a) {
  if (!check_args(a, "__delitem__", 2, 2)) return Value::raised();
  switch (dict_del(self_dict(a), a[1])) {
    case Lookup::Found: return Value();
    case Lookup::Missing: return raise_value(make_exception(exc.KeyError, {a[1]}));
    default: return Value::raised();
  }
}

static Value dict_contains(const Args& a) {
  Value out;
  Lookup r = dict_get(self_dict(a), a[1], out);
  return r == Lookup::Error ? Value::raised() : Value::boolean(r == Lookup::Found);
}

static Value dict_get_method(const Args& a) {
  if (!check_args(a, "get", 2, 3)) return Value::raised();
  Value out;
  switch (dict_get(self_dict(a), a[1], out)) {
    case Lookup::Found: return out;
    case Lookup::Missing: return a.npos == 3 ? a[2] : Value();
    default: return Value::raised();
  }
}

static Value dict_setdefault(const Args& a) {
  if (!check_args(a, "setdefault", 2, 3)) return Value::raised();
  Value out;
  switch (dict_get(self_dict(a), a[1], out)) {
    case Lookup::Found: return out;
    case Lookup::Missing: out = a.npos == 3 ? a[2] : Value(); break;
    default: return Value::raised();
  }
  return dict_set(self_dict(a), a[1], out) ? out : Value::raised();
}

static Value dict_pop(const Args& a) {
  if (!check_args(a, "pop", 2, 3)) return Value::raised();
  Value out;
  switch (dict_del(self_dict(a), a[1], &out)) {
    case Lookup::Found: return out;
    case Lookup::Missing:
      if (a.npos == 3) return a[2];
      return raise_value(make_exception(exc.KeyError, {a[1]}));
    default: return Value::raised();
  }
}

static Value dict_popitem(const Args& a) {
  DictObj* d = self_dict(a);
  while (!d->entries.empty() && !live(d->entries.back())) d->entries.pop_back();
  if (d->entries.empty()) return raise(exc.KeyError, "popitem(): dictionary is empty");
  Entry& e = d->entries.back();
  Value pair = new_tuple({e.key, e.value});
  auto last = static_cast<int32_t>(d->entries.size() - 1);
  Probe p(d->index.size(), e.hash);
  while (d->index[p.i] != last) p.next();
  remove_at(d, p.i, last, nullptr);
  d->entries.pop_back();
  return pair;
}

static Value dict_len_method(const Args& a) { return Value::integer(static_cast<int64_t>(self_dict(a)->used)); }

static Value dict_clear_method(const Args& a) {
  dict_clear(self_dict(a));
  return Value();
}

static Value dict_copy_method(const Args& a) { return dict_copy(self_dict(a)); }

// ---- comparison, merging, repr ----

static Value dict_eq(const Args& a) {
  if (!isinstance(a[1], types.dict)) return not_implemented();
  DictObj *x = self_dict(a), *y = as_dict(a[1]);
  if (x->used != y->used) return Value::boolean(false);
  for (size_t i = 0; i < x->entries.size(); i++) {
    const Entry& e = x->entries[i];
    if (!live(e)) continue;
    Value key = e.key, value = e.value, other;
    Lookup r = dict_get(y, key, other);
    if (r == Lookup::Error) return Value::raised();
    if (r == Lookup::Missing) return Value::boolean(false);
    int eq = value.is(other) ? 1 : equals(value, other);
    if (eq <= 0) return eq < 0 ? Value::raised() : Value::boolean(false);
  }
  return Value::boolean(true);
}

static Value dict_ne(const Args& a) {
  Value r = dict_eq(a);
  return r.is_bool() ? Value::boolean(!r.as_bool()) : r;
}

static Value dict_or(const Args& a) {
  if (!isinstance(a[0], types.dict) || !isinstance(a[1], types.dict)) return not_implemented();
  Value d = dict_copy(self_dict(a));
  return merge_dict(as_dict(d), as_dict(a[1])) ? d : Value::raised();
}

static Value dict_ior(const Args& a) {
  if (!dict_update(self_dict(a), a[1])) return Value::raised();
  return a[0];
}

Value dict_repr(DictObj* d) {
  if (d->used == 0) return new_str("{}"sv);
  if (!repr_enter(d)) return new_str("{...}"sv);
  std::string out = "{";
  bool ok = true, first = true;
  for (size_t i = 0; ok && i < d->entries.size(); i++) {  // a repr may change the dict
    if (!live(d->entries[i])) continue;
    Value key = d->entries[i].key, value = d->entries[i].value;
    if (!first) out += ", ";
    first = false;
    ok = repr_string(key, out);
    out += ": ";
    ok = ok && repr_string(value, out);
  }
  repr_leave(d);
  if (!ok) return Value::raised();
  return new_str(out + "}");
}

static Value dict_repr_method(const Args& a) { return dict_repr(self_dict(a)); }

// ---- iterators ----

enum class ViewKind : uint8_t { Keys, Values, Items };
static constexpr size_t kViewKinds = 3;

struct DictIterObj : Object {
  Value dict;  // None once exhausted
  size_t pos;  // next entry (forward) or one past it (reversed)
  size_t used;
  uint64_t version;
  ViewKind kind;
  bool reversed;
  DictIterObj(Type* t, const Value& d, ViewKind k, bool rev)
      : Object(t), dict(d), pos(rev ? as_dict(d)->entries.size() : 0), used(as_dict(d)->used),
        version(as_dict(d)->version), kind(k), reversed(rev) {}
};

static Type* iter_types[2][kViewKinds];  // [reversed][kind]

static Value make_iter(const Value& dict, ViewKind kind, bool reversed) {
  return Value::adopt(new DictIterObj(iter_types[reversed][static_cast<size_t>(kind)], dict, kind, reversed));
}

Value dict_iter(const Value& dict) { return make_iter(dict, ViewKind::Keys, false); }

bool is_dict_iter(const Value& v) {
  if (!v.is_obj()) return false;
  for (auto& row : iter_types)
    for (Type* t : row)
      if (v.obj()->type == t) return true;
  return false;
}

static bool iter_error(DictIterObj* it, const char* msg, Value& out) {
  it->used = SIZE_MAX;  // stays broken, as CPython's
  out = raise(exc.RuntimeError, msg);
  return false;
}

bool dict_iter_next(Object* o, Value& out) {
  auto* it = static_cast<DictIterObj*>(o);
  out = Value();
  if (it->dict.is_none()) return false;
  DictObj* d = as_dict(it->dict);
  if (d->used != it->used) return iter_error(it, "dictionary changed size during iteration", out);
  if (d->version != it->version) return iter_error(it, "dictionary keys changed during iteration", out);
  const Entry* e = nullptr;
  if (it->reversed) {
    while (it->pos > 0 && !e)
      if (live(d->entries[--it->pos])) e = &d->entries[it->pos];
  } else if (!dict_next(d, it->pos, e)) {
    e = nullptr;
  }
  if (!e) {
    it->dict = Value();
    return false;
  }
  switch (it->kind) {
    case ViewKind::Keys: out = e->key; break;
    case ViewKind::Values: out = e->value; break;
    case ViewKind::Items: out = new_tuple({e->key, e->value}); break;
  }
  return true;
}

static Value dict_iter_next_method(const Args& a) {
  Value out;
  if (dict_iter_next(a[0].obj(), out)) return out;
  if (out.is_raised()) return out;
  return raise_value(make_exception(exc.StopIteration, {}));
}

static Value iter_self(const Args& a) { return a[0]; }

static Value dict_iter_method(const Args& a) { return dict_iter(a[0]); }
static Value dict_reversed(const Args& a) { return make_iter(a[0], ViewKind::Keys, true); }

// ---- views ----

struct DictViewObj : Object {
  Value dict;
  DictViewObj(Type* t, Value d) : Object(t), dict(std::move(d)) {}
};

static ViewKind view_kind(const Value& v) {
  Type* t = type_of(v);
  return t == types.dict_keys ? ViewKind::Keys : t == types.dict_values ? ViewKind::Values : ViewKind::Items;
}

static Value make_view(const Value& dict, Type* t) { return Value::adopt(new DictViewObj(t, dict)); }
static Value dict_keys(const Args& a) { return make_view(a[0], types.dict_keys); }
static Value dict_values(const Args& a) { return make_view(a[0], types.dict_values); }
static Value dict_items(const Args& a) { return make_view(a[0], types.dict_items); }

static const Value& view_dict(const Value& v) { return as<DictViewObj>(v)->dict; }

static Value view_len(const Args& a) { return Value::integer(static_cast<int64_t>(as_dict(view_dict(a[0]))->used)); }
static Value view_iter(const Args& a) { return make_iter(view_dict(a[0]), view_kind(a[0]), false); }
static Value view_reversed(const Args& a) { return make_iter(view_dict(a[0]), view_kind(a[0]), true); }

// 1, 0 or -1 (raised): whether a view holds x.
static int view_has(const Value& view, const Value& x) {
  DictObj* d = as_dict(view_dict(view));
  Value found;
  switch (view_kind(view)) {
    case ViewKind::Keys: {
      Lookup r = dict_get(d, x, found);
      return r == Lookup::Error ? -1 : r == Lookup::Found;
    }
    case ViewKind::Items: {
      if (!is_exact(x, types.tuple) || tuple_items(x).size() != 2) return 0;
      Lookup r = dict_get(d, tuple_items(x)[0], found);
      if (r != Lookup::Found) return r == Lookup::Error ? -1 : 0;
      return found.is(tuple_items(x)[1]) ? 1 : equals(found, tuple_items(x)[1]);
    }
    case ViewKind::Values: {
      Value values = make_view(view_dict(view), types.dict_values);
      std::vector<Value> all;
      if (!collect(values, all)) return -1;
      for (const Value& v : all) {
        int eq = v.is(x) ? 1 : equals(v, x);
        if (eq) return eq;
      }
      return 0;
    }
  }
  return 0;
}

static Value view_contains(const Args& a) {
  int r = view_has(a[0], a[1]);
  return r < 0 ? Value::raised() : Value::boolean(r);
}

static Value view_repr(const Args& a) {
  std::vector<Value> items;
  if (!repr_enter(a[0].obj())) return new_str("..."sv);
  bool ok = collect(a[0], items);
  std::string out = type_of(a[0])->name + "([";
  ok = ok && join_reprs(items, out);
  repr_leave(a[0].obj());
  if (!ok) return Value::raised();
  return new_str(out + "])");
}

static bool is_setlike(const Value& v) {
  Type* t = type_of(v);
  return is_anyset(v) || t == types.dict_keys || t == types.dict_items;
}

// view == set: same size and every member of the view is in the other.
static Value view_eq(const Args& a) {
  if (!is_setlike(a[1])) return not_implemented();
  int64_t n;
  if (!length_of(a[1], n)) return Value::raised();
  if (static_cast<size_t>(n) != as_dict(view_dict(a[0]))->used) return Value::boolean(false);
  std::vector<Value> items;
  if (!collect(a[0], items)) return Value::raised();
  for (const Value& x : items) {
    int r = contains(a[1], x);
    if (r <= 0) return r < 0 ? Value::raised() : Value::boolean(false);
  }
  return Value::boolean(true);
}

static Value view_ne(const Args& a) {
  Value r = view_eq(a);
  return r.is_bool() ? Value::boolean(!r.as_bool()) : r;
}

// A set operation on a keys or items view: set(left) <op>= right, as CPython computes it.
template <BinOpKind op, bool reflected>
static Value view_setop(const Args& a) {
  const Value& left = reflected ? a[1] : a[0];
  const Value& right = reflected ? a[0] : a[1];
  if (type_lookup(type_of(right), intern("__iter__")) == nullptr) return not_implemented();
  Value s = new_set();
  if (!set_update(as<SetObj>(s), left) || !set_inplace_op(as<SetObj>(s), op, right)) return Value::raised();
  return s;
}

static Value view_isdisjoint(const Args& a) {
  std::vector<Value> items;
  if (!collect(a[1], items)) return Value::raised();
  for (const Value& x : items) {
    int r = view_has(a[0], x);
    if (r) return r < 0 ? Value::raised() : Value::boolean(false);
  }
  return Value::boolean(true);
}

static void init_view_type(Type* t, bool setlike) {
  add_method(t, "__len__", view_len);
  add_method(t, "__iter__", view_iter);
  add_method(t, "__reversed__", view_reversed);
  add_method(t, "__contains__", view_contains);
  add_method(t, "__repr__", view_repr);
  if (!setlike) return;
  add_method(t, "__eq__", view_eq);
  add_method(t, "__ne__", view_ne);
  add_attr(t, "__hash__", Value());
  add_method(t, "isdisjoint", view_isdisjoint);
  add_method(t, "__and__", view_setop<BinOpKind::BitAnd, false>);
  add_method(t, "__or__", view_setop<BinOpKind::BitOr, false>);
  add_method(t, "__sub__", view_setop<BinOpKind::Sub, false>);
  add_method(t, "__xor__", view_setop<BinOpKind::BitXor, false>);
  add_method(t, "__rand__", view_setop<BinOpKind::BitAnd, true>);
  add_method(t, "__ror__", view_setop<BinOpKind::BitOr, true>);
  add_method(t, "__rsub__", view_setop<BinOpKind::Sub, true>);
  add_method(t, "__rxor__", view_setop<BinOpKind::BitXor, true>);
}

static void init_iter_types() {
  static const char* names[2][kViewKinds] = {
      {"dict_keyiterator", "dict_valueiterator", "dict_itemiterator"},
      {"dict_reversekeyiterator", "dict_reversevalueiterator", "dict_reverseitemiterator"}};
  for (int rev = 0; rev < 2; rev++)
    for (size_t k = 0; k < kViewKinds; k++) {
      Type* t = new Type(names[rev][k], types.object);
      t->iternext = dict_iter_next;
      add_method(t, "__iter__", iter_self);
      add_method(t, "__next__", dict_iter_next_method);
      iter_types[rev][k] = t;
    }
}

static Object* alloc_dict(Type* t) {
  if (!t->is_native) return new WithDict<DictObj>(t);
  return new DictObj(t);
}

void init_dict_type() {
  Type* t = types.dict;
  t->alloc = alloc_dict;
  add_method(t, "__new__", dict_new);
  add_method(t, "__init__", dict_init);
  add_method(t, "__getitem__", dict_getitem_method);
  add_method(t, "__setitem__", dict_setitem_method);
  add_method(t, "__delitem__", dict_delitem_method);
  add_method(t, "__contains__", dict_contains);
  add_method(t, "__len__", dict_len_method);
  add_method(t, "__iter__", dict_iter_method);
  add_method(t, "__reversed__", dict_reversed);
  add_method(t, "__eq__", dict_eq);
  add_method(t, "__ne__", dict_ne);
  add_method(t, "__or__", dict_or);
  add_method(t, "__ior__", dict_ior);
  add_method(t, "__repr__", dict_repr_method);
  add_attr(t, "__hash__", Value());
  add_method(t, "get", dict_get_method);
  add_method(t, "setdefault", dict_setdefault);
  add_method(t, "pop", dict_pop);
  add_method(t, "popitem", dict_popitem);
  add_method(t, "update", dict_update_method);
  add_method(t, "keys", dict_keys);
  add_method(t, "values", dict_values);
  add_method(t, "items", dict_items);
  add_method(t, "copy", dict_copy_method);
  add_method(t, "clear", dict_clear_method);
  add_classmethod(t, "fromkeys", dict_fromkeys);
  init_view_type(types.dict_keys, true);
  init_view_type(types.dict_values, false);
  init_view_type(types.dict_items, true);
  init_iter_types();
}

}  // namespace aio
