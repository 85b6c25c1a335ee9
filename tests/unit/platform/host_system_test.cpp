#include "platform/host_system.h"

#include <doctest/doctest.h>

namespace lava_mcp::platform {
namespace {

TEST_CASE("host system: the browser opens with open on macOS, xdg-open elsewhere") {
  CHECK(default_browser_command(HostSystem::kMacOS) == "open");
  CHECK(default_browser_command(HostSystem::kLinux) == "xdg-open");
  CHECK(default_browser_command(HostSystem::kOtherPosix) == "xdg-open");
}

TEST_CASE("host system: libcurl's file on each system, none on Windows") {
  CHECK(libcurl_file(HostSystem::kMacOS) == "libcurl.4.dylib");
  CHECK(libcurl_file(HostSystem::kLinux) == "libcurl.so.4");
  CHECK(libcurl_file(HostSystem::kOtherPosix) == "libcurl.so.4");
  CHECK(libcurl_file(HostSystem::kWindows).empty());
}

TEST_CASE("host system: Claude Desktop's config file on each system") {
  const std::optional<std::string> home = "/home/ada";
  const std::optional<std::string> none;
  CHECK(claude_desktop_config_file(HostSystem::kMacOS, home, "/x") ==
        "/home/ada/Library/Application Support/Claude/claude_desktop_config.json");
  CHECK(claude_desktop_config_file(HostSystem::kLinux, home, none) ==
        "/home/ada/.config/Claude/claude_desktop_config.json");
  CHECK(claude_desktop_config_file(HostSystem::kLinux, home, "/cfg") ==
        "/cfg/Claude/claude_desktop_config.json");
  CHECK(claude_desktop_config_file(HostSystem::kLinux, home, "") ==
        "/home/ada/.config/Claude/claude_desktop_config.json");
  CHECK(claude_desktop_config_file(HostSystem::kMacOS, none, none) == std::nullopt);
  CHECK(claude_desktop_config_file(HostSystem::kLinux, "", none) == std::nullopt);
  CHECK(claude_desktop_config_file(HostSystem::kOtherPosix, home, "/cfg") == std::nullopt);
}

TEST_CASE("host system: the build's own system") {
#if defined(LAVA_MCP_GENERIC_POSIX)
  CHECK(this_host_system() == HostSystem::kOtherPosix);
#elif defined(__linux__)
  CHECK(this_host_system() == HostSystem::kLinux);
#elif defined(__APPLE__)
  CHECK(this_host_system() == HostSystem::kMacOS);
#endif
}

}  // namespace
}  // namespace lava_mcp::platform
