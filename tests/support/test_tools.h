// Test-only tools for library-level server tests (never registered by the product binary).
#pragma once

#include <atomic>

#include "tools/registry.h"

namespace lava_mcp::testing {

// What "slow" calls did, counted over the whole test binary (tests compare before and after):
// how many started, and how many saw their stop token and ended early.
struct SlowToolCounts {
  std::atomic<int> started{0};
  std::atomic<int> stopped{0};
};
SlowToolCounts& slow_tool_counts();

// "slow" {ms, steps}: waits `ms` in `steps` progress steps, stopping early on cancellation.
// "echo": returns its arguments as structuredContent.  "throws": throws std::runtime_error.
// "ask_client" {method}: sends a request to the client and reports the answer.
void register_test_tools(tools::ToolRegistry& registry);

}  // namespace lava_mcp::testing
