#include "base/json_writer.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "support/random_json.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;

std::string reference(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TEST_CASE("json_writer: the same bytes as nlohmann's compact dump") {
  const Json cases[] = {
      nullptr,
      true,
      false,
      0,
      -1,
      42u,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::uint64_t>::max(),
      0.5,
      1.0,
      -0.0,
      1e300,
      3.14159,
      std::numeric_limits<double>::quiet_NaN(),
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "\b\f\n\r\t \x01\x1f\x7f",
      std::string("nul \0 inside", 12),
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
      "bad \xC0\x80 utf8",
      "cut at the end \xE2\x82",
      "\xFF\xFE",
      "surrogate \xED\xA0\x80",
      Json::array(),
      Json::object(),
      Json::array({1, "two", nullptr, Json::array({Json::object()})}),
      Json{{"b", 1}, {"a", Json{{"z\n", "\x02"}, {"y", Json::array({2.5, false})}}}, {"", ""}},
      Json::binary({1, 2, 3}),
      Json(Json::value_t::discarded),
  };
  for (const Json& value : cases) {
    CHECK(compact_json(value) == reference(value));
    CHECK(compact_json_size(value) == reference(value).size());
  }
}

TEST_CASE("json_writer: appends after what the buffer already holds") {
  std::string out = "prefix:";
  append_compact_json(out, Json{{"k", "v"}});
  CHECK(out == "prefix:{\"k\":\"v\"}");
}

// Random trees with strings (values and keys) of arbitrary bytes: any disagreement with
// nlohmann is a failure.
TEST_CASE("json_writer: agrees with nlohmann on random documents") {
  std::mt19937 rng(20261127);
  for (int i = 0; i < 3000; ++i) {
    const Json value = testing::random_json(rng);
    REQUIRE(compact_json(value) == reference(value));
    REQUIRE(compact_json_size(value) == reference(value).size());
  }
}

}  // namespace
}  // namespace lava_mcp
