// _socket: BSD sockets as calls on file descriptors; socket.aio wraps them in the socket class.
// Every descriptor is non-blocking in the kernel. A call on a blocking socket (timeout < 0) or one
// with a timeout waits for readiness with the interpreter lock released, as CPython's
// sock_call does: Ctrl-C and signal handlers run meanwhile, and a timeout raises
// TimeoutError('timed out'). Timeout 0 is a non-blocking socket: EAGAIN raises BlockingIOError.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

#include "interp/bytes.h"
#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/gil.h"
#include "interp/interrupt.h"
#include "interp/module.h"
#include "interp/ops.h"
#include "interp/str.h"
#include "interp/tuple.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

constexpr int64_t kMaxPort = 65535;
constexpr size_t kHostNameMax = 256;

Type* gaierror_type;  // socket.gaierror(code, message): getaddrinfo's failures

// ---- arguments ----

bool int_arg(const Value& v, int& out) {
  int64_t n;
  if (!index_of(v, n)) return false;
  if (n < INT_MIN || n > INT_MAX) {
    raise(exc.OverflowError, "signed integer is greater than maximum");
    return false;
  }
  out = static_cast<int>(n);
  return true;
}

bool timeout_arg(const Value& v, double& out) {
  if (v.is_none()) out = -1;
  else if (v.is_int()) out = static_cast<double>(v.as_int());
  else if (v.is_float()) out = v.as_float();
  else {
    raise(exc.TypeError, "timeout must be a number or None");
    return false;
  }
  return true;
}

// ---- socket addresses ----

struct SockAddr {
  sockaddr_storage storage{};
  socklen_t len = sizeof(sockaddr_storage);
  sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
};

Value raise_gaierror(int code) {
  if (code == EAI_SYSTEM) return raise_os_error(errno);
  return raise_value(make_exception(gaierror_type, {Value::integer(code), new_str(gai_strerror(code))}));
}

// host as getaddrinfo understands it ("" is the wildcard address, as CPython's setipaddr).
bool resolve_host(const std::string& host, int family, SockAddr& out) {
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_flags = host.empty() ? AI_PASSIVE : 0;
  addrinfo* res = nullptr;
  int rc;
  {
    GilReleased others_run;
    rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), "0", &hints, &res);
  }
  if (rc != 0) {
    raise_gaierror(rc);
    return false;
  }
  std::memcpy(&out.storage, res->ai_addr, res->ai_addrlen);
  out.len = res->ai_addrlen;
  freeaddrinfo(res);
  return true;
}

bool inet_address(const char* fname, int family, const Value& addr, SockAddr& out) {
  const char* want = family == AF_INET ? "AF_INET" : "AF_INET6";
  if (!is_exact(addr, types.tuple)) {
    raise(exc.TypeError, std::string(fname) + "(): " + want + " address must be tuple, not " + type_name(addr));
    return false;
  }
  auto& items = tuple_items(addr);
  size_t most = family == AF_INET ? 2 : 4;
  if (items.size() < 2 || items.size() > most) {
    raise(exc.TypeError, std::string(want) + " address must be a pair (host, port)");
    return false;
  }
  if (!is_str(items[0])) {
    raise(exc.TypeError, "str, bytes or bytearray expected, not " + type_name(items[0]));
    return false;
  }
  int64_t port;
  if (!index_of(items[1], port)) return false;
  if (port < 0 || port > kMaxPort) {
    raise(exc.OverflowError, std::string(fname) + "(): port must be 0-65535.");
    return false;
  }
  if (!resolve_host(str_of(items[0]), family, out)) return false;
  if (family == AF_INET) reinterpret_cast<sockaddr_in*>(out.get())->sin_port = htons(static_cast<uint16_t>(port));
  else reinterpret_cast<sockaddr_in6*>(out.get())->sin6_port = htons(static_cast<uint16_t>(port));
  return true;
}

bool unix_address(const Value& addr, SockAddr& out) {
  if (!is_str(addr) && !is_bytes(addr)) {
    raise(exc.TypeError, "a bytes-like object is required, not '" + type_name(addr) + "'");
    return false;
  }
  const std::string& path = is_str(addr) ? str_of(addr) : bytes_of(addr);
  auto* un = reinterpret_cast<sockaddr_un*>(out.get());
  if (path.size() >= sizeof un->sun_path) {
    raise(exc.OSError, "AF_UNIX path too long");
    return false;
  }
  un->sun_family = AF_UNIX;
  std::memcpy(un->sun_path, path.data(), path.size());
  out.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  return true;
}

