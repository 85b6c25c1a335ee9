// The MCP resource lava://account: what Lava says of the configured keys, the spend key's spend
// against its limit and this month's usage (gateway/account_status.h), as JSON for an agent.
// A resource costs no tool-list context: the agent reads it when it wants to know.
#pragma once

#include "server.h"
#include "wiring.h"

namespace lava_mcp {

inline constexpr const char* kAccountResourceUri = "lava://account";

// resources/list and resources/read, and the resources capability (no subscribe, no listChanged:
// the one resource is fixed and is not watched).
void add_account_resource(Server& server, ProductServices& services);

}  // namespace lava_mcp
