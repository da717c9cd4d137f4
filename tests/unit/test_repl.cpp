// The REPL, driven through a pseudo-terminal as a user would drive it. The bytes aio writes
// are replayed on a small terminal model, and the tests check what the screen shows.
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kTimeout = 15.0;  // seconds to wait for expected output (generous for CI)
constexpr int kColumns = 100;

// Enough of a VT100 to replay what libedit and aio write: text, CR, LF, backspace, and the
// CSI sequences that move the cursor and erase.
class Screen {
 public:
  void feed(const std::string& bytes) {
    for (size_t i = 0; i < bytes.size(); i++) {
      char c = bytes[i];
      if (c == '\x1b') {
        i = escape(bytes, i);
      } else if (c == '\r') {
        col_ = 0;
      } else if (c == '\n') {
        row_++;
      } else if (c == '\b') {
        if (col_ > 0) col_--;
      } else if ((unsigned char)c >= ' ') {
        put(c);
      }
    }
  }

  // The lines, trailing blanks removed, joined by newlines.
  std::string text() const {
    std::string out;
    for (size_t r = 0; r < rows_.size(); r++) {
      std::string line = rows_[r];
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line;
      if (r + 1 < rows_.size()) out += "\n";
    }
    return out;
  }

 private:
  std::string& row() {
    if (rows_.size() <= row_) rows_.resize(row_ + 1);
    return rows_[row_];
  }
  void put(char c) {
    if (col_ >= kColumns && ((unsigned char)c & 0xC0) != 0x80) {
      row_++;
      col_ = 0;
    }
    std::string& r = row();
    if (r.size() <= col_) r.resize(col_ + 1, ' ');
    r[col_] = c;
    if (((unsigned char)c & 0xC0) != 0x80) col_++;
  }
  // Returns the index of the sequence's last byte.
  size_t escape(const std::string& b, size_t i) {
    if (i + 1 >= b.size() || b[i + 1] != '[') return i + 1;
    size_t j = i + 2;
    std::vector<int> args{0};
    while (j < b.size() && (isdigit((unsigned char)b[j]) || b[j] == ';' || b[j] == '?')) {
      if (b[j] == ';') args.push_back(0);
      else if (b[j] != '?') args.back() = args.back() * 10 + (b[j] - '0');
      j++;
    }
    if (j >= b.size()) return j;
    int n = std::max(args[0], 1);
    switch (b[j]) {
      case 'A': row_ = row_ >= (size_t)n ? row_ - n : 0; break;
      case 'B': row_ += n; break;
      case 'C': col_ += n; break;
      case 'D': col_ = col_ >= (size_t)n ? col_ - n : 0; break;
      case 'G': col_ = n - 1; break;
      case 'K': if (row().size() > col_) row().resize(col_); break;
      case 'J':
        if (row().size() > col_) row().resize(col_);
        if (rows_.size() > row_ + 1) rows_.resize(row_ + 1);
        break;
      default: break;
    }
    return j;
  }

  std::vector<std::string> rows_;
  size_t row_ = 0, col_ = 0;
};

// aio on a pseudo-terminal, with HOME (where the history file lives) set to `home`; `script`
// (if any) is run instead of the REPL.
class Repl {
 public:
  explicit Repl(const std::string& home, const std::string& script = "") {
    winsize ws{};
    ws.ws_row = 40;
    ws.ws_col = kColumns;
    pid_ = forkpty(&fd_, nullptr, nullptr, &ws);
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      setenv("HOME", home.c_str(), 1);
      setenv("TERM", "xterm", 1);
      signal(SIGINT, SIG_DFL);
      if (script.empty()) execl(AIO_BINARY, AIO_BINARY, (char*)nullptr);
      else execl(AIO_BINARY, AIO_BINARY, script.c_str(), (char*)nullptr);
      _exit(127);
    }
  }
  ~Repl() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(fd_);
  }

  void type(const std::string& keys) {
    ssize_t n = write(fd_, keys.data(), keys.size());
    (void)n;
  }
  // Types a line and waits for the prompt that follows it.
  void line(const std::string& text) {
    size_t prompts = prompt_count();
    type(text + "\r");
    REQUIRE(wait_until([&] { return prompt_count() > prompts; }));
  }
  bool wait_for(const std::string& shown, double seconds = kTimeout) {
    return wait_until([&] { return screen().find(shown) != std::string::npos; }, seconds);
  }
  std::string screen() {
    Screen s;
    s.feed(raw_);
    return s.text();
  }
  // Waits for the process to end; its exit status (-1 on timeout).
  int exit_status() {
    int status = 0;
    auto end = Clock::now() + std::chrono::duration<double>(kTimeout);
    while (Clock::now() < end) {
      pump(0.05);
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
    }
    return -1;
  }

 private:
  size_t prompt_count() const {
    size_t n = 0;
    for (const char* p : {">>> ", "... "})
      for (size_t at = raw_.find(p); at != std::string::npos; at = raw_.find(p, at + 1)) n++;
    return n;
  }
  template <class Pred>
  bool wait_until(Pred done, double seconds = kTimeout) {
    auto end = Clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
      if (Clock::now() >= end) return false;
      pump(0.02);
    }
    return true;
  }
  void pump(double seconds) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, (int)(seconds * 1000)) <= 0) return;
    char buf[4096];
    ssize_t n = read(fd_, buf, sizeof buf);
    if (n > 0) raw_.append(buf, (size_t)n);
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string raw_;
};

