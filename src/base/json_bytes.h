// Eight bytes at a time through JSON string text: most of it needs nothing but copying, and
// json_reader and json_writer both skip such runs a word per step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace lava_mcp::json_bytes {

inline constexpr std::uint64_t kEveryByte = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// The high bit of each zero byte of `word` (and maybe of bytes after it: only "any" is exact).
inline std::uint64_t zero_bytes(std::uint64_t word) {
  return (word - kEveryByte) & ~word & kHighBits;
}

// True when none of the 8 bytes of `word` is a control character, '"' or '\\' (which JSON
// escapes) or above 0x7F (which must be checked as UTF-8).
inline bool all_plain(std::uint64_t word) {
  const std::uint64_t control = (word - kEveryByte * 0x20) & ~word & kHighBits;
  return (control | zero_bytes(word ^ (kEveryByte * '"')) | zero_bytes(word ^ (kEveryByte * '\\')) |
          (word & kHighBits)) == 0;
}

// `n` (at most 8) bytes from `bytes`, the rest of the word filled with plain spaces.
inline std::uint64_t load(const char* bytes, std::size_t n) {
  std::uint64_t word = kEveryByte * ' ';
  if (n == sizeof word) {
    std::memcpy(&word, bytes, sizeof word);  // the common case, inlined as one load
  } else {
    std::memcpy(&word, bytes, n);
  }
  return word;
}

}  // namespace lava_mcp::json_bytes
