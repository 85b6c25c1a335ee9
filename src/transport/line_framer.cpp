#include "transport/line_framer.h"

namespace lava_mcp::transport {

void LineFramer::feed(std::string_view chunk, std::vector<Frame>& out) {
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, newline);
    if (!discarding_) {
      if (pending_.size() + piece.size() > max_line_bytes_ + 1) {  // +1: a trailing '\r'
        discarding_ = true;
        pending_.clear();
        pending_.shrink_to_fit();
      } else {
        pending_.append(piece);
      }
    }
    if (newline == std::string_view::npos) {
      return;
    }
    end_line(out);
    chunk.remove_prefix(newline + 1);
  }
}

void LineFramer::finish(std::vector<Frame>& out) {
  if (discarding_ || !pending_.empty()) {
    end_line(out);
  }
}

void LineFramer::end_line(std::vector<Frame>& out) {
  if (discarding_) {
    discarding_ = false;
    out.push_back(Frame{Frame::Kind::kOversized, {}});
    return;
  }
  if (!pending_.empty() && pending_.back() == '\r') {
    pending_.pop_back();
  }
  if (pending_.size() > max_line_bytes_) {
    pending_.clear();
    out.push_back(Frame{Frame::Kind::kOversized, {}});
    return;
  }
  const bool blank = pending_.find_first_not_of(" \t\r") == std::string::npos;
  if (!blank) {
    out.push_back(Frame{Frame::Kind::kLine, std::move(pending_)});
  }
  pending_.clear();
}

}  // namespace lava_mcp::transport
