#include "platform/executable_path.h"

#include <doctest/doctest.h>

#include <filesystem>

namespace lava_mcp::platform {
namespace {

TEST_CASE("executable path: the running test executable, absolute, or none on generic POSIX") {
  const auto path = executable_path();
#if defined(LAVA_MCP_GENERIC_POSIX)
  CHECK(path == std::nullopt);
#else
  REQUIRE(path.has_value());
  const std::filesystem::path self(*path);
  CHECK(self.is_absolute());
  CHECK(std::filesystem::is_regular_file(self));
  CHECK((self.filename() == "unit_tests" || self.filename() == "portable_tests"));
#endif
}

}  // namespace
}  // namespace lava_mcp::platform
