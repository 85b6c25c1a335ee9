// Spawns a program with piped stdin/stdout/stderr, for tests that drive the real binary.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lava_mcp::testing {

using namespace std::chrono_literals;

class Subprocess {
 public:
  // `env` entries are added to (or replace) a minimal environment: PATH and HOME.
  Subprocess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env);
  ~Subprocess();  // kills the child if still running
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  void write(const std::string& bytes);
  void close_stdin();
  void close_stdout();  // the child's next write to stdout fails with EPIPE
  // True when the child's stdout pipe holds all it can: a further write() by the child blocks
  // until read_line() takes some (a host that stopped reading).
  bool stdout_pipe_full() const;
  // The next stdout line (without "\n"), or nullopt at EOF or the deadline.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 5s);
  // Exit code (or 128+signal), or nullopt if still running at the deadline.
  std::optional<int> wait(std::chrono::milliseconds timeout = 5s);
  void signal(int sig);
  std::string stderr_text();  // everything written to stderr so far (all of it after wait())
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stdout_buffer_;
  std::optional<int> exit_code_;
  std::mutex stderr_mutex_;
  std::string stderr_text_;
  std::atomic<bool> stderr_closed_{false};
  std::thread stderr_reader_;
};

}  // namespace lava_mcp::testing
