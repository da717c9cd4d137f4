// The process's standard streams: stdout buffered in-process (print's fast path and
// sys.stdout.write share the buffer, so their output keeps its order), stderr unbuffered.
#pragma once
#include <string>
#include <string_view>

#include "interp/object.h"

namespace aio {

// Appends to the stdout buffer; flushed when large, at a newline on a terminal, and at exit.
void write_stdout(std::string_view text);
void flush_stdout();
// False (OSError raised: BrokenPipeError for a closed pipe) when a write of stdout's buffer
// failed since the last check; print and sys.stdout.write report it as CPython does.
bool stdout_written();
// For a forked child: unless stdout is a terminal, keep everything printed from now on in the
// buffer (flushes included) for take_stdout, so that the parent can write it in its place among
// its own output.
void capture_stdout();
// Takes what is buffered unwritten: a forked child drops the parent's output it inherited, and
// takes its own output to hand to the parent.
std::string take_stdout();
// -u: every write goes straight out.
void set_stdout_unbuffered();
// Flushes stdout first, so that an error message follows the output that preceded it.
void write_stderr(std::string_view text);

// The objects sys.stdout / sys.stderr / sys.stdin start as.
Value stdout_object();
Value stderr_object();
Value stdin_object();
// Where print() writes by default: sys.stdout when the script replaced it; None for the buffer.
Value redirected_stdout();
// Called by sys's init: the dict whose "stdout" print() consults.
void set_sys_dict(DictObj* sys_dict);

}  // namespace aio
