#include "base/utf8.h"

#include <doctest/doctest.h>

#include <string>

namespace lava_mcp {
namespace {

TEST_CASE("utf8: strict validation per RFC 3629") {
  for (const char* good : {"", "plain", "\xC2\xA9", "\xE2\x82\xAC", "\xED\x9F\xBF",
                           "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"}) {
    CHECK_MESSAGE(is_valid_utf8(good), good);
  }
  // Overlong forms, surrogates, above U+10FFFF, stray continuation, cut sequences.
  for (const char* bad :
       {"\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x80\x80\x80",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\x80", "\xE2\x82"}) {
    CHECK_FALSE(is_valid_utf8(bad));
  }
}

TEST_CASE("utf8: to_valid_utf8 replaces each bad byte and keeps the rest") {
  CHECK(to_valid_utf8("a\xC0\x80z") == "a\xEF\xBF\xBD\xEF\xBF\xBDz");
  CHECK(to_valid_utf8("\xE2\x82\xAC ok") == "\xE2\x82\xAC ok");
  CHECK(to_valid_utf8("cut \xE2\x82") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(is_valid_utf8(to_valid_utf8("\xED\xA0\x80\xF5\xFF")));
}

TEST_CASE("utf8: utf8_prefix cuts at every boundary without splitting a character") {
  // One character of each length: 1, 2, 3 and 4 bytes.
  const std::string text = "a\xC2\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  const std::size_t starts[] = {0, 1, 3, 6, 10};  // where each character begins, and the end
  for (std::size_t max = 0; max <= text.size() + 1; ++max) {
    const std::string_view cut = utf8_prefix(text, max);
    std::size_t expected = 0;
    for (const std::size_t start : starts) {
      if (start <= max) {
        expected = start;
      }
    }
    CHECK_MESSAGE(cut.size() == expected, "max " << max);
    CHECK(is_valid_utf8(cut));
    CHECK(cut.data() == text.data());
  }
  CHECK(utf8_prefix("", 0).empty());
  CHECK(utf8_prefix("plain", 3) == "pla");
  // Continuation bytes with no lead: the cut backs off over all of them.
  CHECK(utf8_prefix("\x80\x80\x80\x80\x80", 4).empty());
}

}  // namespace
}  // namespace lava_mcp
