// The old sequence protocol: iterating an object that only has __getitem__.
#include "interp/exception.h"
#include "interp/ops.h"
#include "interp/types.h"

namespace aio {

namespace {

struct SeqIterObj : Object {
  Value seq;
  int64_t index = 0;
  explicit SeqIterObj(Value s) : Object(types.seq_iterator), seq(std::move(s)) {}
};

Value seq_iter_next(const Args& a) {
  auto* it = as<SeqIterObj>(a[0]);
  if (it->seq.is_none()) return raise_value(make_exception(exc.StopIteration, {}));
  Value v = getitem(it->seq, Value::integer(it->index++));
  if (v.is_raised() && (exception_matches(exc.IndexError) || exception_matches(exc.StopIteration))) {
    take_exception();
    it->seq = Value();
    return raise_value(make_exception(exc.StopIteration, {}));
  }
  return v;
}

Value seq_iter_iter(const Args& a) { return a[0]; }

}  // namespace

Value sequence_iter(const Value& seq) { return Value::adopt(new SeqIterObj(seq)); }

void init_seq_iterator_type() {
  add_method(types.seq_iterator, "__next__", seq_iter_next);
  add_method(types.seq_iterator, "__iter__", seq_iter_iter);
}

}  // namespace aio
