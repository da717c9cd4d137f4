// The native modules and their registration with the interpreter.
#pragma once
#include "interp/interp.h"

namespace aio {

void init_sys(const Value& module);
void init_math(const Value& module);
void init_time(const Value& module);
void init_random(const Value& module);
void init_os(const Value& module);
void init_os_path(const Value& module);
// os.stat, lstat, scandir, fspath, chmod, access, utime, symlink, link, readlink, get_terminal_size
// (mod_os_stat.cpp), added by init_os.
void init_os_stat(const Value& module);
// os.open, close, read, write, dup, fdopen, pipe, kill and the O_* flags (mod_os_fd.cpp), added by init_os.
void init_os_fd(const Value& module);
// os.uname, confstr, getuid, geteuid, getgid, getegid, getppid (mod_os_sys.cpp), added by init_os.
void init_os_sys(const Value& module);
// os.walk and os.path.relpath/commonpath/commonprefix, forwarded to _os_helpers.aio (mod_os_lib.cpp).
void init_os_lib(const Value& os_module);
void init_os_path_lib(const Value& path_module);
void init_string(const Value& module);
void init_unicodedata(const Value& module);
void init_asyncio_core(const Value& module);
void init_thread(const Value& module);
void init_process(const Value& module);
void init_datetime_helpers(const Value& module);
void init_contextvars(const Value& module);
void init_itertools(const Value& module);
void init_json_native(const Value& module);
void init_collections_native(const Value& module);
void init_traceback_native(const Value& module);
void init_re_native(const Value& module);
void init_hashlib(const Value& module);
void init_errno(const Value& module);
void init_subprocess_native(const Value& module);
void init_socket_native(const Value& module);
void init_signal_native(const Value& module);

// Registers every native module above under its import name.
void register_stdlib(Interp& interp);
// After the main module: waits for non-daemon threads, flushes output.
void finalize_stdlib(Interp& interp);

}  // namespace aio
