// Where input() gets its line: stdin, or at the REPL the REPL's own reader, so that what is
// typed at the terminal goes through one reader and no keys are lost between the two.
#pragma once
#include <cstdio>
#include <string>

#include "interp/object.h"

namespace aio {

enum class InputResult { Line, Eof, Interrupted };

// Shows the prompt and reads one line (without its newline). Interrupted: Ctrl-C was typed.
using InputReader = InputResult (*)(void* data, const std::string& prompt, std::string& line);

// The REPL installs its reader for its session; nullptr goes back to stdin.
void set_input_reader(InputReader reader, void* data);

// input(prompt): the line as a str; EOFError at the end of input, KeyboardInterrupt on Ctrl-C.
Value input_line(const std::string& prompt);

// Call before each getc from fp: when its buffer is empty (a read could block on a pipe or a
// terminal), waits for input with the interpreter lock released, so that other threads run and
// Ctrl-C is seen. False when Ctrl-C raised (KeyboardInterrupt).
bool wait_readable(FILE* fp);

}  // namespace aio
