#include "base/base64.h"

#include <doctest/doctest.h>

#include <string>

namespace lava_mcp {
namespace {

// RFC 4648 section 10.
constexpr const char* kVectors[][2] = {{"", ""},
                                       {"f", "Zg=="},
                                       {"fo", "Zm8="},
                                       {"foo", "Zm9v"},
                                       {"foob", "Zm9vYg=="},
                                       {"fooba", "Zm9vYmE="},
                                       {"foobar", "Zm9vYmFy"}};

TEST_CASE("base64: standard alphabet with padding, and back") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("\xfb\xff") == "+/8=");
  CHECK(base64_decode("Zm9vYg==") == "foob");
  CHECK(base64_decode("-_8") == "\xfb\xff");
  CHECK_FALSE(base64_decode("Zm9v!").has_value());
}

TEST_CASE("base64: the RFC 4648 test vectors, both ways") {
  for (const auto& [plain, encoded] : kVectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == std::string(plain));
  }
}

TEST_CASE("base64: padding is optional and the URL-safe alphabet is read too") {
  CHECK(base64_decode("Zg") == "f");
  CHECK(base64_decode("Zm8") == "fo");
  CHECK(base64_decode("Zm9vYg") == "foob");
  CHECK(base64_encode("\xfb\xff\xbf") == "+/+/");
  CHECK(base64_decode("+/+/") == "\xfb\xff\xbf");
  CHECK(base64_decode("-_-_") == "\xfb\xff\xbf");
  CHECK(base64_decode("-_8") == "\xfb\xff");
}

TEST_CASE("base64: a lone last letter holds no whole byte, and foreign bytes are refused") {
  CHECK(base64_decode("Zm9vY") == "foo");
  CHECK(base64_decode("Z") == "");
  for (const char* bad : {"Zm9v!", "Zm 9v", "Zm9v\n", "Zg=a", "=Zg", "Zm\x80v", "Zm.v"}) {
    CHECK_FALSE_MESSAGE(base64_decode(bad).has_value(), bad);
  }
}

TEST_CASE("base64: every byte value and every length round-trips") {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    bytes.push_back(static_cast<char>((i * 97 + 13) & 0xFF));
    const std::string encoded = base64_encode(bytes);
    CHECK(encoded.size() == (bytes.size() + 2) / 3 * 4);
    CHECK(base64_decode(encoded) == bytes);
  }
}

}  // namespace
}  // namespace lava_mcp
