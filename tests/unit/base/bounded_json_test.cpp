#include "base/bounded_json.h"

#include <doctest/doctest.h>

#include <string>

namespace lava_mcp {
namespace {

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

TEST_CASE("bounded json: parses up to the limit, refuses deeper without recursing") {
  CHECK(parse_bounded_json(nested(kMaxJsonNesting)).is_array());
  CHECK(parse_bounded_json(nested(kMaxJsonNesting + 1)).is_discarded());
  // 1 MB of brackets: refused by the scan, so nothing deep is ever built, copied or dumped.
  CHECK(parse_bounded_json(nested(500000)).is_discarded());
  CHECK(parse_bounded_json(R"({"a": [1, {"b": null}]})")["a"][1].is_object());
  CHECK(parse_bounded_json("not json").is_discarded());
}

TEST_CASE("bounded json: brackets inside strings and escapes do not count") {
  const std::string text = R"({"s": ")" + std::string(5000, '[') + R"(\"[{"})";
  const auto parsed = parse_bounded_json(text);
  REQUIRE(parsed.is_object());
  CHECK(parsed["s"].get<std::string>().size() == 5000 + 3);
  CHECK_FALSE(nests_deeper_than(R"(["\\", "[[["])", 1));
  CHECK(nests_deeper_than("[[", 1));
}

}  // namespace
}  // namespace lava_mcp
