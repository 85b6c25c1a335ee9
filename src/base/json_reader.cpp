#include "base/json_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/hex.h"
#include "base/json_bytes.h"
#include "base/utf8.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;

// nlohmann's lexer reads one character at a time through an input adapter and copies every
// token into a buffer before the parser sees it; here values are built straight from the text,
// and plain runs of a string are copied eight bytes per step.
class Reader {
 public:
  Reader(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  bool string_at(std::size_t& at, std::string& out) {
    at_ = at;
    const bool read = string(out);
    at = at_;
    return read;
  }

  bool document(Json& out) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") {
      at_ = 3;
    }
    return value(out, 0) && (skip_space(), at_ == text_.size());
  }

 private:
  void skip_space() {
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      ++at_;
    }
  }

  bool take(char expected) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == expected) {
      ++at_;
      return true;
    }
    return false;
  }

  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) {
      return false;
    }
    at_ += word.size();
    return true;
  }

  bool value(Json& out, int depth) {
    skip_space();
    if (at_ == text_.size()) {
      return false;
    }
    switch (text_[at_]) {
      case '{':
        return depth < max_depth_ && object(out, depth + 1);
      case '[':
        return depth < max_depth_ && array(out, depth + 1);
      case '"': {
        std::string text;
        if (!string(text)) {
          return false;
        }
        out = std::move(text);
        return true;
      }
      case 't':
        out = true;
        return literal("true");
      case 'f':
        out = false;
        return literal("false");
      case 'n':
        out = nullptr;
        return literal("null");
      default:
        return number(out);
    }
  }

  bool object(Json& out, int depth) {
    ++at_;  // '{'
    out = Json::object();
    auto& members = out.get_ref<Json::object_t&>();
    if (take('}')) {
      return true;
    }
    do {
      skip_space();
      std::string key;
      Json member;
      if (at_ == text_.size() || text_[at_] != '"' || !string(key) || !take(':') ||
          !value(member, depth)) {
        return false;
      }
      members.insert_or_assign(std::move(key), std::move(member));
    } while (take(','));
    return take('}');
  }

  bool array(Json& out, int depth) {
    ++at_;  // '['
    out = Json::array();
    auto& elements = out.get_ref<Json::array_t&>();
    if (take(']')) {
      return true;
    }
    do {
      elements.emplace_back();
      if (!value(elements.back(), depth)) {
        return false;
      }
    } while (take(','));
    return take(']');
  }

  // At the opening quote; leaves `at_` after the closing one.
  bool string(std::string& out) {
    std::size_t run = ++at_;
    while (true) {
      if (const std::size_t n = std::min(sizeof(std::uint64_t), text_.size() - at_);
          n > 0 && json_bytes::all_plain(json_bytes::load(text_.data() + at_, n))) {
        at_ += n;
        continue;
      }
      if (at_ == text_.size()) {
        return false;
      }
      const auto c = static_cast<unsigned char>(text_[at_]);
      if (c == '"') {
        out.append(text_, run, at_ - run);
        ++at_;
        return true;
      }
      if (c >= 0x80) {
        const std::size_t length = utf8_sequence_length(text_, at_);
        if (length == 0) {
          return false;
        }
        at_ += length;
      } else if (c == '\\') {
        out.append(text_, run, at_ - run);
        if (!escape(out)) {
          return false;
        }
        run = at_;
      } else if (c < 0x20) {
        return false;
      } else {
        ++at_;
      }
    }
  }

  // At a backslash; appends what the escape stands for.
  bool escape(std::string& out) {
    if (++at_ == text_.size()) {
      return false;
    }
    const char kind = text_[at_++];
    switch (kind) {
      case '"':
        out += '"';
        return true;
      case '\\':
        out += '\\';
        return true;
      case '/':
        out += '/';
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        return unicode_escape(out);
      default:
        return false;
    }
  }

  bool hex4(std::uint32_t& out) {
    if (text_.size() - at_ < 4) {
      return false;
    }
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[at_++];
      const int digit = hex_digit_value(c);
      if (digit < 0) {
        return false;
      }
      out = (out << 4) | static_cast<std::uint32_t>(digit);
    }
    return true;
  }

  // After "\u": a code point, or a surrogate pair written as two escapes.
  bool unicode_escape(std::string& out) {
    std::uint32_t code = 0;
    if (!hex4(code) || (code >= 0xDC00 && code <= 0xDFFF)) {
      return false;
    }
    if (code >= 0xD800 && code <= 0xDBFF) {
      std::uint32_t low = 0;
      if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) {
        return false;
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, static_cast<char32_t>(code));
    return true;
  }

  std::size_t digits() {
    const std::size_t start = at_;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
      ++at_;
    }
    return at_ - start;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(Json& out) {
    const std::size_t start = at_;
    const bool negative = text_[at_] == '-';
    at_ += negative ? 1 : 0;
    const std::size_t first = at_;
    if (digits() == 0 || (text_[first] == '0' && at_ - first > 1)) {
      return false;
    }
    bool integer = true;
    if (at_ < text_.size() && text_[at_] == '.') {
      ++at_;
      if (digits() == 0) {
        return false;
      }
      integer = false;
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      ++at_;
      if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) {
        ++at_;
      }
      if (digits() == 0) {
        return false;
      }
      integer = false;
    }
    const char* begin = text_.data() + start;
    const char* end = text_.data() + at_;
    if (integer && negative) {
      std::int64_t value = 0;
      if (std::from_chars(begin, end, value).ec == std::errc()) {
        out = value;
        return true;
      }
    } else if (integer) {
      std::uint64_t value = 0;
      if (std::from_chars(begin, end, value).ec == std::errc()) {
        out = value;
        return true;
      }
    }
    // Fractions, exponents and integers too large for 64 bits: a double, as strtod reads it
    // (underflow to zero or a subnormal is a number; overflow to infinity is not).
    const std::string token(begin, end);
    const double value = std::strtod(token.c_str(), nullptr);
    if (!std::isfinite(value)) {
      return false;
    }
    out = value;
    return true;
  }

  std::string_view text_;
  int max_depth_;
  std::size_t at_ = 0;
};

}  // namespace

bool read_json_string(std::string_view text, std::size_t& at, std::string& out) {
  return at < text.size() && text[at] == '"' && Reader(text, 0).string_at(at, out);
}

Json read_json(std::string_view text, int max_depth) {
  Json out;
  if (!Reader(text, max_depth).document(out)) {
    return Json(Json::value_t::discarded);
  }
  return out;
}

}  // namespace lava_mcp