bool to_sockaddr(const char* fname, int family, const Value& addr, SockAddr& out) {
  if (family == AF_UNIX) return unix_address(addr, out);
  if (family == AF_INET || family == AF_INET6) return inet_address(fname, family, addr, out);
  raise(exc.OSError, "getsockaddrarg: bad family");
  return false;
}

// The address as CPython shows it: (host, port), (host, port, flowinfo, scope_id) or a path.
Value from_sockaddr(const sockaddr* sa, socklen_t len) {
  char text[INET6_ADDRSTRLEN];
  switch (sa->sa_family) {
    case AF_INET: {
      auto* in = reinterpret_cast<const sockaddr_in*>(sa);
      inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      return new_tuple({new_str(text), Value::integer(ntohs(in->sin_port))});
    }
    case AF_INET6: {
      auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
      inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
      return new_tuple({new_str(text), Value::integer(ntohs(in6->sin6_port)), Value::integer(ntohl(in6->sin6_flowinfo)),
                        Value::integer(in6->sin6_scope_id)});
    }
    case AF_UNIX: {
      auto* un = reinterpret_cast<const sockaddr_un*>(sa);
      size_t n = len > offsetof(sockaddr_un, sun_path) ? len - offsetof(sockaddr_un, sun_path) : 0;
      if (n > 0 && un->sun_path[0] == '\0') return new_bytes(std::string(un->sun_path, n));  // abstract
      return new_str(std::string_view(un->sun_path, strnlen(un->sun_path, n)));
    }
    default:
      return new_tuple({Value::integer(sa->sa_family), new_bytes("")});
  }
}

// ---- waiting ----

using SteadyClock = std::chrono::steady_clock;

// Waits for fd to be ready for events until deadline (timeout < 0: no deadline). False with an
// exception raised: TimeoutError, or what a signal handler raised.
bool wait_ready(int fd, short events, double timeout, SteadyClock::time_point deadline) {
  for (;;) {
    double left = -1;
    if (timeout >= 0) {
      left = std::chrono::duration<double>(deadline - SteadyClock::now()).count();
      if (left <= 0) break;
    }
    WaitResult r;
    {
      GilReleased others_run;
      r = interrupt_wait(fd, events, left);
    }
    if (r == WaitResult::Ready) return true;
    if (r == WaitResult::TimedOut) break;
    if (!interrupt_check()) return false;
  }
  raise_value(make_exception(exc.TimeoutError, {new_str("timed out")}));
  return false;
}

// Runs op (a system call returning -1 with errno on failure) until it succeeds, waiting for
// readiness between EAGAIN results as the socket's timeout allows.
template <class Op>
bool retry(int fd, short events, double timeout, ssize_t& result, Op&& op) {
  auto deadline = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                           std::chrono::duration<double>(timeout > 0 ? timeout : 0));
  for (;;) {
    result = op();
    if (result >= 0) return true;
    int err = errno;
    if (err == EINTR) {
      if (!interrupt_check()) return false;
      continue;
    }
    if ((err != EAGAIN && err != EWOULDBLOCK) || timeout == 0) {
      raise_os_error(err);
      return false;
    }
    if (!wait_ready(fd, events, timeout, deadline)) return false;
  }
}

// ---- the calls ----

Value sock_socket(const Args& a) {
  int family, type, proto;
  if (!check_args(a, "socket", 3, 3) || !int_arg(a[0], family) || !int_arg(a[1], type) || !int_arg(a[2], proto))
    return Value::raised();
  int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (fd < 0) return raise_os_error(errno);
  return Value::integer(fd);
}

// set_nonblocking(fd): for a descriptor socket(fileno=) adopts.
Value sock_set_nonblocking(const Args& a) {
  int fd;
  if (!check_args(a, "set_nonblocking", 1, 1) || !int_arg(a[0], fd)) return Value::raised();
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return raise_os_error(errno);
  return Value();
}

Value sock_close(const Args& a) {
  int fd;
  if (!check_args(a, "close", 1, 1) || !int_arg(a[0], fd)) return Value::raised();
  // ECONNRESET on close is not an error worth raising (as CPython).
  if (close(fd) != 0 && errno != ECONNRESET && errno != EINTR) return raise_os_error(errno);
  return Value();
}