std::string fresh_home() {
  char tmpl[] = "/tmp/aio_test_repl_XXXXXX";
  return mkdtemp(tmpl);
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Waits until the screen shows text (else fails, showing the screen).
#define REQUIRE_SHOWN(repl, ...)                   \
  do {                                             \
    bool shown_ok_ = (repl).wait_for(__VA_ARGS__); \
    INFO((repl).screen());                         \
    REQUIRE(shown_ok_);                            \
  } while (0)

#define CHECK_SHOWN(screen, text) \
  do {                              \
    std::string shown_ = (screen);  \
    INFO(shown_);                   \
    CHECK(contains(shown_, text));  \
  } while (0)

// Ctrl-C once the running statement has had time to start: `shown` must follow within a second.
constexpr auto kStatementStart = std::chrono::milliseconds(300);
constexpr double kInterruptSeconds = 1.0;
void interrupt_within_a_second(Repl& r, const std::string& shown) {
  std::this_thread::sleep_for(kStatementStart);
  auto start = Clock::now();
  r.type("\x03");
  REQUIRE_SHOWN(r, shown, kInterruptSeconds);
  CHECK(Clock::now() - start < std::chrono::seconds(1));
}

}  // namespace

TEST_CASE("a multi-line def, then a call: the value's repr, None not shown", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.line("def double(x):");
  r.line("    return x * 2");
  r.line("");
  r.line("double(21)");
  r.line("None");
  r.line("_ + 1");
  CHECK_SHOWN(r.screen(), ">>> def double(x):\n...     return x * 2\n...\n>>> double(21)\n42\n>>> None\n>>> _ + 1\n43\n>>>");
  r.type("\x04");
  CHECK(r.exit_status() == 0);
}

TEST_CASE("await at the prompt", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  auto start = Clock::now();
  r.line("await asyncio.sleep(0.1)");
  CHECK(Clock::now() - start < std::chrono::seconds(5));
  r.line("await asyncio.sleep(0.01, 'woke')");
  CHECK_SHOWN(r.screen(), ">>> await asyncio.sleep(0.1)\n>>> await asyncio.sleep(0.01, 'woke')\n'woke'\n>>>");
}

TEST_CASE("gather at the prompt", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.line("await asyncio.gather(asyncio.sleep(0.05, 'a'), asyncio.sleep(0.01, 'b'))");
  CHECK_SHOWN(r.screen(), "\n['a', 'b']\n>>>");
}

TEST_CASE("a background task prints above the prompt; the typed line arrives intact", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.line("async def tick():");
  r.line("    for i in range(3):");
  r.line("        await asyncio.sleep(0.1)");
  r.line("        print('tick', i)");
  r.line("");
  r.line("t = asyncio.create_task(tick())");
  r.type("pri");
  REQUIRE_SHOWN(r, "tick 2");
  r.type("nt('typed')\r");
  REQUIRE_SHOWN(r, "\ntyped\n");
  CHECK_SHOWN(r.screen(), ">>> t = asyncio.create_task(tick())\ntick 0\ntick 1\ntick 2\n>>> print('typed')\ntyped\n>>>");
}

TEST_CASE("Ctrl-C cancels the awaited statement within a second; background tasks go on", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.line("bg = asyncio.create_task(asyncio.sleep(1.5, 'bg done'))");
  r.type("await asyncio.sleep(100)\r");
  interrupt_within_a_second(r, "KeyboardInterrupt\n>>>");
  r.line("await bg");
  CHECK_SHOWN(r.screen(), ">>> await bg\n'bg done'\n>>>");
}

