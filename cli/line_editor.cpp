// LineEditor over libedit. Keystrokes come through our own read function, which also watches
// the side channel: that is how output can be shown while libedit waits for a key, without
// another thread ever touching the terminal or libedit's state.
#include "cli/line_editor.h"

#include <histedit.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace aio::cli {

namespace {

constexpr int kHistorySize = 1000;
constexpr int kDefaultColumns = 80;
constexpr const char* kIndent = "    ";  // what Tab inserts where there is nothing to complete
constexpr size_t kSideChunk = 4096;

bool utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Bytes in the UTF-8 sequence that `lead` starts (1 for anything malformed).
int utf8_length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

size_t code_points(const char* begin, const char* end) {
  size_t n = 0;
  for (const char* p = begin; p < end; p++) n += !utf8_continuation((unsigned char)*p);
  return n;
}

LineEditor* editor_of(EditLine* el) {
  void* self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  return static_cast<LineEditor*>(self);
}

std::string common_prefix(const std::vector<std::string>& words) {
  std::string prefix = words[0];
  for (const auto& w : words) {
    size_t n = 0;
    while (n < prefix.size() && n < w.size() && prefix[n] == w[n]) n++;
    prefix.resize(n);
  }
  return prefix;
}

// The candidates laid out in columns, as readline lists them.
std::string columns_of(const std::vector<std::string>& words, int width) {
  size_t cell = 0;
  for (const auto& w : words) cell = std::max(cell, w.size() + 2);
  size_t per_row = std::max<size_t>(1, (size_t)width / cell);
  std::string out;
  for (size_t i = 0; i < words.size(); i++) {
    out += words[i];
    bool row_end = (i + 1) % per_row == 0 || i + 1 == words.size();
    out += row_end ? "\n" : std::string(cell - words[i].size(), ' ');
  }
  return out;
}

int terminal_columns(int fd) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return kDefaultColumns;
}

}  // namespace

LineEditor::LineEditor(int in_fd, int out_fd, int side_fd, Completer complete)
    : in_fd_(in_fd), out_fd_(out_fd), side_fd_(side_fd), complete_(std::move(complete)) {
  FILE* in = fdopen(dup(in_fd), "r");
  FILE* out = fdopen(dup(out_fd), "w");
  el_ = el_init("aio", in, out, out);
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_SIGNAL, 0);
  el_set(el_, EL_PROMPT, prompt_of);
  el_set(el_, EL_GETCFN, get_char);
  hist_ = history_init();
  HistEvent ev;
  history(hist_, &ev, H_SETSIZE, kHistorySize);
  history(hist_, &ev, H_SETUNIQUE, 1);
  el_set(el_, EL_HIST, history, hist_);
  el_set(el_, EL_ADDFN, "aio-complete", "complete a keyword, name or attribute", on_tab);
  el_set(el_, EL_BIND, "^I", "aio-complete", nullptr);
  el_set(el_, EL_ADDFN, "aio-interrupt", "drop the line being edited", on_interrupt);
  el_set(el_, EL_BIND, "^C", "aio-interrupt", nullptr);
}

LineEditor::~LineEditor() {
  el_end(el_);
  history_end(hist_);
}

ReadResult LineEditor::read_line(const std::string& prompt, std::string& line) {
  prompt_ = prompt;
  interrupted_ = false;
  // Into libedit's terminal mode before the prompt shows (libedit itself waits for the first
  // key): keys typed as soon as the prompt appears must not be echoed by the terminal too.
  el_set(el_, EL_PREP_TERM, 1);
  make_intr_a_key();
  int count = 0;
  const char* text = el_gets(el_, &count);
  if (interrupted_) {
    write_out("\n");
    return ReadResult::Interrupted;
  }
  if (!text || count <= 0) return ReadResult::Eof;
  line.assign(text, (size_t)count);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return ReadResult::Line;
}

void LineEditor::add_history(const std::string& line) {
  if (line.find_first_not_of(" \t") == std::string::npos) return;
  HistEvent ev;
  history(hist_, &ev, H_ENTER, line.c_str());
}

void LineEditor::load_history(const std::string& path) {
  HistEvent ev;
  history(hist_, &ev, H_LOAD, path.c_str());
}

