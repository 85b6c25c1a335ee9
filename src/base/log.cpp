#include "base/log.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <iostream>
#include <mutex>

#include "base/secrets.h"

namespace lava_mcp::log {
namespace {

std::atomic<Level> g_level{Level::kWarn};

constexpr std::array<std::string_view, 4> kNames = {"debug", "info", "warn", "error"};

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// A stream buffer that writes whole lines to `fd`, redacted. Lines longer than kMaxPending go
// out in pieces (a run of a key cut there is still hidden on both sides when 12 characters long).
class RedactingLineBuffer final : public std::streambuf {
 public:
  explicit RedactingLineBuffer(int fd) : fd_(fd) {}
  ~RedactingLineBuffer() override {
    std::lock_guard lock(mutex_);
    write_redacted(pending_);
  }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      const char byte = traits_type::to_char_type(c);
      xsputn(&byte, 1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* bytes, std::streamsize count) override {
    std::lock_guard lock(mutex_);
    pending_.append(bytes, static_cast<std::size_t>(count));
    const std::size_t last_newline = pending_.rfind('\n');
    if (last_newline != std::string::npos) {
      write_redacted(std::string_view(pending_).substr(0, last_newline + 1));
      pending_.erase(0, last_newline + 1);
    }
    if (pending_.size() > kMaxPending) {
      write_redacted(pending_);
      pending_.clear();
    }
    return count;
  }
  // std::cerr flushes after every insertion: a line waits for its end all the same, so a key
  // written in two pieces is redacted whole.
  int sync() override { return 0; }

 private:
  static constexpr std::size_t kMaxPending = 1u << 20;
  void write_redacted(std::string_view text) {
    if (!text.empty()) {
      try {
        write_all(fd_, secrets::redact(text));
      } catch (...) {  // like the logger: output trouble never takes the process down
      }
    }
  }
  int fd_;
  std::mutex mutex_;
  std::string pending_;
};

}  // namespace

RedactedStandardStreams::RedactedStandardStreams()
    : out_(std::make_unique<RedactingLineBuffer>(STDOUT_FILENO)),
      err_(std::make_unique<RedactingLineBuffer>(STDERR_FILENO)),
      previous_out_(std::cout.rdbuf(out_.get())),
      previous_err_(std::cerr.rdbuf(err_.get())) {}

RedactedStandardStreams::~RedactedStandardStreams() {
  std::cout.rdbuf(previous_out_);
  std::cerr.rdbuf(previous_err_);
}

void set_level(Level level) { g_level.store(level); }
Level level() { return g_level.load(); }

std::optional<Level> parse_level(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) {
      return static_cast<Level>(i);
    }
  }
  if (name == "warning") {
    return Level::kWarn;
  }
  return std::nullopt;
}

void write(Level level, std::string_view component, std::string_view message) {
  if (level < g_level.load()) {
    return;
  }
  try {
    std::string line;
    line.reserve(component.size() + message.size() + 16);
    line.append("[").append(kNames[static_cast<std::size_t>(level)]).append("] ");
    line.append(component).append(": ").append(secrets::redact(message)).append("\n");
    // One write() per line keeps lines from concurrent threads whole.
    write_all(STDERR_FILENO, line);
  } catch (...) {  // logging must never take the process down
  }
}

}  // namespace lava_mcp::log
