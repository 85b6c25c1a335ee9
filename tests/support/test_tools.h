// Test-only tools for library-level server tests (never registered by the product binary).
#pragma once

#include "tools/registry.h"

namespace lava_mcp::testing {

// "slow" {ms, steps}: waits `ms` in `steps` progress steps, stopping early on cancellation.
// "echo": returns its arguments as structuredContent.  "throws": throws std::runtime_error.
// "ask_client" {method}: sends a request to the client and reports the answer.
void register_test_tools(tools::ToolRegistry& registry);

}  // namespace lava_mcp::testing
