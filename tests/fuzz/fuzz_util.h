// Shared helpers for the libFuzzer targets: invariant checks that abort with a readable message
// (libFuzzer then saves the input as a crash artifact), strict UTF-8 validation and JSON checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace lava_fuzz {

using Json = nlohmann::json;

// A printable, bounded rendering of `text` for failure messages.
inline std::string show(std::string_view text, std::size_t cap = 300) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < cap; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\' || c == '"') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  out += text.size() > cap ? "\"... (" + std::to_string(text.size()) + " bytes)" : "\"";
  return out;
}

[[noreturn]] inline void fail(const char* file, int line, const char* condition,
                              const std::string& detail) {
  std::fprintf(stderr, "\n==== FUZZ INVARIANT FAILED (%s:%d): %s\n%s\n", file, line, condition,
               detail.c_str());
  std::fflush(stderr);
  std::abort();
}

// FUZZ_CHECK(condition, detail-string-expression): the detail is only built on failure.
#define FUZZ_CHECK(condition, detail)                                              \
  do {                                                                             \
    if (!(condition)) ::lava_fuzz::fail(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)

// Runs `fn`; any exception escaping it is an invariant failure (the code under test promises
// "never throws").
template <class Fn>
decltype(auto) no_throw(const char* what, Fn&& fn) {
  try {
    return std::forward<Fn>(fn)();
  } catch (const std::exception& e) {
    fail(__FILE__, __LINE__, what, std::string("exception escaped: ") + e.what());
  } catch (...) {
    fail(__FILE__, __LINE__, what, "non-std exception escaped");
  }
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
inline bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c0 = static_cast<unsigned char>(text[i]);
    if (c0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c0 >= 0xC2 && c0 <= 0xDF) {
      length = 2;
    } else if (c0 >= 0xE0 && c0 <= 0xEF) {
      length = 3;
      if (c0 == 0xE0) low = 0xA0;
      if (c0 == 0xED) high = 0x9F;
    } else if (c0 >= 0xF0 && c0 <= 0xF4) {
      length = 4;
      if (c0 == 0xF0) low = 0x90;
      if (c0 == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    const auto c1 = static_cast<unsigned char>(text[i + 1]);
    if (c1 < low || c1 > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      const auto ck = static_cast<unsigned char>(text[i + k]);
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

inline bool is_one_line(std::string_view text) {
  return text.find('\n') == std::string_view::npos && text.find('\r') == std::string_view::npos;
}

// Serialises like the server does (invalid UTF-8 replaced); must never throw.
inline std::string dump_replace(const Json& value) {
  return no_throw("dump(error_handler_t::replace)",
                  [&] { return value.dump(-1, ' ', false, Json::error_handler_t::replace); });
}

// `value` serialised and parsed back: the text is one line, valid UTF-8 and valid JSON.
inline Json reparse(const Json& value) {
  const std::string text = dump_replace(value);
  FUZZ_CHECK(is_one_line(text), "compact dump has a line break: " + show(text));
  FUZZ_CHECK(is_valid_utf8(text), "dump(replace) is not valid UTF-8: " + show(text));
  Json back = Json::parse(text, nullptr, false);
  FUZZ_CHECK(!back.is_discarded(), "dump does not parse back: " + show(text));
  return back;
}

// `reference` starts with a URI scheme and ':' (RFC 3986 3.1: ALPHA *( ALPHA / DIGIT / + - . ))
// before any '/', '?' or '#': an absolute reference, which resolution does not tie to its base.
inline bool has_uri_scheme(std::string_view reference) {
  const std::size_t colon = reference.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > reference.find_first_of("/?#")) {
    return false;
  }
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(reference[i]);
    const bool alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!alpha && (i == 0 || !other)) return false;
  }
  return true;
}

// The string member `key` of an object, or nullptr.
inline const std::string* string_at(const Json& value, const char* key) {
  if (!value.is_object()) return nullptr;
  const auto it = value.find(key);
  return it != value.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// A small deterministic generator for fuzzer-chosen split points.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

}  // namespace lava_fuzz
