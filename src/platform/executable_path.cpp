#include "platform/executable_path.h"

#include "platform/target.h"

#if defined(_WIN32)
#include <windows.h>

#include "platform/wide_text.h"
#elif LAVA_MCP_LINUX
#include <unistd.h>
#elif LAVA_MCP_MACOS
#include <mach-o/dyld.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#endif

namespace lava_mcp::platform {

std::optional<std::string> executable_path() {
#if defined(_WIN32)
  std::wstring path(32768, L'\0');  // the longest path Windows has (\\?\ prefixed)
  const DWORD n = ::GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
  if (n == 0 || n == path.size()) {
    return std::nullopt;  // failed, or cut short
  }
  path.resize(n);
  return to_utf8(path);
#elif LAVA_MCP_LINUX
  char path[4096];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof(path));
  if (n <= 0 || static_cast<std::size_t>(n) == sizeof(path)) {
    return std::nullopt;  // unreadable, or cut short
  }
  return std::string(path, static_cast<std::size_t>(n));
#elif LAVA_MCP_MACOS
  char path[PATH_MAX];
  std::uint32_t size = sizeof(path);
  if (_NSGetExecutablePath(path, &size) != 0) {
    return std::nullopt;
  }
  char resolved[PATH_MAX];  // the dyld path may hold symlinks and ../
  if (::realpath(path, resolved) == nullptr) {
    return std::nullopt;
  }
  return std::string(resolved);
#else
  return std::nullopt;
#endif
}

}  // namespace lava_mcp::platform