Value sock_bind(const Args& a) {
  int fd, family;
  SockAddr sa;
  if (!check_args(a, "bind", 3, 3) || !int_arg(a[0], fd) || !int_arg(a[1], family) ||
      !to_sockaddr("bind", family, a[2], sa))
    return Value::raised();
  if (bind(fd, sa.get(), sa.len) != 0) return raise_os_error(errno);
  return Value();
}

Value sock_listen(const Args& a) {
  int fd, backlog;
  if (!check_args(a, "listen", 2, 2) || !int_arg(a[0], fd) || !int_arg(a[1], backlog)) return Value::raised();
  if (listen(fd, backlog < 0 ? 0 : backlog) != 0) return raise_os_error(errno);
  return Value();
}

// accept(fd, timeout) -> (new fd, address)
Value sock_accept(const Args& a) {
  int fd;
  double timeout;
  if (!check_args(a, "accept", 2, 2) || !int_arg(a[0], fd) || !timeout_arg(a[1], timeout)) return Value::raised();
  SockAddr sa;
  ssize_t got;
  if (!retry(fd, POLLIN, timeout, got, [&] {
        sa.len = sizeof sa.storage;
        return static_cast<ssize_t>(accept4(fd, sa.get(), &sa.len, SOCK_NONBLOCK | SOCK_CLOEXEC));
      }))
    return Value::raised();
  return new_tuple({Value::integer(got), from_sockaddr(sa.get(), sa.len)});
}

// The errno of connecting fd to addr within timeout (0: not waiting; EINPROGRESS then).
// -1 when an exception was raised before the attempt (a bad address, a signal handler).
int connect_errno(const Args& a) {
  int fd, family;
  double timeout;
  SockAddr sa;
  if (!check_args(a, "connect", 4, 4) || !int_arg(a[0], fd) || !int_arg(a[1], family) ||
      !to_sockaddr("connect", family, a[2], sa) || !timeout_arg(a[3], timeout))
    return -1;
  int rc = connect(fd, sa.get(), sa.len);
  while (rc != 0 && errno == EINTR) {
    if (!interrupt_check()) return -1;
    rc = connect(fd, sa.get(), sa.len);
  }
  if (rc == 0) return 0;
  if (errno != EINPROGRESS || timeout == 0) return errno;
  auto deadline = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                           std::chrono::duration<double>(timeout > 0 ? timeout : 0));
  if (!wait_ready(fd, POLLOUT, timeout, deadline)) return -1;
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

Value sock_connect(const Args& a) {
  int err = connect_errno(a);
  if (err < 0) return Value::raised();
  return err ? raise_os_error(err) : Value();
}

Value sock_connect_ex(const Args& a) {
  int err = connect_errno(a);
  return err < 0 ? Value::raised() : Value::integer(err);
}

// recv(fd, bufsize, timeout) -> bytes (b'' once the peer has closed)
Value sock_recv(const Args& a) {
  int fd;
  int64_t size;
  double timeout;
  if (!check_args(a, "recv", 3, 3) || !int_arg(a[0], fd) || !index_of(a[1], size) || !timeout_arg(a[2], timeout))
    return Value::raised();
  if (size < 0) return raise(exc.ValueError, "negative buffersize in recv");
  std::string buf(static_cast<size_t>(size), '\0');
  ssize_t got;
  if (!retry(fd, POLLIN, timeout, got, [&] { return recv(fd, buf.data(), buf.size(), 0); })) return Value::raised();
  buf.resize(static_cast<size_t>(got));
  return new_bytes(std::move(buf));
}

bool data_arg(const Value& v, const std::string*& out) {
  if (!is_byteslike(v)) {
    raise(exc.TypeError, "a bytes-like object is required, not '" + type_name(v) + "'");
    return false;
  }
  out = &bytes_of(v);
  return true;
}

// send(fd, data, timeout) -> bytes sent. MSG_NOSIGNAL: a closed peer is EPIPE, never SIGPIPE.
Value sock_send(const Args& a) {
  int fd;
  double timeout;
  const std::string* data;
  if (!check_args(a, "send", 3, 3) || !int_arg(a[0], fd) || !data_arg(a[1], data) || !timeout_arg(a[2], timeout))
    return Value::raised();
  ssize_t sent;
  if (!retry(fd, POLLOUT, timeout, sent, [&] { return send(fd, data->data(), data->size(), MSG_NOSIGNAL); }))
    return Value::raised();
  return Value::integer(sent);
}

