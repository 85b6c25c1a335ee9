#include "base/hex.h"

#include <doctest/doctest.h>

#include <string>

namespace lava_mcp {
namespace {

TEST_CASE("hex: every digit of either case reads back, nothing else does") {
  const std::string lower = "0123456789abcdef";
  const std::string upper = "0123456789ABCDEF";
  for (int i = 0; i < 16; ++i) {
    CHECK(hex_digit_value(lower[i]) == i);
    CHECK(hex_digit_value(upper[i]) == i);
  }
  for (const char c : std::string("gG/:@`xz \0", 10)) {
    CHECK(hex_digit_value(c) == -1);
  }
}

TEST_CASE("hex: bytes written high nibble first, in the case asked for") {
  std::string out;
  append_hex_byte(out, 0x00);
  append_hex_byte(out, 0xAB);
  append_hex_byte(out, 0x7F, HexCase::kUpper);
  append_hex_byte(out, 0xFE, HexCase::kUpper);
  CHECK(out == "00ab7FFE");
  const unsigned char digest[] = {0xDE, 0xAD, 0xBE, 0xEF, 0x01};
  CHECK(hex_encode(digest, sizeof digest) == "deadbeef01");
  CHECK(hex_encode(digest, 0).empty());
}

TEST_CASE("hex: every byte survives a round trip through hex_encode") {
  for (int b = 0; b < 256; ++b) {
    const auto byte = static_cast<unsigned char>(b);
    const std::string text = hex_encode(&byte, 1);
    REQUIRE(text.size() == 2);
    CHECK(hex_digit_value(text[0]) * 16 + hex_digit_value(text[1]) == b);
  }
}

TEST_CASE("hex: form_decode undoes %XX and '+', keeps malformed escapes") {
  CHECK(form_decode("a+b%20c") == "a b c");
  CHECK(form_decode("%e2%82%AC") == "\xE2\x82\xAC");
  CHECK(form_decode("state%3Dx%26y") == "state=x&y");
  CHECK(form_decode("100%") == "100%");
  CHECK(form_decode("%4") == "%4");
  CHECK(form_decode("%zz%4g") == "%zz%4g");
  CHECK(form_decode("%%41") == "%A");
  CHECK(form_decode("%2B") == "+");
  CHECK(form_decode("").empty());
}

}  // namespace
}  // namespace lava_mcp
