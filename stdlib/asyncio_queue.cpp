// asyncio.Queue, PriorityQueue and LifoQueue: native, since producer/consumer hand-offs are
// the hot path of many async programs. Waiting getters and putters are futures, as in CPython.
#include <algorithm>
#include <cstdio>
#include <deque>

#include "interp/descr.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/generator.h"
#include "interp/interp.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/pool.h"
#include "interp/str.h"
#include "interp/subclass.h"
#include "stdlib/asyncio.h"

namespace aio {

namespace {

enum class Order : uint8_t { Fifo, Lifo, Priority };

struct QueueObj : Object {
  std::deque<Value> items;  // Priority: a binary heap ordered by `<`
  std::deque<Value> getters, putters, joiners;  // futures of waiting tasks
  Value loop;                                   // bound on first wait, as CPython's mixin
  int64_t maxsize = 0;
  int64_t unfinished = 0;
  Order order;
  QueueObj(Type* t, Order o) : Object(t), order(o) {}
};

struct QueueTypes {
  Type *queue, *priority, *lifo, *op, *QueueEmpty, *QueueFull;
} qt;

Order order_of(Type* t) {
  if (is_subtype(t, qt.priority)) return Order::Priority;
  if (is_subtype(t, qt.lifo)) return Order::Lifo;
  return Order::Fifo;
}

QueueObj* self_queue(const Args& a) { return as<QueueObj>(a[0]); }

bool is_full(const QueueObj* q) { return q->maxsize > 0 && (int64_t)q->items.size() >= q->maxsize; }

// heapq's exact algorithms over the deque (so equal priorities come out in CPython's order),
// comparing with `<`, which may raise.
bool heap_less(const Value& a, const Value& b, bool& out) {
  int r = compare_bool(CmpOp::Lt, a, b);
  if (r < 0) return false;
  out = r;
  return true;
}

// heapq._siftdown: moves h[pos] up towards `start` while it is smaller than its parent.
bool sift_down(std::deque<Value>& h, size_t start, size_t pos) {
  Value item = std::move(h[pos]);
  while (pos > start) {
    size_t parent = (pos - 1) / 2;
    bool less;
    if (!heap_less(item, h[parent], less)) {
      h[pos] = std::move(item);
      return false;
    }
    if (!less) break;
    h[pos] = std::move(h[parent]);
    pos = parent;
  }
  h[pos] = std::move(item);
  return true;
}

// heapq._siftup: moves the smaller child up until a leaf, then sifts the item down there.
bool sift_up(std::deque<Value>& h, size_t pos) {
  size_t end = h.size(), start = pos;
  Value item = std::move(h[pos]);
  size_t child = 2 * pos + 1;
  while (child < end) {
    size_t right = child + 1;
    if (right < end) {
      bool less;
      if (!heap_less(h[child], h[right], less)) {
        h[pos] = std::move(item);
        return false;
      }
      if (!less) child = right;
    }
    h[pos] = std::move(h[child]);
    pos = child;
    child = 2 * pos + 1;
  }
  h[pos] = std::move(item);
  return sift_down(h, start, pos);
}

bool heap_push(std::deque<Value>& h, Value v) {
  h.push_back(std::move(v));
  return sift_down(h, 0, h.size() - 1);
}

bool heap_pop(std::deque<Value>& h, Value& out) {
  Value last = std::move(h.back());
  h.pop_back();
  if (h.empty()) {
    out = std::move(last);
    return true;
  }
  out = std::move(h.front());
  h.front() = std::move(last);
  return sift_up(h, 0);
}

// Wakes the first waiter that is still waiting (cancelled ones are skipped and dropped).
void wakeup_next(std::deque<Value>& waiters) {
  while (!waiters.empty()) {
    Value w = std::move(waiters.front());
    waiters.pop_front();
    auto* f = as<FutureObj>(w);
    if (!future_done(f)) {
      future_set_result(f, Value());
      return;
    }
  }
}

void remove_waiter(std::deque<Value>& waiters, const Value& w) {
  auto it = std::find_if(waiters.begin(), waiters.end(), [&](const Value& x) { return x.is(w); });
  if (it != waiters.end()) waiters.erase(it);
}

bool put_item(QueueObj* q, Value item) {
  if (q->order == Order::Priority) {
    if (!heap_push(q->items, std::move(item))) return false;
  } else {
    q->items.push_back(std::move(item));
  }
  q->unfinished++;
  wakeup_next(q->getters);
  return true;
}

Value get_item(QueueObj* q) {
  Value item;
  if (q->order == Order::Priority) {
    if (!heap_pop(q->items, item)) return Value::raised();
  } else if (q->order == Order::Lifo) {
    item = std::move(q->items.back());
    q->items.pop_back();
  } else {
    item = std::move(q->items.front());
    q->items.pop_front();
  }
  wakeup_next(q->putters);
  return item;
}

// The loop the queue waits on: the running one, which must stay the same (_LoopBoundMixin).
LoopObj* bound_loop(QueueObj* q) {
  LoopObj* l = running_loop();
  if (!l) {
    raise(exc.RuntimeError, "no running event loop");
    return nullptr;
  }
  if (q->loop.is_none()) q->loop = Value::borrow(l);
  if (q->loop.obj() != l) {
    Value r = repr(Value::borrow(q));
    raise(exc.RuntimeError, (r.is_raised() ? std::string("Queue") : str_of(r)) + " is bound to a different event loop");
    return nullptr;
  }
  return l;
}

// ---- put / get / join: awaitables that wait on a future while the queue is full / empty ----

enum class OpKind : uint8_t { Put, Get, Join };

struct OpObj : Object, Pooled<OpObj> {
  Value queue;
  Value item;    // Put: the item
  Value waiter;  // the future waited on, if any
  OpKind kind;
  OpObj(Value q, Value it, OpKind k) : Object(qt.op), queue(std::move(q)), item(std::move(it)), kind(k) {}
};

std::deque<Value>& waiters_of(QueueObj* q, OpKind k) {
  return k == OpKind::Put ? q->putters : k == OpKind::Get ? q->getters : q->joiners;
}

bool must_wait(QueueObj* q, OpKind k) {
  return k == OpKind::Put ? is_full(q) : k == OpKind::Get ? q->items.empty() : q->unfinished > 0;
}

GenResult op_send(const Value& self, Value sent, bool throwing, Value& out) {
  auto* op = as<OpObj>(self);
  auto* q = as<QueueObj>(op->queue);
  auto& waiters = waiters_of(q, op->kind);
  if (throwing) {
    // Cancelled (or thrown into) while waiting: drop our waiter and pass the turn on.
    if (op->waiter.is_obj()) {
      future_cancel(as<FutureObj>(op->waiter), Value());
      remove_waiter(waiters, op->waiter);
      if (op->kind != OpKind::Join && !must_wait(q, op->kind)) wakeup_next(waiters);
      op->waiter = Value();
    }
    raise_value(std::move(sent));
    return GenResult::Raised;
  }
  op->waiter = Value();
  if (must_wait(q, op->kind)) {
    LoopObj* l = bound_loop(q);
    if (!l) return GenResult::Raised;
    op->waiter = new_future(Value::borrow(l));
    waiters.push_back(op->waiter);
    as<FutureObj>(op->waiter)->blocking = true;
    out = op->waiter;
    return GenResult::Yielded;
  }
  out = Value();
  if (op->kind == OpKind::Put) return put_item(q, std::move(op->item)) ? GenResult::Returned : GenResult::Raised;
  if (op->kind == OpKind::Get) {
    out = get_item(q);
    return out.is_raised() ? GenResult::Raised : GenResult::Returned;
  }
  return GenResult::Returned;
}

Value op_close(const Args&) { return Value(); }

Value op_repr(const Args& a) {
  static const char* names[] = {"put", "get", "join"};
  char buf[80];
  snprintf(buf, sizeof buf, "<coroutine object Queue.%s at 0x%012lx>", names[(int)as<OpObj>(a[0])->kind],
           (unsigned long)(uintptr_t)a[0].obj());
  return new_str(buf);
}

// ---- methods ----

Object* queue_alloc(Type* t) {
  if (!t->is_native) return new WithDict<QueueObj>(t, t, order_of(t));
  return new QueueObj(t, order_of(t));
}

// Queue(maxsize=0, *, loop=None): native types get no __init__ call, so __new__ reads the size.
Value queue_new(const Args& a) {
  const Value* m = arg_or_kw(a, 1, "maxsize");
  if (m && !m->is_int()) return raise(exc.TypeError, "'<=' not supported between instances of '" + type_name(*m) + "' and 'int'");
  Value q = Value::adopt(queue_alloc(as<Type>(a[0])));
  if (m) as<QueueObj>(q)->maxsize = m->as_int();
  return q;
}

Value queue_init(const Args&) { return Value(); }

Value queue_qsize(const Args& a) { return Value::integer((int64_t)self_queue(a)->items.size()); }
Value queue_empty(const Args& a) { return Value::boolean(self_queue(a)->items.empty()); }
Value queue_full(const Args& a) { return Value::boolean(is_full(self_queue(a))); }
Value queue_maxsize(const Value& s) { return Value::integer(as<QueueObj>(s)->maxsize); }

Value queue_put_nowait(const Args& a) {
  if (!check_args(a, "put_nowait", 2, 2)) return Value::raised();
  QueueObj* q = self_queue(a);
  if (is_full(q)) return raise_value(make_exception(qt.QueueFull, {}));
  return put_item(q, a[1]) ? Value() : Value::raised();
}

Value queue_get_nowait(const Args& a) {
  QueueObj* q = self_queue(a);
  if (q->items.empty()) return raise_value(make_exception(qt.QueueEmpty, {}));
  return get_item(q);
}

Value queue_put(const Args& a) {
  if (!check_args(a, "put", 2, 2)) return Value::raised();
  return Value::adopt(new OpObj(a[0], a[1], OpKind::Put));
}

Value queue_get(const Args& a) { return Value::adopt(new OpObj(a[0], Value(), OpKind::Get)); }
Value queue_join(const Args& a) { return Value::adopt(new OpObj(a[0], Value(), OpKind::Join)); }

Value queue_task_done(const Args& a) {
  QueueObj* q = self_queue(a);
  if (q->unfinished <= 0) return raise(exc.ValueError, "task_done() called too many times");
  if (--q->unfinished == 0) {
    std::deque<Value> joiners;
    joiners.swap(q->joiners);
    for (Value& j : joiners)
      if (!future_done(as<FutureObj>(j))) future_set_result(as<FutureObj>(j), Value());
  }
  return Value();
}

// "maxsize=0 _queue=[1, 2] _getters[1] tasks=2", as CPython's Queue._format.
Value queue_format(QueueObj* q, std::string& out) {
  out += "maxsize=" + std::to_string(q->maxsize);
  if (!q->items.empty()) {
    out += " _queue=[";
    for (size_t i = 0; i < q->items.size(); i++) {
      if (i) out += ", ";
      if (!repr_string(q->items[i], out)) return Value::raised();
    }
    out += "]";
  }
  if (!q->getters.empty()) out += " _getters[" + std::to_string(q->getters.size()) + "]";
  if (!q->putters.empty()) out += " _putters[" + std::to_string(q->putters.size()) + "]";
  if (q->unfinished) out += " tasks=" + std::to_string(q->unfinished);
  return Value();
}

Value queue_repr(const Args& a) {
  char addr[32];
  snprintf(addr, sizeof addr, " at 0x%012lx ", (unsigned long)(uintptr_t)a[0].obj());
  std::string out = "<" + type_of(a[0])->name + addr;
  if (queue_format(self_queue(a), out).is_raised()) return Value::raised();
  return new_str(out + ">");
}

Value queue_str(const Args& a) {
  std::string out = "<" + type_of(a[0])->name + " ";
  if (queue_format(self_queue(a), out).is_raised()) return Value::raised();
  return new_str(out + ">");
}

Value queue_items(const Value& s) {
  auto* q = as<QueueObj>(s);
  return new_list(std::vector<Value>(q->items.begin(), q->items.end()));
}

Value queue_unfinished(const Value& s) { return Value::integer(as<QueueObj>(s)->unfinished); }

struct Method {
  const char* name;
  NativeFn fn;
};

const Method kMethods[] = {
    {"__new__", queue_new},         {"__init__", queue_init},   {"qsize", queue_qsize},
    {"empty", queue_empty},         {"full", queue_full},       {"put_nowait", queue_put_nowait},
    {"get_nowait", queue_get_nowait}, {"put", queue_put},       {"get", queue_get},
    {"join", queue_join},           {"task_done", queue_task_done}, {"__repr__", queue_repr},
    {"__str__", queue_str},
};

Type* make_exception_type(const char* name) {
  auto* t = new Type(name, exc.Exception);
  t->module = "asyncio.queues";
  t->alloc = exc.Exception->alloc;
  return t;
}

}  // namespace

bool is_queue_op(const Value& v) { return is_exact(v, qt.op); }

bool is_queue_coroutine_function(NativeFn fn) { return fn == queue_put || fn == queue_get || fn == queue_join; }

void init_asyncio_queue(const Value& module) {
  if (!qt.queue) {
    qt.queue = new Type("Queue", types.object);
    qt.priority = new Type("PriorityQueue", qt.queue);
    qt.lifo = new Type("LifoQueue", qt.queue);
    qt.op = new Type("coroutine", types.object);
    for (Type* t : {qt.queue, qt.priority, qt.lifo}) {
      t->module = "asyncio.queues";
      t->alloc = queue_alloc;
    }
    for (const Method& m : kMethods) add_method(qt.queue, m.name, m.fn);
    add_getset(qt.queue, "maxsize", queue_maxsize);
    add_getset(qt.queue, "_queue", queue_items);
    add_getset(qt.queue, "_unfinished_tasks", queue_unfinished);
    qt.op->send = op_send;
    add_send_methods(qt.op);
    add_method(qt.op, "close", op_close);
    add_method(qt.op, "__repr__", op_repr);
    qt.QueueEmpty = make_exception_type("QueueEmpty");
    qt.QueueFull = make_exception_type("QueueFull");
  }
  DictObj* d = module_dict(module);
  for (Type* t : {qt.queue, qt.priority, qt.lifo, qt.QueueEmpty, qt.QueueFull})
    dict_set_str(d, intern(t->name), Value::borrow(t));
}

}  // namespace aio