TEST_CASE("Ctrl-C at the prompt drops the line; an exception leaves the session going", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.type("\x03");  // at an empty prompt too
  REQUIRE_SHOWN(r, ">>>\nKeyboardInterrupt\n>>>");
  r.type("this is not run");
  REQUIRE_SHOWN(r, "not run");
  r.type("\x03");
  REQUIRE_SHOWN(r, "not run\nKeyboardInterrupt\n>>>");
  r.line("1/0");
  r.line("print('alive')");
  std::string s = r.screen();
  CHECK_SHOWN(s, ">>> this is not run\nKeyboardInterrupt\n>>> 1/0\nTraceback (most recent call last):\n");
  CHECK_SHOWN(s, "ZeroDivisionError: division by zero\n>>> print('alive')\nalive\n>>>");
}

TEST_CASE("Tab completes keywords, names and attributes", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.type("asyncio.ga\t");
  REQUIRE_SHOWN(r, ">>> asyncio.gather");
  r.type("\x03");
  r.line("my_variable = 5");
  r.type("my_v\t");
  REQUIRE_SHOWN(r, ">>> my_variable");
  r.type(" + 1\r");
  REQUIRE_SHOWN(r, "\n6\n");
  r.type("whi\t");
  REQUIRE_SHOWN(r, ">>> while");
}

TEST_CASE("history is kept across sessions", "[test_repl]") {
  std::string home = fresh_home();
  {
    Repl r(home);
    REQUIRE_SHOWN(r, ">>>");
    r.line("x = 40 + 2");
    r.type("\x04");
    REQUIRE(r.exit_status() == 0);
  }
  struct stat st;
  CHECK(stat((home + "/.aio_history").c_str(), &st) == 0);
  Repl r(home);
  REQUIRE_SHOWN(r, ">>>");
  r.type("\x1b[A");
  REQUIRE_SHOWN(r, ">>> x = 40 + 2");
  r.line("");
  r.line("x");
  CHECK_SHOWN(r.screen(), ">>> x = 40 + 2\n>>> x\n42\n>>>");
}

TEST_CASE("asyncio.run and run_until_complete at the prompt await on the session's loop", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.line("async def main():");
  r.line("    await asyncio.sleep(0.01)");
  r.line("    return 'ran'");
  r.line("");
  r.line("asyncio.run(main())");
  r.line("asyncio.get_event_loop().run_until_complete(main())");
  r.line("result = asyncio.run(main())");
  r.line("result");
  std::string s = r.screen();
  CHECK_SHOWN(s, ">>> asyncio.run(main())\n'ran'\n>>> asyncio.get_event_loop().run_until_complete(main())\n'ran'\n");
  CHECK_SHOWN(s, ">>> result\n'ran'\n>>>");
}

TEST_CASE("Ctrl-C interrupts code that never awaits within a second; the session goes on", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.line("while True: pass");
  r.type("\r");
  interrupt_within_a_second(r, "KeyboardInterrupt\n>>>");
  CHECK_SHOWN(r.screen(), "...\n^CTraceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n");
  r.line("import time");
  r.type("time.sleep(100)\r");
  interrupt_within_a_second(r, "    time.sleep(100)\nKeyboardInterrupt\n>>>");
  r.line("print('alive')");
  CHECK_SHOWN(r.screen(), ">>> print('alive')\nalive\n>>>");
}

TEST_CASE("input() at the prompt reads through the line editor; Ctrl-C interrupts it", "[test_repl]") {
  Repl r(fresh_home());
  REQUIRE_SHOWN(r, ">>>");
  r.type("name = input('name? ')\rann\r");  // typed ahead: no key may be lost
  REQUIRE_SHOWN(r, "name? ann\n>>>");
  r.line("name");
  CHECK_SHOWN(r.screen(), ">>> name\n'ann'\n>>>");
  r.type("input('again? ')\r");
  REQUIRE_SHOWN(r, "')\nagain?");
  r.type("\x03");
  REQUIRE_SHOWN(r, "KeyboardInterrupt\n>>>");
  r.line("print('alive')");
  CHECK_SHOWN(r.screen(), ">>> print('alive')\nalive\n>>>");
}

TEST_CASE("input() in a script on a terminal: the prompt, the line typed; Ctrl-C interrupts it", "[test_repl]") {
  std::string home = fresh_home();
  std::string path = home + "/ask.aio";
  FILE* f = fopen(path.c_str(), "w");
  REQUIRE(f);
  fputs("x = input('name? ')\nprint('got', x)\ninput('more? ')\n", f);
  fclose(f);
  Repl r(home, path);
  REQUIRE_SHOWN(r, "name?");
  r.type("ann\r");
  REQUIRE_SHOWN(r, "name? ann\ngot ann\nmore?");
  interrupt_within_a_second(r, "KeyboardInterrupt");
  CHECK(r.exit_status() == 128 + SIGINT);
  CHECK_SHOWN(r.screen(), "line 3, in <module>\n    input('more? ')\nKeyboardInterrupt");
}
