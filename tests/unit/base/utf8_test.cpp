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

}  // namespace
}  // namespace lava_mcp
