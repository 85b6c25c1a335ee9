// What browser.cpp asks of each system (browser_posix.cpp, browser_windows.cpp), beside
// RedirectPage's creation, removal and address.
#pragma once

#include <string>
#include <vector>

#include "base/expected.h"

namespace lava_mcp::gateway {

// Starts argv (argv[0] looked up on the PATH) with the browser environment, stdin and stdout
// away from the protocol stream, not waited for.
Expected<void> start_browser(const std::vector<std::string>& argv);

// Opens `address` with the system's own opener (the shell's "open", through rundll32 url.dll); an
// error on POSIX, where the opener is a command (default_browser_command) started by start_browser.
Expected<void> open_with_system(const std::string& address);

}  // namespace lava_mcp::gateway
