// Opening the login URL: the BROWSER command of tools.md section 2, run without a shell.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "expected.h"

namespace lava_mcp::gateway {

// The argv to run: BROWSER split on whitespace, "%s" replaced by the URL (or the URL appended);
// the platform opener when unset; empty when BROWSER is "none".
std::vector<std::string> browser_command(const std::optional<std::string>& browser,
                                         const std::string& url);

// Starts the command with stdin and stdout on /dev/null (stdout is the protocol stream) and
// reaps it in the background. Error when it cannot be started.
Expected<void> open_in_browser(const std::optional<std::string>& browser, const std::string& url);

}  // namespace lava_mcp::gateway
