// Small text helpers every module uses: ASCII case folding, trimming, ISO 8601 times.
#pragma once

#include <cstddef>
#include <ctime>
#include <string>
#include <string_view>

namespace lava_mcp {

// ASCII whitespace as HTML and Markdown define it: space, tab, LF, form feed, CR.
constexpr bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}
constexpr bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
constexpr char to_lower_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// ASCII letters lowered; other bytes (UTF-8 included) unchanged.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = to_lower_ascii(c);
  }
  return out;
}

// `text` without trailing ASCII whitespace.
constexpr std::string_view trim_space_end(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0 && is_ascii_space(text[end - 1])) {
    --end;
  }
  return text.substr(0, end);
}

// `text` without leading and trailing ASCII whitespace.
constexpr std::string_view trim_space(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size() && is_ascii_space(text[begin])) {
    ++begin;
  }
  return trim_space_end(text.substr(begin));
}

// The media type of a Content-Type value (RFC 9110 section 8.3.1), lowercased, without its
// parameters: "text/html" for "Text/HTML; charset=utf-8".
inline std::string media_type(std::string_view content_type) {
  return ascii_lower(trim_space(content_type.substr(0, content_type.find(';'))));
}

// "2026-11-27T11:05:16Z".
inline std::string iso8601_utc(std::time_t when) {
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace lava_mcp