Value sock_sendall(const Args& a) {
  int fd;
  double timeout;
  const std::string* data;
  if (!check_args(a, "sendall", 3, 3) || !int_arg(a[0], fd) || !data_arg(a[1], data) || !timeout_arg(a[2], timeout))
    return Value::raised();
  for (size_t done = 0; done < data->size();) {
    ssize_t sent;
    if (!retry(fd, POLLOUT, timeout, sent,
               [&] { return send(fd, data->data() + done, data->size() - done, MSG_NOSIGNAL); }))
      return Value::raised();
    done += static_cast<size_t>(sent);
  }
  return Value();
}

Value sock_shutdown(const Args& a) {
  int fd, how;
  if (!check_args(a, "shutdown", 2, 2) || !int_arg(a[0], fd) || !int_arg(a[1], how)) return Value::raised();
  if (shutdown(fd, how) != 0) return raise_os_error(errno);
  return Value();
}

Value sock_setsockopt(const Args& a) {
  int fd, level, opt;
  if (!check_args(a, "setsockopt", 4, 4) || !int_arg(a[0], fd) || !int_arg(a[1], level) || !int_arg(a[2], opt))
    return Value::raised();
  int rc;
  if (is_byteslike(a[3])) {
    const std::string& b = bytes_of(a[3]);
    rc = setsockopt(fd, level, opt, b.data(), static_cast<socklen_t>(b.size()));
  } else {
    int v;
    if (!int_arg(a[3], v)) return Value::raised();
    rc = setsockopt(fd, level, opt, &v, sizeof v);
  }
  if (rc != 0) return raise_os_error(errno);
  return Value();
}

Value sock_getsockopt(const Args& a) {
  int fd, level, opt;
  if (!check_args(a, "getsockopt", 3, 3) || !int_arg(a[0], fd) || !int_arg(a[1], level) || !int_arg(a[2], opt))
    return Value::raised();
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, opt, &v, &len) != 0) return raise_os_error(errno);
  return Value::integer(v);
}

template <int (*Get)(int, sockaddr*, socklen_t*)>
Value sock_name(const Args& a) {
  int fd;
  if (!check_args(a, "getsockname", 1, 1) || !int_arg(a[0], fd)) return Value::raised();
  SockAddr sa;
  if (Get(fd, sa.get(), &sa.len) != 0) return raise_os_error(errno);
  return from_sockaddr(sa.get(), sa.len);
}

Value sock_socketpair(const Args& a) {
  int family, type, proto;
  if (!check_args(a, "socketpair", 3, 3) || !int_arg(a[0], family) || !int_arg(a[1], type) || !int_arg(a[2], proto))
    return Value::raised();
  int fds[2];
  if (socketpair(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto, fds) != 0) return raise_os_error(errno);
  return new_tuple({Value::integer(fds[0]), Value::integer(fds[1])});
}

Value sock_gethostname(const Args& a) {
  if (!check_args(a, "gethostname", 0, 0)) return Value::raised();
  char name[kHostNameMax];
  if (gethostname(name, sizeof name) != 0) return raise_os_error(errno);
  name[sizeof name - 1] = '\0';
  return new_str(std::string_view(name));
}

// getaddrinfo(host, port, family, type, proto, flags) with host/port None, str or int.
Value sock_getaddrinfo(const Args& a) {
  int family, type, proto, flags;
  if (!check_args(a, "getaddrinfo", 6, 6) || !int_arg(a[2], family) || !int_arg(a[3], type) ||
      !int_arg(a[4], proto) || !int_arg(a[5], flags))
    return Value::raised();
  std::string host, port;
  bool has_host = !a[0].is_none(), has_port = !a[1].is_none();
  if (has_host && is_str(a[0])) host = str_of(a[0]);
  else if (has_host && is_bytes(a[0])) host = bytes_of(a[0]);
  else if (has_host) return raise(exc.TypeError, "getaddrinfo() argument 1 must be string or None");
  if (a[1].is_int()) port = std::to_string(a[1].as_int());
  else if (has_port && is_str(a[1])) port = str_of(a[1]);
  else if (has_port && is_bytes(a[1])) port = bytes_of(a[1]);
  else if (has_port) return raise(exc.OSError, "Int or String expected");
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = type;
  hints.ai_protocol = proto;
  hints.ai_flags = flags;
  addrinfo* res = nullptr;
  int rc;
  {
    GilReleased others_run;
    rc = getaddrinfo(has_host ? host.c_str() : nullptr, has_port ? port.c_str() : nullptr, &hints, &res);
  }
  if (rc != 0) return raise_gaierror(rc);
  std::vector<Value> out;
  for (addrinfo* ai = res; ai; ai = ai->ai_next)
    out.push_back(new_tuple({Value::integer(ai->ai_family), Value::integer(ai->ai_socktype),
                             Value::integer(ai->ai_protocol), new_str(ai->ai_canonname ? ai->ai_canonname : ""),
                             from_sockaddr(ai->ai_addr, ai->ai_addrlen)}));
  freeaddrinfo(res);
  return new_list(std::move(out));
}