void LineEditor::save_history(const std::string& path) {
  HistEvent ev;
  history(hist_, &ev, H_SAVE, path.c_str());
}

void LineEditor::write_out(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(out_fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += (size_t)n;
  }
}

// Rows between the prompt's first row and the cursor (the line may wrap).
int LineEditor::cursor_row() const {
  const LineInfo* li = el_line(el_);
  size_t width = code_points(prompt_.data(), prompt_.data() + prompt_.size()) + code_points(li->buffer, li->cursor);
  return (int)(width / (size_t)terminal_columns(out_fd_));
}

// Erases the prompt and the line, writes the text, then libedit draws them again underneath.
void LineEditor::show_above(const std::string& text) {
  std::string out = "\r";
  if (int rows = cursor_row()) out += "\x1b[" + std::to_string(rows) + "A";
  out += "\x1b[J" + text;
  if (!text.empty() && text.back() != '\n') out += "\n";
  write_out(out);
  el_set(el_, EL_REFRESH);
}

// Blocks until a key is ready, showing side output meanwhile. False at end of input.
bool LineEditor::wait_for_input() {
  for (;;) {
    pollfd fds[2] = {{in_fd_, POLLIN, 0}, {side_fd_, POLLIN, 0}};
    int n = poll(fds, side_fd_ >= 0 ? 2 : 1, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (side_fd_ >= 0 && (fds[1].revents & POLLIN)) {
      std::string text;
      char buf[kSideChunk];
      ssize_t got;
      while ((got = read(side_fd_, buf, sizeof buf)) > 0) text.append(buf, (size_t)got);
      if (!text.empty()) show_above(text);
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) return true;
  }
}

// At the prompt Ctrl-C is a key (it drops the line), not a signal for the whole process.
// libedit restores the original terminal mode (Ctrl-C a signal again) when the line is done.
void LineEditor::make_intr_a_key() {
  termios t;
  if (tcgetattr(in_fd_, &t) != 0) return;
  t.c_cc[VINTR] = _POSIX_VDISABLE;
  tcsetattr(in_fd_, TCSANOW, &t);
}

int LineEditor::get_char(EditLine* el, wchar_t* out) {
  LineEditor* self = editor_of(el);
  if (!self->wait_for_input()) return -1;
  unsigned char bytes[4];
  ssize_t n;
  while ((n = read(self->in_fd_, bytes, 1)) < 0 && errno == EINTR) {
  }
  if (n <= 0) return 0;
  int len = utf8_length(bytes[0]);
  for (int i = 1; i < len; i++)
    if (read(self->in_fd_, bytes + i, 1) != 1 || !utf8_continuation(bytes[i])) return *out = L'\uFFFD', 1;
  static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  wchar_t c = bytes[0] & kLeadMask[len];
  for (int i = 1; i < len; i++) c = (c << 6) | (bytes[i] & 0x3F);
  *out = c;
  return 1;
}

const char* LineEditor::prompt_of(EditLine* el) { return editor_of(el)->prompt_.c_str(); }

unsigned char LineEditor::on_interrupt(EditLine* el, int) {
  LineEditor* self = editor_of(el);
  self->interrupted_ = true;
  return CC_NEWLINE;
}

unsigned char LineEditor::on_tab(EditLine* el, int) {
  editor_of(el)->complete();
  return CC_REFRESH;
}

void LineEditor::complete() {
  const LineInfo* li = el_line(el_);
  std::string before(li->buffer, li->cursor);
  if (before.find_first_not_of(" \t") == std::string::npos) {
    el_insertstr(el_, kIndent);
    return;
  }
  Completions c = complete_(before);
  if (c.words.empty()) return;
  std::string typed = before.substr(c.word_start);
  std::string prefix = common_prefix(c.words);
  if (prefix.size() > typed.size() && prefix.compare(0, typed.size(), typed) == 0) {
    el_insertstr(el_, prefix.substr(typed.size()).c_str());
    return;
  }
  if (c.words.size() > 1) show_above(columns_of(c.words, terminal_columns(out_fd_)));
}

}  // namespace aio::cli
