#include "base/json_reader.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "support/random_json.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;

constexpr int kDeep = 512;

// Equal values of equal types all the way down (nlohmann's == calls 1 and 1u and 1.0 equal).
bool identical(const Json& a, const Json& b) {
  if (a.type() != b.type()) {
    return false;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
      if (ia.key() != ib.key() || !identical(*ia, *ib)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!identical(a[i], b[i])) return false;
    }
    return true;
  }
  return a.is_discarded() || a == b;
}

// read_json must make exactly what nlohmann makes of `text` (which has no NUL byte).
void check_agrees(const std::string& text) {
  const Json ours = read_json(text, kDeep);
  const Json theirs = Json::parse(text, nullptr, false);
  INFO("text: ", text);
  CHECK(identical(ours, theirs));
}

TEST_CASE("json_reader: accepts what nlohmann accepts and makes the same values") {
  for (const char* text :
       {"null",
        "true",
        "false",
        "0",
        "-0",
        "7",
        "-7",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "-0.0",
        "1e3",
        "1E+3",
        "2.5e-3",
        "1e-400",
        "123456789012345678901234567890",
        "\"\"",
        "\"plain\"",
        R"("esc \" \\ \/ \b \f \n \r \t")",
        R"("\u0041\u00e9\u20ac\ud83d\ude00")",
        R"("\u0000 nul")",
        "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"",
        "[]",
        "{}",
        " [ 1 , [ ] , { } ] ",
        R"({"b":1,"a":{"c":[true,null]}})",
        R"({"k":1,"k":2})",
        "\xEF\xBB\xBF{\"bom\":1}",
        "\t\r\n 5 \t\r\n",
        R"({"a long key that spans words":"and a long value with \" inside"})"}) {
    check_agrees(text);
    CHECK_FALSE(read_json(text, kDeep).is_discarded());
  }
}

TEST_CASE("json_reader: refuses what nlohmann refuses") {
  for (const char* text : {"",
                           " ",
                           "nul",
                           "nulls",
                           "True",
                           "01",
                           "-",
                           "+1",
                           "1.",
                           ".5",
                           "1e",
                           "1e+",
                           "0x1",
                           "1e400",
                           "-1e400",
                           "NaN",
                           "Infinity",
                           "\"",
                           "\"open",
                           "\"bad \\x escape\"",
                           "\"\\u12\"",
                           "\"\\u12g4\"",
                           "\"\\ud800\"",
                           "\"\\ud800\\u0041\"",
                           "\"\\udc00\"",
                           "\"tab\tinside\"",
                           "\"\x01\"",
                           "\"\x1f\"",
                           "\"\xC0\x80\"",
                           "\"\xED\xA0\x80\"",
                           "\"\xF4\x90\x80\x80\"",
                           "\"cut \xE2\x82\"",
                           "[",
                           "]",
                           "[1,]",
                           "[,1]",
                           "[1 2]",
                           "{",
                           "{\"a\"}",
                           "{\"a\":}",
                           "{\"a\":1,}",
                           "{a:1}",
                           "{\"a\" 1}",
                           "{1:2}",
                           "[] []",
                           "{} x",
                           "\xEF\xBB",
                           "\xEF\xBB\xBF"}) {
    check_agrees(text);
    CHECK(read_json(text, kDeep).is_discarded());
  }
}

TEST_CASE("json_reader: nesting is limited, and a NUL byte does not end the input") {
  const auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']');
  };
  CHECK(read_json(nested(kDeep), kDeep).is_array());
  CHECK(read_json(nested(kDeep + 1), kDeep).is_discarded());
  CHECK(read_json(nested(3), 2).is_discarded());
  CHECK(read_json(std::string("{}\0garbage", 10), kDeep).is_discarded());
  CHECK(read_json(std::string("\"a\0b\"", 5), kDeep).is_discarded());  // raw control character
}

// Random documents, written compactly or with whitespace, then cut and corrupted: read_json
// and nlohmann agree on every one (accepted or not, and on the values made).
std::string corrupt(std::string text, std::mt19937& rng) {
  static const std::string kBytes = "{}[]\",:\\ 0e.-+tfnu\x01\x80\xC3\xFF";
  for (unsigned n = 1 + rng() % 3; n > 0 && !text.empty(); --n) {
    const std::size_t at = rng() % text.size();
    switch (rng() % 3) {
      case 0:
        text.erase(at, 1);
        break;
      case 1:
        text.insert(at, 1, kBytes[rng() % kBytes.size()]);
        break;
      default:
        text[at] = kBytes[rng() % kBytes.size()];
        break;
    }
  }
  return text;
}

TEST_CASE("json_reader: agrees with nlohmann on random and corrupted documents") {
  std::mt19937 rng(271127);
  for (int i = 0; i < 3000; ++i) {
    const Json value = testing::random_json(rng);
    const std::string text =
        value.dump(rng() % 2 == 0 ? -1 : 1, ' ', false, Json::error_handler_t::replace);
    check_agrees(text);
    check_agrees(text.substr(0, rng() % (text.size() + 1)));
    check_agrees(corrupt(text, rng));
  }
}

}  // namespace
}  // namespace lava_mcp
