// input()'s reading. From stdin the line comes through the C stream that sys.stdin shares, with
// the interpreter lock released while it waits, and Ctrl-C cutting the wait short.
#include "stdlib/line_input.h"

#include <poll.h>
#include <unistd.h>

#include <cstdio>

#include "interp/exception.h"
#include "interp/gil.h"
#include "interp/interrupt.h"
#include "interp/str.h"
#include "stdlib/std_streams.h"

namespace aio {

namespace {

InputReader reader = nullptr;
void* reader_data = nullptr;

// Whether the stream's buffer still holds bytes (glibc's FILE): then reading cannot block.
bool buffered(FILE* fp) { return fp->_IO_read_ptr < fp->_IO_read_end; }

// As python3: on a terminal the prompt goes to stderr (readline's way), otherwise to stdout.
void show_prompt(const std::string& prompt) {
  if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
    flush_stdout();
    fflush(stdout);
    fputs(prompt.c_str(), stderr);
    fflush(stderr);
    return;
  }
  write_stdout(prompt);
  flush_stdout();
}

// False when Ctrl-C raised; an empty line with `eof` at the end of input.
bool read_stdin(std::string& line, bool& eof) {
  for (;;) {
    if (!wait_readable(stdin)) return false;
    int c = getc(stdin);
    eof = c == EOF && line.empty();
    if (c == EOF || c == '\n') return true;
    line += static_cast<char>(c);
  }
}

}  // namespace

void set_input_reader(InputReader r, void* data) {
  reader = r;
  reader_data = data;
}

bool wait_readable(FILE* fp) {
  int fd = fileno(fp);
  while (fd >= 0 && !buffered(fp)) {
    WaitResult w;
    {
      GilReleased others_run;
      w = interrupt_wait(fd, POLLIN, -1);
    }
    if (w != WaitResult::Interrupted) return true;
    if (!interrupt_check()) return false;  // else what Ctrl-C does now raised nothing: wait on
  }
  return true;
}

Value input_line(const std::string& prompt) {
  flush_stdout();
  std::string line;
  if (!reader) {
    if (!prompt.empty()) show_prompt(prompt);
    bool eof = false;
    if (!read_stdin(line, eof)) return Value::raised();
    if (eof) return raise(exc.EOFError, "EOF when reading a line");
    return new_str(std::move(line));
  }
  InputResult r = reader(reader_data, prompt, line);
  if (r == InputResult::Line) return new_str(std::move(line));
  if (r == InputResult::Eof) return raise(exc.EOFError, "EOF when reading a line");
  return raise_value(make_exception(exc.KeyboardInterrupt, {}));  // Ctrl-C typed in the editor
}

}  // namespace aio
