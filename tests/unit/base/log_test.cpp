#include "base/log.h"

#include <doctest/doctest.h>

namespace lava_mcp::log {
namespace {

TEST_CASE("log: parse_level reads the four names and the spelled-out warning") {
  CHECK(parse_level("debug") == Level::kDebug);
  CHECK(parse_level("info") == Level::kInfo);
  CHECK(parse_level("warn") == Level::kWarn);
  CHECK(parse_level("warning") == Level::kWarn);
  CHECK(parse_level("error") == Level::kError);
}

TEST_CASE("log: parse_level refuses anything else, case and spaces included") {
  for (const char* bad : {"", "DEBUG", "Info", " warn", "error ", "trace", "fatal", "warnings"}) {
    CHECK_FALSE_MESSAGE(parse_level(bad).has_value(), bad);
  }
}

}  // namespace
}  // namespace lava_mcp::log
