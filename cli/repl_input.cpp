// ReplInput: one request at a time. The interpreter thread asks (request), runs its loop until
// the posted callback says the line is in, then collects it (take).
#include "cli/repl_input.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace aio::cli {

namespace {
constexpr int kPipeBytes = 1 << 20;
}

ReplInput::ReplInput(bool terminal, Completer complete, std::string history_path)
    : terminal_(terminal), history_path_(std::move(history_path)) {
  if (pipe2(pipe_, O_CLOEXEC) == 0) {
    fcntl(pipe_[0], F_SETFL, O_NONBLOCK);
    fcntl(pipe_[1], F_SETPIPE_SZ, kPipeBytes);  // room for a burst written just before a line ends
  }
  if (terminal_) {
    saved_out_ = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    saved_err_ = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    editor_ = std::make_unique<LineEditor>(STDIN_FILENO, saved_out_, pipe_[0], std::move(complete));
    editor_->load_history(history_path_);
  }
  thread_ = std::thread([this] { run(); });
}

ReplInput::~ReplInput() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  route_output(false);
  close(pipe_[1]);  // a read still under way sees the end of its input
  thread_.join();
  editor_.reset();
  close(pipe_[0]);
  if (saved_out_ >= 0) close(saved_out_);
  if (saved_err_ >= 0) close(saved_err_);
}

void ReplInput::route_output(bool to_editor) {
  if (!terminal_ || routed_ == to_editor) return;
  routed_ = to_editor;
  dup2(to_editor ? pipe_[1] : saved_out_, STDOUT_FILENO);
  dup2(to_editor ? pipe_[1] : saved_err_, STDERR_FILENO);
}

void ReplInput::start(rt::Loop* loop, const std::string& prompt, rt::Callback ready) {
  route_output(true);
  {
    std::lock_guard<std::mutex> lock(mu_);
    prompt_ = prompt;
    loop_ = loop;
    ready_ = std::move(ready);
    wanted_ = true;
    done_ = false;
  }
  cv_.notify_all();
}

void ReplInput::request(rt::Loop& loop, const std::string& prompt, rt::Callback ready) {
  start(&loop, prompt, std::move(ready));
}

ReadResult ReplInput::read_now(const std::string& prompt, std::string& line) {
  start(nullptr, prompt, rt::Callback());
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return done_; });
  }
  return take(line);
}

ReadResult ReplInput::take(std::string& line) {
  route_output(false);
  // Output that arrived after the editor last looked goes out below the finished line.
  char buf[4096];
  ssize_t n;
  while ((n = read(pipe_[0], buf, sizeof buf)) > 0) {
    ssize_t w = write(STDOUT_FILENO, buf, (size_t)n);
    (void)w;
  }
  std::lock_guard<std::mutex> lock(mu_);
  line = std::move(line_);
  return result_;
}

// Without a terminal: bytes up to a newline, the prompt on stderr (as python3 -i does).
ReadResult ReplInput::read_plain(const std::string& prompt, std::string& line) {
  ssize_t w = write(STDERR_FILENO, prompt.data(), prompt.size());
  (void)w;
  line.clear();
  for (;;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return ReadResult::Eof;
    }
    if (fds[1].revents & POLLHUP) return ReadResult::Eof;
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char c;
    ssize_t n = read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line.empty() ? ReadResult::Eof : ReadResult::Line;
    if (c == '\n') return ReadResult::Line;
    line += c;
  }
}

void ReplInput::run() {
  for (;;) {
    std::string prompt;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return wanted_ || stopping_; });
      if (stopping_) return;
      wanted_ = false;
      prompt = prompt_;
    }
    std::string line;
    ReadResult r = terminal_ ? editor_->read_line(prompt, line) : read_plain(prompt, line);
    if (r == ReadResult::Line && editor_) {
      editor_->add_history(line);
      editor_->save_history(history_path_);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      result_ = r;
      line_ = std::move(line);
      done_ = true;
      if (loop_ && !stopping_) loop_->call_soon_threadsafe(std::move(ready_));
    }
    cv_.notify_all();
  }
}

}  // namespace aio::cli
