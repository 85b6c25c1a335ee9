// Small text helpers every module uses: ASCII case folding, trimming, ISO 8601 times.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace lava_mcp {

// ASCII letters lowered; other bytes (UTF-8 included) unchanged.
inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// `text` without leading and trailing spaces, tabs and line breaks.
inline std::string_view trim_space(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
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
