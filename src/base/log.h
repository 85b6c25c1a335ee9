// The stderr logger: "[level] component: message" lines, one write per line.
// stdout belongs to the protocol, so diagnostics go here and nowhere else.
#pragma once

#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>

namespace lava_mcp::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Process-wide threshold; messages below it are dropped. Thread-safe.
void set_level(Level level);
Level level();
std::optional<Level> parse_level(std::string_view name);  // "debug", "info", "warn", "error"

// Thread-safe; never throws.
void write(Level level, std::string_view component, std::string_view message);

inline void debug(std::string_view c, std::string_view m) { write(Level::kDebug, c, m); }
inline void info(std::string_view c, std::string_view m) { write(Level::kInfo, c, m); }
inline void warn(std::string_view c, std::string_view m) { write(Level::kWarn, c, m); }
inline void error(std::string_view c, std::string_view m) { write(Level::kError, c, m); }

// While one lives, std::cout and std::cerr go through secrets::redact a line at a time, each line
// in one write(): the terminal commands, their error messages and CLI11's write there, and none
// of them can show a key, whatever an upstream echoed. A partial last line goes out when it ends.
class RedactedStandardStreams {
 public:
  RedactedStandardStreams();
  ~RedactedStandardStreams();
  RedactedStandardStreams(const RedactedStandardStreams&) = delete;
  RedactedStandardStreams& operator=(const RedactedStandardStreams&) = delete;

 private:
  std::unique_ptr<std::streambuf> out_;
  std::unique_ptr<std::streambuf> err_;
  std::streambuf* previous_out_;
  std::streambuf* previous_err_;
};

}  // namespace lava_mcp::log
