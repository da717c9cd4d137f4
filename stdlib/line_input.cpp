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

// Whether stdin's buffer still holds bytes (glibc's FILE): then reading cannot block.
bool stdin_buffered() { return stdin->_IO_read_ptr < stdin->_IO_read_end; }

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

InputResult read_stdin(std::string& line) {
  for (;;) {
    if (!stdin_buffered()) {
      WaitResult w;
      {
        GilReleased others_run;
        w = interrupt_wait(STDIN_FILENO, POLLIN, -1);
      }
      if (w == WaitResult::Interrupted) return InputResult::Interrupted;
    }
    int c = getc(stdin);
    if (c == EOF) return line.empty() ? InputResult::Eof : InputResult::Line;
    if (c == '\n') return InputResult::Line;
    line += static_cast<char>(c);
  }
}

}  // namespace

void set_input_reader(InputReader r, void* data) {
  reader = r;
  reader_data = data;
}

Value input_line(const std::string& prompt) {
  flush_stdout();
  if (!reader && !prompt.empty()) show_prompt(prompt);
  std::string line;
  for (;;) {
    InputResult r = reader ? reader(reader_data, prompt, line) : read_stdin(line);
    if (r == InputResult::Line) return new_str(std::move(line));
    if (r == InputResult::Eof) return raise(exc.EOFError, "EOF when reading a line");
    // Ctrl-C: KeyboardInterrupt, unless what Ctrl-C does now raises nothing (then read on).
    if (reader) return raise_value(make_exception(exc.KeyboardInterrupt, {}));
    if (!interrupt_check()) return Value::raised();
  }
}

}  // namespace aio
