// The terminal subcommands: login, logout, status, and one tool call for debugging.
// Each returns the process exit code and prints for a person (stdout) or diagnostics (stderr).
#pragma once

#include <string>

#include "wiring.h"

namespace lava_mcp {

int run_login_command(ProductServices& services, bool force);
int run_logout_command(ProductServices& services);
int run_status_command(ProductServices& services);
int run_tool_command(ProductServices& services, const std::string& tool,
                     const std::string& arguments_json);

}  // namespace lava_mcp
