// set and frozenset over CPython's set table: linear probes of up to kLinearProbes slots, then
// perturbed jumps; dummies mark deletions; the table grows when three fifths full. Matching the
// algorithm (including how merges pre-size the table) makes iteration order match CPython's.
#include "interp/set.h"

#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "interp/tuple.h"

namespace aio {

using namespace std::literals;
using Slot = SetObj::Slot;
using Entry = SetObj::Entry;

static constexpr size_t kMinSize = 8;
static constexpr size_t kLinearProbes = 9;
static constexpr int kPerturbShift = 5;
static constexpr size_t kLargeSet = 50000;  // beyond it a resize only doubles

SetObj::SetObj(Type* t) : Object(t), table(kMinSize) {
  if (!t->is_native) incref(t);
}

Value new_set() { return Value::adopt(new SetObj(types.set)); }
Value new_frozenset() { return Value::adopt(new SetObj(types.frozenset)); }

static size_t mask_of(const SetObj* s) { return s->table.size() - 1; }

static bool key_hash(const Value& key, int64_t& h) {
  if (is_exact(key, types.str)) {
    h = str_hash(as<StrObj>(key));
    return true;
  }
  return hash_value(key, h);
}

// ---- the table ----

// Finds key: Found with its slot, Missing, or Error when __eq__ raised.
static Lookup lookkey(SetObj* s, const Value& key, int64_t hash, size_t& slot) {
restart:
  size_t mask = mask_of(s);
  size_t i = static_cast<uint64_t>(hash) & mask;
  uint64_t perturb = static_cast<uint64_t>(hash);
  bool key_str = is_exact(key, types.str);
  for (;;) {
    size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
    for (size_t j = i; j <= i + probes; j++) {
      Entry& e = s->table[j];
      if (e.state == Slot::Empty) return Lookup::Missing;
      if (e.state != Slot::Active || e.hash != hash) continue;
      bool same = e.key.is(key);
      if (!same && key_str && is_exact(e.key, types.str)) {
        same = str_eq(as<StrObj>(e.key), as<StrObj>(key));
      } else if (!same && !(key.is_int() && e.key.is_int())) {
        Value start = e.key;  // held: __eq__ may remove it
        const Entry* table = s->table.data();
        int eq = equals(start, key);
        if (eq < 0) return Lookup::Error;
        if (s->table.data() != table || !s->table[j].key.is(start)) goto restart;
        same = eq;
      }
      if (same) {
        slot = j;
        return Lookup::Found;
      }
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// Places a key known to be absent into a table without dummies.
static void insert_clean(std::vector<Entry>& table, Value key, int64_t hash) {
  size_t mask = table.size() - 1;
  size_t i = static_cast<uint64_t>(hash) & mask;
  uint64_t perturb = static_cast<uint64_t>(hash);
  for (;;) {
    size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
    for (size_t j = i; j <= i + probes; j++)
      if (table[j].state == Slot::Empty) {
        table[j] = {std::move(key), hash, Slot::Active};
        return;
      }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// Rebuilds the table with more than `minused` slots, dropping dummies.
static void resize(SetObj* s, size_t minused) {
  size_t size = kMinSize;
  while (size <= minused) size <<= 1;
  if (size == kMinSize && s->table.size() == kMinSize && s->fill == s->used) return;
  std::vector<Entry> old(size);
  old.swap(s->table);
  for (Entry& e : old)
    if (e.state == Slot::Active) insert_clean(s->table, std::move(e.key), e.hash);
  s->fill = s->used;
}

static size_t growth_target(const SetObj* s) { return s->used > kLargeSet ? s->used * 2 : s->used * 4; }

static bool add_entry(SetObj* s, const Value& key, int64_t hash) {
restart:
  size_t mask = mask_of(s);
  size_t i = static_cast<uint64_t>(hash) & mask;
  uint64_t perturb = static_cast<uint64_t>(hash);
  Entry* freeslot = nullptr;
  bool key_str = is_exact(key, types.str);
  for (;;) {
    size_t probes = i + kLinearProbes <= mask ? kLinearProbes : 0;
    for (size_t j = i; j <= i + probes; j++) {
      Entry& e = s->table[j];
      if (e.state == Slot::Empty) {
        if (freeslot) {
          *freeslot = {key, hash, Slot::Active};
          s->used++;
          return true;
        }
        e = {key, hash, Slot::Active};
        s->fill++;
        s->used++;
        if (s->fill * 5 >= mask * 3) resize(s, growth_target(s));
        return true;
      }
      if (e.state == Slot::Dummy) {
        freeslot = &e;
        continue;
      }
      if (e.hash != hash) continue;
      if (e.key.is(key)) return true;
      if (key_str && is_exact(e.key, types.str)) {
        if (str_eq(as<StrObj>(e.key), as<StrObj>(key))) return true;
        continue;
      }
      if (key.is_int() && e.key.is_int()) continue;
      Value start = e.key;
      const Entry* table = s->table.data();
      int eq = equals(start, key);
      if (eq < 0) return false;
      if (eq) return true;
      if (s->table.data() != table || !s->table[j].key.is(start)) goto restart;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// Turns a found slot into a dummy.
static void remove_slot(SetObj* s, size_t slot) {
  Value old = std::move(s->table[slot].key);  // dies after the table is consistent
  s->table[slot] = {Value(), -1, Slot::Dummy};
  s->used--;
}

static Lookup discard_entry(SetObj* s, const Value& key, int64_t hash) {
  size_t slot;
  Lookup r = lookkey(s, key, hash, slot);
  if (r == Lookup::Found) remove_slot(s, slot);
  return r;
}

static Lookup contains_entry(SetObj* s, const Value& key, int64_t hash) {
  size_t slot;
  return lookkey(s, key, hash, slot);
}

static void clear(SetObj* s) {
  std::vector<Entry> old(kMinSize);
  old.swap(s->table);
  s->fill = s->used = 0;
  s->hash = -1;
}

bool set_next(const SetObj* s, size_t& pos, const Entry*& e) {
  while (pos < s->table.size()) {
    const Entry& en = s->table[pos++];
    if (en.state == Slot::Active) {
      e = &en;
      return true;
    }
  }
  return false;
}

// Active entries copied out, so user code run while using them cannot invalidate them.
static std::vector<Entry> snapshot(const SetObj* s) {
  std::vector<Entry> out;
  out.reserve(s->used);
  size_t pos = 0;
  const Entry* e;
  while (set_next(s, pos, e)) out.push_back(*e);
  return out;
}

// ---- public helpers ----

bool set_add(SetObj* s, const Value& key) {
  int64_t hash;
  return key_hash(key, hash) && add_entry(s, key, hash);
}

// A set used as a key is looked up as the equal frozenset (`{1} in {frozenset({1})}`).
template <class Fn>
static Lookup with_set_key_fallback(const Value& key, Fn fn) {
  int64_t hash;
  if (key_hash(key, hash)) return fn(key, hash);
  if (!isinstance(key, types.set) || !exception_matches(exc.TypeError)) return Lookup::Error;
  take_exception();
  Value frozen = Value::adopt(new SetObj(types.frozenset));
  if (!set_update(as<SetObj>(frozen), key) || !key_hash(frozen, hash)) return Lookup::Error;
  return fn(frozen, hash);
}

Lookup set_contains(SetObj* s, const Value& key) {
  return with_set_key_fallback(key, [s](const Value& k, int64_t h) { return contains_entry(s, k, h); });
}

Lookup set_discard(SetObj* s, const Value& key) {
  return with_set_key_fallback(key, [s](const Value& k, int64_t h) { return discard_entry(s, k, h); });
}

static bool merge(SetObj* s, SetObj* other) {
  if (other == s || other->used == 0) return true;
  if ((s->fill + other->used) * 5 >= mask_of(s) * 3) resize(s, (s->used + other->used) * 2);
  if (s->fill == 0 && s->table.size() == other->table.size() && other->fill == other->used) {
    for (size_t i = 0; i < other->table.size(); i++)
      if (other->table[i].state == Slot::Active) s->table[i] = other->table[i];
    s->fill = s->used = other->used;
    return true;
  }
  if (s->fill == 0) {
    for (const Entry& e : other->table)
      if (e.state == Slot::Active) insert_clean(s->table, e.key, e.hash);
    s->fill = s->used = other->used;
    return true;
  }
  for (const Entry& e : snapshot(other))
    if (!add_entry(s, e.key, e.hash)) return false;
  return true;
}

bool set_update(SetObj* s, const Value& iterable) {
  if (is_anyset(iterable)) return merge(s, as<SetObj>(iterable));
  if (is_exact(iterable, types.dict)) {
    DictObj* d = as_dict(iterable);
    if ((s->fill + d->used) * 5 >= mask_of(s) * 3) resize(s, (s->used + d->used) * 2);
    std::vector<DictObj::Entry> entries;
    size_t pos = 0;
    const DictObj::Entry* e;
    while (dict_next(d, pos, e)) entries.push_back(*e);
    for (const auto& en : entries)
      if (!add_entry(s, en.key, en.hash)) return false;
    return true;
  }
  Value it = get_iter(iterable);
  if (it.is_raised()) return false;
  Value key;
  while (next_item(it, key))
    if (!set_add(s, key)) return false;
  return !key.is_raised();
}

// A fresh set or frozenset (whichever base `like` derives from), filled from `iterable`.
static Value make_like(const Value& like, const Value* iterable) {
  Type* t = isinstance(like, types.set) ? types.set : types.frozenset;
  Value s = Value::adopt(new SetObj(t));
  if (iterable && !set_update(as<SetObj>(s), *iterable)) return Value::raised();
  return s;
}

static Value copy_of(const Value& s) { return make_like(s, &s); }

// ---- the algebra, as CPython computes each (the order of insertion shapes iteration order) ----

static Value intersection(const Value& self, const Value& other) {
  if (self.is(other)) return copy_of(self);
  Value result = make_like(self, nullptr);
  SetObj* r = as<SetObj>(result);
  if (is_anyset(other)) {
    SetObj *big = as<SetObj>(self), *small = as<SetObj>(other);
    if (small->used > big->used) std::swap(big, small);
    Value keep_big = Value::borrow(big), keep_small = Value::borrow(small);
    for (const Entry& e : snapshot(small)) {
      Lookup found = contains_entry(big, e.key, e.hash);
      if (found == Lookup::Error || (found == Lookup::Found && !add_entry(r, e.key, e.hash))) return Value::raised();
    }
    return result;
  }
  SetObj* s = as<SetObj>(self);
  Value it = get_iter(other);
  if (it.is_raised()) return it;
  Value key;
  while (next_item(it, key)) {
    int64_t hash;
    if (!key_hash(key, hash)) return Value::raised();
    Lookup found = contains_entry(s, key, hash);
    if (found == Lookup::Error) return Value::raised();
    if (found == Lookup::Found) {
      if (!add_entry(r, key, hash)) return Value::raised();
      if (r->used >= s->used) break;
    }
  }
  return key.is_raised() ? key : result;
}

// Replaces a's contents with b's (for the in-place forms built on a fresh result).
static void swap_bodies(SetObj* a, SetObj* b) {
  std::swap(a->table, b->table);
  std::swap(a->fill, b->fill);
  std::swap(a->used, b->used);
  a->hash = b->hash = -1;
}

static bool intersection_update(SetObj* s, const Value& other) {
  Value r = intersection(Value::borrow(s), other);
  if (r.is_raised()) return false;
  swap_bodies(s, as<SetObj>(r));
  return true;
}

static bool difference_update(SetObj* s, const Value& other) {
  if (other.is_obj() && other.obj() == s) {
    clear(s);
    return true;
  }
  if (is_anyset(other)) {
    Value src = other;
    if ((as<SetObj>(other)->used >> 3) > s->used) {  // far bigger: only the common part matters
      src = intersection(Value::borrow(s), other);
      if (src.is_raised()) return false;
    }
    for (const Entry& e : snapshot(as<SetObj>(src)))
      if (discard_entry(s, e.key, e.hash) == Lookup::Error) return false;
  } else {
    Value it = get_iter(other);
    if (it.is_raised()) return false;
    Value key;
    while (next_item(it, key))
      if (set_discard(s, key) == Lookup::Error) return false;
    if (key.is_raised()) return false;
  }
  if (s->fill - s->used > mask_of(s) / 4) resize(s, growth_target(s));
  return true;
}

static Value difference(const Value& self, const Value& other) {
  SetObj* s = as<SetObj>(self);
  size_t other_size;
  if (is_anyset(other)) other_size = as<SetObj>(other)->used;
  else if (is_exact(other, types.dict)) other_size = as_dict(other)->used;
  else other_size = SIZE_MAX;
  if (other_size == SIZE_MAX || (s->used >> 2) > other_size) {
    Value r = copy_of(self);
    if (r.is_raised() || !difference_update(as<SetObj>(r), other)) return Value::raised();
    return r;
  }
  Value result = make_like(self, nullptr);
  for (const Entry& e : snapshot(s)) {
    Lookup found;
    if (is_anyset(other)) {
      found = contains_entry(as<SetObj>(other), e.key, e.hash);
    } else {
      Value ignored;
      found = dict_get(as_dict(other), e.key, ignored);
    }
    if (found == Lookup::Error) return Value::raised();
    if (found == Lookup::Missing && !add_entry(as<SetObj>(result), e.key, e.hash)) return Value::raised();
  }
  return result;
}

static bool symmetric_difference_update(SetObj* s, const Value& other) {
  if (other.is_obj() && other.obj() == s) {
    clear(s);
    return true;
  }
  std::vector<Entry> entries;
  if (is_exact(other, types.dict)) {
    size_t pos = 0;
    const DictObj::Entry* e;
    while (dict_next(as_dict(other), pos, e)) entries.push_back({e->key, e->hash, Slot::Active});
  } else {
    Value src = is_anyset(other) ? other : make_like(Value::borrow(s), &other);
    if (src.is_raised()) return false;
    entries = snapshot(as<SetObj>(src));
  }
  for (const Entry& e : entries) {
    Lookup r = discard_entry(s, e.key, e.hash);
    if (r == Lookup::Error || (r == Lookup::Missing && !add_entry(s, e.key, e.hash))) return false;
  }
  return true;
}

static Value symmetric_difference(const Value& self, const Value& other) {
  Value r = make_like(self, &other);
  if (r.is_raised() || !symmetric_difference_update(as<SetObj>(r), self)) return Value::raised();
  return r;
}

bool set_inplace_op(SetObj* s, BinOpKind op, const Value& other) {
  switch (op) {
    case BinOpKind::BitOr: return set_update(s, other);
    case BinOpKind::BitAnd: return intersection_update(s, other);
    case BinOpKind::Sub: return difference_update(s, other);
    default: return symmetric_difference_update(s, other);
  }
}

// 1, 0 or -1 (raised).
static int is_subset(const Value& self, const Value& other) {
  if (!is_anyset(other)) {
    Value tmp = intersection(self, other);
    if (tmp.is_raised()) return -1;
    return as<SetObj>(tmp)->used == as<SetObj>(self)->used;
  }
  SetObj *s = as<SetObj>(self), *o = as<SetObj>(other);
  if (s->used > o->used) return 0;
  for (const Entry& e : snapshot(s)) {
    Lookup r = contains_entry(o, e.key, e.hash);
    if (r != Lookup::Found) return r == Lookup::Error ? -1 : 0;
  }
  return 1;
}

static int is_superset(const Value& self, const Value& other) {
  if (is_anyset(other)) return is_subset(other, self);
  Value it = get_iter(other);
  if (it.is_raised()) return -1;
  Value key;
  while (next_item(it, key)) {
    Lookup r = set_contains(as<SetObj>(self), key);
    if (r != Lookup::Found) return r == Lookup::Error ? -1 : 0;
  }
  return key.is_raised() ? -1 : 1;
}

// ---- natives ----

static SetObj* self_set(const Args& a) { return as<SetObj>(a[0]); }
static Value status(bool ok) { return ok ? Value() : Value::raised(); }
static Value boolean(int r) { return r < 0 ? Value::raised() : Value::boolean(r); }

static Value set_new(const Args& a) {
  Type* cls = as<Type>(a[0]);
  const char* name = is_subtype(cls, types.frozenset) ? "frozenset" : "set";
  if (!no_kwargs(a, name) || !check_args(a, name, 1, 2)) return Value::raised();
  if (cls == types.frozenset && a.npos == 2 && is_exact(a[1], types.frozenset)) return a[1];
  Type* native = is_subtype(cls, types.frozenset) ? types.frozenset : types.set;
  Value s = Value::adopt(cls->is_native ? new SetObj(cls) : new WithDict<SetObj>(cls, native));
  // A set subclass instance starts empty: set.__init__ fills it, as in CPython.
  if (native == types.set && !cls->is_native) return s;
  if (a.npos == 2 && !set_update(as<SetObj>(s), a[1])) return Value::raised();
  return s;
}

static Value set_init(const Args& a) {
  if (!no_kwargs(a, "set") || !check_args(a, "set", 1, 2)) return Value::raised();
  clear(as<SetObj>(a[0]));
  if (a.npos == 2 && !set_update(as<SetObj>(a[0]), a[1])) return Value::raised();
  return Value();
}

static Value set_add_method(const Args& a) {
  if (!check_args(a, "add", 2, 2)) return Value::raised();
  return status(set_add(self_set(a), a[1]));
}

static Value set_remove(const Args& a) {
  if (!check_args(a, "remove", 2, 2)) return Value::raised();
  switch (set_discard(self_set(a), a[1])) {
    case Lookup::Found: return Value();
    case Lookup::Missing: return raise_value(make_exception(exc.KeyError, {a[1]}));
    default: return Value::raised();
  }
}

static Value set_discard_method(const Args& a) {
  if (!check_args(a, "discard", 2, 2)) return Value::raised();
  return status(set_discard(self_set(a), a[1]) != Lookup::Error);
}

static Value set_pop(const Args& a) {
  SetObj* s = self_set(a);
  if (s->used == 0) return raise(exc.KeyError, "pop from an empty set");
  size_t i = s->finger & mask_of(s);
  while (s->table[i].state != Slot::Active) i = (i + 1) & mask_of(s);
  Value key = s->table[i].key;
  remove_slot(s, i);
  s->finger = i + 1;
  return key;
}

static Value set_clear(const Args& a) {
  clear(self_set(a));
  return Value();
}

static Value set_copy(const Args& a) {
  if (is_exact(a[0], types.frozenset)) return a[0];
  return copy_of(a[0]);
}

static Value set_len_method(const Args& a) { return Value::integer(static_cast<int64_t>(self_set(a)->used)); }

static Value set_contains_method(const Args& a) {
  Lookup r = set_contains(self_set(a), a[1]);
  return r == Lookup::Error ? Value::raised() : Value::boolean(r == Lookup::Found);
}

static Value set_union(const Args& a) {
  Value r = copy_of(a[0]);
  for (size_t i = 1; i < a.npos && !r.is_raised(); i++)
    if (!a[i].is(a[0]) && !set_update(as<SetObj>(r), a[i])) r = Value::raised();
  return r;
}

static Value set_intersection(const Args& a) {
  Value r = a.npos == 1 ? copy_of(a[0]) : a[0];
  for (size_t i = 1; i < a.npos && !r.is_raised(); i++) r = intersection(r, a[i]);
  return r;
}

static Value set_difference(const Args& a) {
  if (a.npos == 1) return copy_of(a[0]);
  Value r = difference(a[0], a[1]);
  for (size_t i = 2; i < a.npos && !r.is_raised(); i++)
    if (!difference_update(as<SetObj>(r), a[i])) r = Value::raised();
  return r;
}

static Value set_symmetric_difference(const Args& a) {
  if (!check_args(a, "symmetric_difference", 2, 2)) return Value::raised();
  return symmetric_difference(a[0], a[1]);
}

static Value set_update_method(const Args& a) {
  for (size_t i = 1; i < a.npos; i++)
    if (!set_update(self_set(a), a[i])) return Value::raised();
  return Value();
}

static Value set_intersection_update(const Args& a) {
  Value r = set_intersection(a);
  if (r.is_raised()) return r;
  if (!r.is(a[0])) swap_bodies(self_set(a), as<SetObj>(r));
  return Value();
}

static Value set_difference_update(const Args& a) {
  for (size_t i = 1; i < a.npos; i++)
    if (!difference_update(self_set(a), a[i])) return Value::raised();
  return Value();
}

static Value set_symmetric_difference_update(const Args& a) {
  if (!check_args(a, "symmetric_difference_update", 2, 2)) return Value::raised();
  return status(symmetric_difference_update(self_set(a), a[1]));
}

static Value set_issubset(const Args& a) {
  if (!check_args(a, "issubset", 2, 2)) return Value::raised();
  return boolean(is_subset(a[0], a[1]));
}

static Value set_issuperset(const Args& a) {
  if (!check_args(a, "issuperset", 2, 2)) return Value::raised();
  return boolean(is_superset(a[0], a[1]));
}

static Value set_isdisjoint(const Args& a) {
  if (!check_args(a, "isdisjoint", 2, 2)) return Value::raised();
  Value common = intersection(a[0], a[1]);
  if (common.is_raised()) return common;
  return Value::boolean(as<SetObj>(common)->used == 0);
}

// The binary operators take only sets; the in-place ones update self and return it.
template <Value (*fn)(const Value&, const Value&)>
static Value set_operator(const Args& a) {
  if (!is_anyset(a[0]) || !is_anyset(a[1])) return not_implemented();
  return fn(a[0], a[1]);
}

static Value union_of(const Value& a, const Value& b) {
  Value r = copy_of(a);
  if (r.is_raised() || a.is(b)) return r;
  return set_update(as<SetObj>(r), b) ? r : Value::raised();
}

template <BinOpKind op>
static Value set_inplace(const Args& a) {
  if (!is_anyset(a[1])) return not_implemented();
  if (!set_inplace_op(self_set(a), op, a[1])) return Value::raised();
  return a[0];
}

template <CmpOp op>
static Value set_compare(const Args& a) {
  if (!is_anyset(a[1])) return not_implemented();
  SetObj *s = self_set(a), *o = as<SetObj>(a[1]);
  switch (op) {
    case CmpOp::Eq:
    case CmpOp::NotEq: {
      int eq = s->used != o->used ? 0 : is_subset(a[0], a[1]);
      if (eq < 0) return Value::raised();
      return Value::boolean(op == CmpOp::Eq ? eq : !eq);
    }
    case CmpOp::LtE: return boolean(is_subset(a[0], a[1]));
    case CmpOp::GtE: return boolean(is_superset(a[0], a[1]));
    case CmpOp::Lt: return s->used >= o->used ? Value::boolean(false) : boolean(is_subset(a[0], a[1]));
    default: return s->used <= o->used ? Value::boolean(false) : boolean(is_superset(a[0], a[1]));
  }
}

// CPython's frozenset hash: order-independent xor of shuffled entry hashes, then dispersed.
static uint64_t shuffle_bits(uint64_t h) { return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL; }

static Value frozenset_hash(const Args& a) {
  SetObj* s = self_set(a);
  if (s->hash != -1) return Value::integer(s->hash);
  constexpr uint64_t kSizeMix = 1927868237ULL, kMul = 69069ULL, kAdd = 907133923ULL;
  constexpr int64_t kMinusOneReplacement = 590923713;
  uint64_t h = 0;
  for (const Entry& e : s->table)
    if (e.state == Slot::Active) h ^= shuffle_bits(static_cast<uint64_t>(e.hash));
  h ^= (s->used + 1) * kSizeMix;
  h ^= (h >> 11) ^ (h >> 25);
  h = h * kMul + kAdd;
  s->hash = h == UINT64_MAX ? kMinusOneReplacement : static_cast<int64_t>(h);
  return Value::integer(s->hash);
}

Value set_repr(SetObj* s) {
  bool plain = s->type == types.set;
  const std::string& name = s->type->name;
  if (s->used == 0) return new_str(name + "()");
  if (!repr_enter(s)) return new_str(name + "(...)");
  std::vector<Value> keys;
  for (const Entry& e : snapshot(s)) keys.push_back(e.key);
  std::string out = plain ? "{" : name + "({";
  bool ok = join_reprs(keys, out);
  repr_leave(s);
  if (!ok) return Value::raised();
  return new_str(out + (plain ? "}" : "})"));
}

static Value set_repr_method(const Args& a) { return set_repr(self_set(a)); }

// ---- iteration ----

struct SetIterObj : Object {
  Value set;  // None once exhausted
  size_t pos = 0;
  size_t used;
  SetIterObj(Type* t, Value s) : Object(t), set(std::move(s)), used(as<SetObj>(set)->used) {}
};

static Type* set_iter_type;

Value set_iter(const Value& set) { return Value::adopt(new SetIterObj(set_iter_type, set)); }
bool is_set_iter(const Value& v) { return is_exact(v, set_iter_type); }

bool set_iter_next(Object* o, Value& out) {
  auto* it = static_cast<SetIterObj*>(o);
  out = Value();
  if (it->set.is_none()) return false;
  SetObj* s = as<SetObj>(it->set);
  if (s->used != it->used) {
    it->used = SIZE_MAX;  // stays broken, as CPython's
    out = raise(exc.RuntimeError, "Set changed size during iteration");
    return false;
  }
  const Entry* e;
  if (!set_next(s, it->pos, e)) {
    it->set = Value();
    return false;
  }
  out = e->key;
  return true;
}

static Value set_iter_next_method(const Args& a) {
  Value out;
  if (set_iter_next(a[0].obj(), out)) return out;
  if (out.is_raised()) return out;
  return raise_value(make_exception(exc.StopIteration, {}));
}

static Value iter_self(const Args& a) { return a[0]; }
static Value set_iter_method(const Args& a) { return set_iter(a[0]); }

static Object* alloc_set(Type* t) {
  if (!t->is_native) return new WithDict<SetObj>(t, is_subtype(t, types.frozenset) ? types.frozenset : types.set);
  return new SetObj(t);
}

// What set and frozenset share.
static void init_common(Type* t) {
  t->alloc = alloc_set;
  add_method(t, "__new__", set_new);
  add_method(t, "__len__", set_len_method);
  add_method(t, "__contains__", set_contains_method);
  add_method(t, "__iter__", set_iter_method);
  add_method(t, "__repr__", set_repr_method);
  add_method(t, "__or__", set_operator<union_of>);
  add_method(t, "__and__", set_operator<intersection>);
  add_method(t, "__sub__", set_operator<difference>);
  add_method(t, "__xor__", set_operator<symmetric_difference>);
  add_method(t, "__eq__", set_compare<CmpOp::Eq>);
  add_method(t, "__ne__", set_compare<CmpOp::NotEq>);
  add_method(t, "__lt__", set_compare<CmpOp::Lt>);
  add_method(t, "__le__", set_compare<CmpOp::LtE>);
  add_method(t, "__gt__", set_compare<CmpOp::Gt>);
  add_method(t, "__ge__", set_compare<CmpOp::GtE>);
  add_method(t, "copy", set_copy);
  add_method(t, "union", set_union);
  add_method(t, "intersection", set_intersection);
  add_method(t, "difference", set_difference);
  add_method(t, "symmetric_difference", set_symmetric_difference);
  add_method(t, "issubset", set_issubset);
  add_method(t, "issuperset", set_issuperset);
  add_method(t, "isdisjoint", set_isdisjoint);
}

void init_set_type() {
  init_common(types.set);
  init_common(types.frozenset);
  Type* t = types.set;
  add_attr(t, "__hash__", Value());
  add_method(t, "__init__", set_init);
  add_method(t, "add", set_add_method);
  add_method(t, "remove", set_remove);
  add_method(t, "discard", set_discard_method);
  add_method(t, "pop", set_pop);
  add_method(t, "clear", set_clear);
  add_method(t, "update", set_update_method);
  add_method(t, "intersection_update", set_intersection_update);
  add_method(t, "difference_update", set_difference_update);
  add_method(t, "symmetric_difference_update", set_symmetric_difference_update);
  add_method(t, "__ior__", set_inplace<BinOpKind::BitOr>);
  add_method(t, "__iand__", set_inplace<BinOpKind::BitAnd>);
  add_method(t, "__isub__", set_inplace<BinOpKind::Sub>);
  add_method(t, "__ixor__", set_inplace<BinOpKind::BitXor>);
  add_method(types.frozenset, "__hash__", frozenset_hash);
  set_iter_type = new Type("set_iterator", types.object);
  set_iter_type->iternext = set_iter_next;
  add_method(set_iter_type, "__iter__", iter_self);
  add_method(set_iter_type, "__next__", set_iter_next_method);
}

}  // namespace aio
