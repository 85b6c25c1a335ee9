#include "platform/host_system.h"

#include "platform/target.h"

namespace lava_mcp::platform {
namespace {

constexpr const char* kClaudeConfigName = "/Claude/claude_desktop_config.json";

bool present(const std::optional<std::string>& value) { return value && !value->empty(); }

}  // namespace

HostSystem this_host_system() {
#if defined(_WIN32)
  return HostSystem::kWindows;
#elif LAVA_MCP_LINUX
  return HostSystem::kLinux;
#elif LAVA_MCP_MACOS
  return HostSystem::kMacOS;
#else
  return HostSystem::kOtherPosix;
#endif
}

std::string default_browser_command(HostSystem system) {
  switch (system) {
    case HostSystem::kMacOS:
      return "open";
    case HostSystem::kWindows:
      return "";
    case HostSystem::kLinux:
    case HostSystem::kOtherPosix:
      break;
  }
  return "xdg-open";
}

std::string libcurl_file(HostSystem system) {
  switch (system) {
    case HostSystem::kMacOS:
      return "libcurl.4.dylib";
    case HostSystem::kWindows:
      return "";
    case HostSystem::kLinux:
    case HostSystem::kOtherPosix:
      break;
  }
  return "libcurl.so.4";
}

std::optional<std::string> claude_desktop_config_file(
    HostSystem system, const std::optional<std::string>& home,
    const std::optional<std::string>& xdg_config_home) {
  switch (system) {
    case HostSystem::kMacOS:
      if (present(home)) {
        return *home + "/Library/Application Support" + kClaudeConfigName;
      }
      return std::nullopt;
    case HostSystem::kLinux:
      if (present(xdg_config_home)) {
        return *xdg_config_home + kClaudeConfigName;
      }
      if (present(home)) {
        return *home + "/.config" + kClaudeConfigName;
      }
      return std::nullopt;
    case HostSystem::kWindows:
      if (present(home)) {
        return *home + "\\Claude\\claude_desktop_config.json";
      }
      return std::nullopt;
    case HostSystem::kOtherPosix:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace lava_mcp::platform
