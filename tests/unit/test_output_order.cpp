// With stdout and stderr sent to one file (2>&1), what the interpreter writes itself (an
// uncaught exception's traceback) must come after everything the script printed before it.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "interp/interp.h"
#include "stdlib/builtins.h"
#include "stdlib/std_streams.h"
#include "stdlib/stdlib.h"

using namespace aio;

namespace {

// Runs source as __main__ with fds 1 and 2 both on one temporary file; returns what it holds.
std::string run_merged(const std::string& source, int& status) {
  static Interp interp;
  static bool ready = [] {
    interp_init(interp);
    register_stdlib(interp);
    init_builtins(interp.builtins_module);
    bind_builtin_types(interp.builtins_module);
    return true;
  }();
  (void)ready;
  FILE* tmp = std::tmpfile();
  fflush(stdout);
  fflush(stderr);
  int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
  dup2(fileno(tmp), STDOUT_FILENO);
  dup2(fileno(tmp), STDERR_FILENO);
  status = run_main(interp, source, "order.aio");
  flush_stdout();
  fflush(stderr);
  dup2(saved_out, STDOUT_FILENO);
  dup2(saved_err, STDERR_FILENO);
  close(saved_out);
  close(saved_err);
  std::string text;
  std::rewind(tmp);
  for (int c; (c = std::fgetc(tmp)) != EOF;) text += static_cast<char>(c);
  std::fclose(tmp);
  return text;
}

}  // namespace

TEST_CASE("a traceback follows the output printed before it", "[test_output_order]") {
  int status = 0;
  std::string text = run_merged("print('before')\nprint('second line')\nraise ValueError('boom')\n", status);
  CHECK(status == 1);
  CHECK(text.rfind("before\nsecond line\nTraceback (most recent call last):\n", 0) == 0);
  CHECK(text.find("order.aio\", line 3, in <module>\n    raise ValueError('boom')\nValueError: boom\n") !=
        std::string::npos);
}

TEST_CASE("a SystemExit message follows the output printed before it", "[test_output_order]") {
  int status = 0;
  std::string text = run_merged("import sys\nprint('out')\nsys.exit('bye')\n", status);
  CHECK(status == 1);
  CHECK(text == "out\nbye\n");
}

TEST_CASE("output without a newline still comes first", "[test_output_order]") {
  int status = 0;
  std::string text = run_merged("print('partial', end='')\n1 / 0\n", status);
  CHECK(status == 1);
  CHECK(text.rfind("partialTraceback (most recent call last):\n", 0) == 0);
  CHECK(text.find("ZeroDivisionError: division by zero\n") != std::string::npos);
}
