// The REPL's line editor: libedit behind a small interface. One line at a time, with history,
// Tab completion and Ctrl-C; text arriving on a side channel while a line is being edited is
// shown above the prompt, and the prompt and the half-typed line are drawn again below it.
#pragma once
#include <functional>
#include <string>
#include <vector>

struct editline;
struct history;

namespace aio::cli {

enum class ReadResult { Line, Interrupted, Eof };

// Tab: given the text before the cursor, the completions of its last word, as whole words.
struct Completions {
  size_t word_start = 0;  // where the completed word starts in the text
  std::vector<std::string> words;
};
using Completer = std::function<Completions(const std::string& before_cursor)>;

class LineEditor {
 public:
  // Edits on terminal `in_fd`, draws on `out_fd`; `side_fd` (nonblocking, may be -1) carries
  // output to show above the prompt.
  LineEditor(int in_fd, int out_fd, int side_fd, Completer complete);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Reads one line (without its newline). Interrupted: Ctrl-C was typed (the line is dropped).
  ReadResult read_line(const std::string& prompt, std::string& line);

  void add_history(const std::string& line);
  void load_history(const std::string& path);
  void save_history(const std::string& path);

  // Writes text on the terminal above the prompt (call only from read_line's thread).
  void show_above(const std::string& text);

 private:
  static int get_char(editline* el, wchar_t* out);
  static unsigned char on_tab(editline* el, int ch);
  static unsigned char on_interrupt(editline* el, int ch);
  static const char* prompt_of(editline* el);
  void make_intr_a_key();
  bool wait_for_input();
  void complete();
  void write_out(const std::string& text);
  int cursor_row() const;

  editline* el_;
  history* hist_;
  int in_fd_, out_fd_, side_fd_;
  Completer complete_;
  std::string prompt_;
  bool interrupted_ = false;
};

}  // namespace aio::cli
