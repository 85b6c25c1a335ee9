#include "base/json_cursor.h"

#include <charconv>

#include "base/json_reader.h"

namespace lava_mcp {

bool JsonCursor::fail() {
  failed_ = true;
  return false;
}

void JsonCursor::skip_space() {
  while (at_ < text_.size() &&
         (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t')) {
    ++at_;
  }
}

char JsonCursor::peek() {
  skip_space();
  return at_ < text_.size() ? text_[at_] : '\0';
}

bool JsonCursor::take(char expected) {
  if (peek() != expected) {
    return false;
  }
  ++at_;
  return true;
}

bool JsonCursor::open(char bracket) {
  if (failed_ || depth_ == first_.size() || !take(bracket)) {
    return fail();
  }
  first_[depth_++] = true;
  return true;
}

bool JsonCursor::open_object() { return open('{'); }
bool JsonCursor::open_array() { return open('['); }

// At the end of the innermost container, or before its next item (the comma taken).
bool JsonCursor::next(char close) {
  if (failed_ || depth_ == 0) {
    return fail();
  }
  if (take(close)) {
    --depth_;
    return false;
  }
  if (!first_[depth_ - 1] && !take(',')) {
    return fail();
  }
  first_[depth_ - 1] = false;
  return true;
}

bool JsonCursor::next_key(std::string& key) {
  key.clear();
  return next('}') && (string(key) && take(':') ? true : fail());
}

bool JsonCursor::next_element() { return next(']'); }

bool JsonCursor::string(std::string& out) {
  return !failed_ && peek() == '"' && read_json_string(text_, at_, out) ? true : fail();
}

bool JsonCursor::string(std::string& out, Token& token) {
  skip_space();
  token.begin = at_;
  if (!string(out)) {
    return false;
  }
  token.end = at_;
  return true;
}

bool JsonCursor::null() {
  if (failed_ || peek() != 'n' || text_.substr(at_, 4) != "null") {
    return fail();
  }
  at_ += 4;
  return true;
}

bool JsonCursor::integer(long long& out) {
  if (failed_ || peek() == '\0') {
    return fail();
  }
  const std::size_t start = at_;
  const std::size_t first = at_ + (text_[at_] == '-' ? 1 : 0);
  std::size_t end = first;
  while (end < text_.size() && text_[end] >= '0' && text_[end] <= '9') {
    ++end;
  }
  const bool leading_zero = end - first > 1 && text_[first] == '0';
  const bool more =
      end < text_.size() && (text_[end] == '.' || text_[end] == 'e' || text_[end] == 'E');
  if (end == first || leading_zero || more ||
      std::from_chars(text_.data() + start, text_.data() + end, out).ec != std::errc()) {
    return fail();
  }
  at_ = end;
  return true;
}

bool JsonCursor::at_end() {
  return !failed_ && depth_ == 0 && peek() == '\0' && at_ == text_.size();
}

}  // namespace lava_mcp
