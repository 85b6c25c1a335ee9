// Splits a byte stream into newline-delimited lines (MCP stdio framing).
// Pure: no I/O, so split reads, CRLF and oversized lines are unit-testable.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lava_mcp::transport {

struct Frame {
  enum class Kind { kLine, kOversized };
  Kind kind = Kind::kLine;
  std::string text;  // the line without "\n" or "\r\n"; empty for kOversized
};

// Not thread-safe; one per input stream.
class LineFramer {
 public:
  explicit LineFramer(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Appends the complete frames found in `chunk` to `out`. Blank lines are skipped. A line longer
  // than the cap yields one kOversized frame; its bytes are dropped as they arrive, never buffered.
  void feed(std::string_view chunk, std::vector<Frame>& out);

  // At end of input: a final line without "\n" still counts.
  void finish(std::vector<Frame>& out);

 private:
  void end_line(std::vector<Frame>& out);

  std::size_t max_line_bytes_;
  std::string pending_;
  bool discarding_ = false;
};

}  // namespace lava_mcp::transport