struct IntConstant {
  const char* name;
  int value;
};

const IntConstant kConstants[] = {
    {"AF_UNSPEC", AF_UNSPEC},     {"AF_INET", AF_INET},         {"AF_INET6", AF_INET6},
    {"AF_UNIX", AF_UNIX},         {"SOCK_STREAM", SOCK_STREAM}, {"SOCK_DGRAM", SOCK_DGRAM},
    {"SOCK_RAW", SOCK_RAW},       {"SOL_SOCKET", SOL_SOCKET},   {"SO_REUSEADDR", SO_REUSEADDR},
    {"SO_REUSEPORT", SO_REUSEPORT}, {"SO_KEEPALIVE", SO_KEEPALIVE}, {"SO_ERROR", SO_ERROR},
    {"SO_TYPE", SO_TYPE},         {"SO_SNDBUF", SO_SNDBUF},     {"SO_RCVBUF", SO_RCVBUF},
    {"SO_BROADCAST", SO_BROADCAST}, {"SO_LINGER", SO_LINGER},   {"IPPROTO_IP", IPPROTO_IP},
    {"IPPROTO_TCP", IPPROTO_TCP}, {"IPPROTO_UDP", IPPROTO_UDP}, {"IPPROTO_IPV6", IPPROTO_IPV6},
    {"TCP_NODELAY", TCP_NODELAY}, {"IPV6_V6ONLY", IPV6_V6ONLY}, {"SHUT_RD", SHUT_RD},
    {"SHUT_WR", SHUT_WR},         {"SHUT_RDWR", SHUT_RDWR},     {"SOMAXCONN", SOMAXCONN},
    {"AI_PASSIVE", AI_PASSIVE},   {"AI_CANONNAME", AI_CANONNAME}, {"AI_NUMERICHOST", AI_NUMERICHOST},
    {"AI_NUMERICSERV", AI_NUMERICSERV}, {"AI_ADDRCONFIG", AI_ADDRCONFIG}, {"EAI_NONAME", EAI_NONAME},
    {"MSG_PEEK", MSG_PEEK},       {"MSG_DONTWAIT", MSG_DONTWAIT}, {"INADDR_ANY", INADDR_ANY},
};

}  // namespace

void init_socket_native(const Value& module) {
  struct Entry {
    const char* name;
    NativeFn fn;
  };
  static const Entry entries[] = {
      {"socket", sock_socket},           {"set_nonblocking", sock_set_nonblocking},
      {"close", sock_close},             {"bind", sock_bind},
      {"listen", sock_listen},           {"accept", sock_accept},
      {"connect", sock_connect},         {"connect_ex", sock_connect_ex},
      {"recv", sock_recv},               {"send", sock_send},
      {"sendall", sock_sendall},         {"shutdown", sock_shutdown},
      {"setsockopt", sock_setsockopt},   {"getsockopt", sock_getsockopt},
      {"getsockname", sock_name<getsockname>}, {"getpeername", sock_name<getpeername>},
      {"socketpair", sock_socketpair},   {"gethostname", sock_gethostname},
      {"getaddrinfo", sock_getaddrinfo},
  };
  for (const Entry& e : entries) add_function(module, e.name, e.fn);
  DictObj* d = module_dict(module);
  for (const IntConstant& c : kConstants) dict_set_str(d, intern(c.name), Value::integer(c.value));
  if (!gaierror_type) {
    gaierror_type = new Type("gaierror", exc.OSError);
    gaierror_type->module = "socket";
    gaierror_type->alloc = exc.OSError->alloc;
  }
  dict_set_str(d, intern("gaierror"), Value::borrow(gaierror_type));
}

}  // namespace aio
