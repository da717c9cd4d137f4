// The REPL's input thread: it reads a line (through the line editor on a terminal) while the
// interpreter thread keeps running the event loop, and hands the line back through the loop.
// On a terminal, stdout and stderr are routed through a pipe to the editor while the prompt
// waits, so output from background tasks appears above the prompt and never inside the line.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cli/line_editor.h"
#include "runtime/loop.h"

namespace aio::cli {

class ReplInput {
 public:
  // terminal: stdin and stdout are a terminal (line editing, history kept in history_path).
  ReplInput(bool terminal, Completer complete, std::string history_path);
  ~ReplInput();
  ReplInput(const ReplInput&) = delete;
  ReplInput& operator=(const ReplInput&) = delete;

  // Starts reading a line; `ready` is posted to `loop` once it is in. Until take(), what is
  // written to stdout and stderr goes above the prompt (flush buffered output first).
  void request(rt::Loop& loop, const std::string& prompt, rt::Callback ready);
  // The line read; stdout and stderr are the terminal again (flush buffered output first).
  ReadResult take(std::string& line);
  // Reads a line while the caller waits (input() in a statement), output routed as above.
  ReadResult read_now(const std::string& prompt, std::string& line);

 private:
  void start(rt::Loop* loop, const std::string& prompt, rt::Callback ready);
  void run();
  ReadResult read_plain(const std::string& prompt, std::string& line);
  void route_output(bool to_editor);

  bool terminal_;
  std::string history_path_;
  std::unique_ptr<LineEditor> editor_;
  int pipe_[2] = {-1, -1};  // output shown above the prompt; closing [1] ends the input
  int saved_out_ = -1, saved_err_ = -1;
  bool routed_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false, stopping_ = false, done_ = false;
  std::string prompt_;
  rt::Loop* loop_ = nullptr;  // null: read_now waits for done_
  rt::Callback ready_;
  ReadResult result_ = ReadResult::Eof;
  std::string line_;
  std::thread thread_;
};

}  // namespace aio::cli
