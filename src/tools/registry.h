// The ordered set of tools the server advertises and runs.
#pragma once

#include <string_view>
#include <vector>

#include "tools/tool.h"

namespace lava_mcp::tools {

// Filled once at start-up, then read concurrently; not thread-safe for writes.
class ToolRegistry {
 public:
  // Names must be unique and match [A-Za-z0-9_.-]{1,128}; violations are programmer errors.
  void add(ToolSpec spec);
  const ToolSpec* find(std::string_view name) const;
  const std::vector<ToolSpec>& tools() const { return tools_; }

 private:
  std::vector<ToolSpec> tools_;
};

// Runs a tool: validates `arguments` against the input schema first (a violation is an isError
// result naming the path and the rule), then the handler; an exception from the handler becomes
// an isError result. Never throws.
ToolResult run_tool(const ToolSpec& spec, const Json& arguments, RequestContext& context);

// The tools/list entry for `spec`, with the fields the negotiated version has.
Json describe_tool(const ToolSpec& spec, const protocol::Features& features);

}  // namespace lava_mcp::tools
