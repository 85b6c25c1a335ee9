// What differs between desktop systems for the people running lava-mcp: how a URL opens in
// the browser, where Claude Desktop keeps its configuration. Pure: the system is a parameter,
// so every system's answer is tested on any machine.
#pragma once

#include <optional>
#include <string>

namespace lava_mcp::platform {

enum class HostSystem { kLinux, kMacOS, kWindows, kOtherPosix };

// The system this build runs on (kOtherPosix in a LAVA_MCP_GENERIC_POSIX build).
HostSystem this_host_system();

// The command that opens a URL in the default browser: `open` on macOS, `xdg-open` on the other
// POSIX systems; none on Windows, where the shell's "open" opens it (gateway/browser.h).
std::string default_browser_command(HostSystem system);

// The file the libcurl of the system's packages is loaded from (gateway/curl_library.h):
// libcurl.4.dylib on macOS, libcurl.so.4 on the other POSIX systems; none on Windows, where
// WinHTTP serves every request.
std::string libcurl_file(HostSystem system);

// Claude Desktop's claude_desktop_config.json under `home`: ~/Library/Application Support/Claude
// on macOS; ~/.config/Claude (or $XDG_CONFIG_HOME/Claude) on Linux, where only unofficial builds
// run; %APPDATA%\Claude on Windows (`home` is then %APPDATA%). nullopt where there is none, or
// no home to put it under.
std::optional<std::string> claude_desktop_config_file(
    HostSystem system, const std::optional<std::string>& home,
    const std::optional<std::string>& xdg_config_home);

}  // namespace lava_mcp::platform
