#include "log.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>

#include "secrets.h"

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

}  // namespace

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
