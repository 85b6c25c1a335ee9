// The MCP resource lava://account: what Lava says of the configured keys, the spend key's spend
// against its limit and this month's usage (gateway/account_status.h), as JSON for an agent.
// A resource costs no tool-list context: the agent reads it when it wants to know. The
// composition registers it with the server (wiring.h, add_product_resources).
#pragma once

#include <nlohmann/json.hpp>

#include "base/expected.h"
#include "gateway/config.h"
#include "gateway/http_client.h"

namespace lava_mcp::resources {

inline constexpr const char* kAccountUri = "lava://account";

// Its entry in resources/list.
nlohmann::json describe_account();

// resources/read: the resource's contents, asking Lava; a uri other than kAccountUri is MCP's
// "resource not found" (-32002), a missing or non-string uri -32602.
Expected<nlohmann::json> read_account(const nlohmann::json& params, gateway::HttpClient& http,
                                      const gateway::ConfigSource& config);

}  // namespace lava_mcp::resources
