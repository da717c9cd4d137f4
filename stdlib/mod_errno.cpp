// errno: the system's error numbers by name, and errorcode (number -> name), as CPython's.
#include <cerrno>

#include "interp/dict.h"
#include "interp/exception.h"
#include "interp/module.h"
#include "interp/str.h"
#include "stdlib/stdlib.h"

namespace aio {

namespace {

// Every name CPython's errno has on Linux. Aliases (EWOULDBLOCK, EDEADLOCK, ENOTSUP) come just
// before the name errorcode gives their number, which overwrites them there.
#define AIO_ERRNO_NAMES(X) \
    X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) X(EBADF) X(ECHILD) \
    X(EWOULDBLOCK) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(ENOTBLK) X(EBUSY) X(EEXIST) X(EXDEV) \
    X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) \
    X(ENOSPC) X(ESPIPE) X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(EDEADLOCK) \
    X(ENAMETOOLONG) X(ENOLCK) X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) X(EIDRM) X(ECHRNG) \
    X(EL2NSYNC) X(EL3HLT) X(EL3RST) X(ELNRNG) X(EUNATCH) X(ENOCSI) X(EL2HLT) X(EBADE) X(EBADR) \
    X(EXFULL) X(ENOANO) X(EBADRQC) X(EBADSLT) X(EBFONT) X(ENOSTR) X(ENODATA) X(ETIME) X(ENOSR) \
    X(ENONET) X(ENOPKG) X(EREMOTE) X(ENOLINK) X(EADV) X(ESRMNT) X(ECOMM) X(EPROTO) X(EMULTIHOP) \
    X(EDOTDOT) X(EBADMSG) X(EOVERFLOW) X(ENOTUNIQ) X(EBADFD) X(EREMCHG) X(ELIBACC) X(ELIBBAD) \
    X(ELIBSCN) X(ELIBMAX) X(ELIBEXEC) X(EILSEQ) X(ERESTART) X(ESTRPIPE) X(EUSERS) X(ENOTSOCK) \
    X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE) X(ENOPROTOOPT) X(EPROTONOSUPPORT) X(ESOCKTNOSUPPORT) \
    X(EOPNOTSUPP) X(ENOTSUP) X(EPFNOSUPPORT) X(EAFNOSUPPORT) X(EADDRINUSE) X(EADDRNOTAVAIL) \
    X(ENETDOWN) X(ENETUNREACH) X(ENETRESET) X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS) X(EISCONN) \
    X(ENOTCONN) X(ESHUTDOWN) X(ETOOMANYREFS) X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTDOWN) \
    X(EHOSTUNREACH) X(EALREADY) X(EINPROGRESS) X(ESTALE) X(EUCLEAN) X(ENOTNAM) X(ENAVAIL) X(EISNAM) \
    X(EREMOTEIO) X(EDQUOT) X(ENOMEDIUM) X(EMEDIUMTYPE) X(ECANCELED) X(ENOKEY) X(EKEYEXPIRED) \
    X(EKEYREVOKED) X(EKEYREJECTED) X(EOWNERDEAD) X(ENOTRECOVERABLE) X(ERFKILL)
struct ErrnoName {
  const char* name;
  int value;
};

#define AIO_ERRNO_ENTRY(name) {#name, name},
constexpr ErrnoName kErrnoNames[] = {AIO_ERRNO_NAMES(AIO_ERRNO_ENTRY)};
#undef AIO_ERRNO_ENTRY

}  // namespace

void init_errno(const Value& module) {
  DictObj* d = module_dict(module);
  Value errorcode = new_dict();
  for (const ErrnoName& e : kErrnoNames) {
    Value name = intern(e.name);
    dict_set_str(d, name, Value::integer(e.value));
    if (!dict_set(as_dict(errorcode), Value::integer(e.value), name)) take_exception();
  }
  dict_set_str(d, intern("errorcode"), errorcode);
}

}  // namespace aio
