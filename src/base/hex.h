// Hexadecimal digits both ways, and the form decoding built on them. One definition for every
// module that prints bytes (digests, states, escapes) or reads them back.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lava_mcp {

// 0..15 for a hex digit of either case, -1 for anything else.
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

enum class HexCase { kLower, kUpper };

// Two hex digits for `byte`, high nibble first.
inline void append_hex_byte(std::string& out, unsigned char byte,
                            HexCase letters = HexCase::kLower) {
  const char* digits = letters == HexCase::kUpper ? "0123456789ABCDEF" : "0123456789abcdef";
  out.push_back(digits[byte >> 4]);
  out.push_back(digits[byte & 15]);
}

// Lowercase hex of `size` bytes.
std::string hex_encode(const unsigned char* bytes, std::size_t size);

// application/x-www-form-urlencoded decoding: %XX (either case) and '+' for a space; a malformed
// escape stays as it is.
std::string form_decode(std::string_view text);

}  // namespace lava_mcp
