// The modern era's per-request `_meta` (spec/mcp.md 12): what a 2026-07-28 request says about
// its client, read afresh from every request, never from earlier ones.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"

namespace lava_mcp::error_code {
// The modern era's own codes (spec/mcp.md 3 and 12).
inline constexpr int kMissingClientCapability = -32021;
inline constexpr int kUnsupportedProtocolVersion = -32022;
}  // namespace lava_mcp::error_code

namespace lava_mcp::protocol {

using Json = nlohmann::json;

inline constexpr std::string_view kMetaProtocolVersion = "io.modelcontextprotocol/protocolVersion";
inline constexpr std::string_view kMetaClientCapabilities =
    "io.modelcontextprotocol/clientCapabilities";
inline constexpr std::string_view kMetaClientInfo = "io.modelcontextprotocol/clientInfo";
inline constexpr std::string_view kMetaLogLevel = "io.modelcontextprotocol/logLevel";
inline constexpr std::string_view kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
inline constexpr std::string_view kMetaSubscriptionId = "io.modelcontextprotocol/subscriptionId";

struct RequestMeta {
  std::string protocol_version;
  Json client_capabilities = Json::object();
  std::string client_name;       // clientInfo.name; empty when not sent
  std::optional<int> log_level;  // index into kLogLevelNames; none: no log notifications
};

// True when `params._meta` names a protocol version or client capabilities: the request is a
// modern one, even if the rest of its `_meta` is wrong.
bool has_modern_meta(const Json& params);

// Whether a complete result of `method` carries the cache hints ttlMs and cacheScope.
bool is_cacheable(std::string_view method);

// The request's `_meta`, or the error to answer it with: -32602 naming the missing or malformed
// field, -32022 with data {supported, requested} for a version not served statelessly.
Expected<RequestMeta> read_request_meta(const Json& params);

}  // namespace lava_mcp::protocol
