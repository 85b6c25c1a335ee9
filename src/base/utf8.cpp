#include "base/utf8.h"

#include <cstdint>

namespace lava_mcp {

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto c0 = static_cast<unsigned char>(text[i]);
  if (c0 < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;  // the range of the second byte, which rules out the bad forms
  unsigned char high = 0xBF;
  if (c0 >= 0xC2 && c0 <= 0xDF) {  // C0 and C1 could only start overlong forms
    length = 2;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    length = 3;
    low = c0 == 0xE0 ? 0xA0 : 0x80;   // overlong
    high = c0 == 0xED ? 0x9F : 0xBF;  // surrogates
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    length = 4;
    low = c0 == 0xF0 ? 0x90 : 0x80;   // overlong
    high = c0 == 0xF4 ? 0x8F : 0xBF;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  const auto c1 = static_cast<unsigned char>(text[i + 1]);
  if (c1 < low || c1 > high) {
    return 0;
  }
  for (std::size_t k = 2; k < length; ++k) {
    const auto ck = static_cast<unsigned char>(text[i + k]);
    if (ck < 0x80 || ck > 0xBF) {
      return 0;
    }
  }
  return length;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      return false;
    }
    i += length;
  }
  return true;
}

std::string to_valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

void append_utf8(std::string& out, char32_t code_point) {
  const auto cp = static_cast<std::uint32_t>(code_point);
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    out += "\xEF\xBF\xBD";
  } else if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;  // a continuation byte: the cut would split its character
  }
  return text.substr(0, end);
}

}  // namespace lava_mcp
