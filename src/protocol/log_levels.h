// MCP log levels (RFC 5424 names, lowest first), as legacy logging/setLevel and the modern
// `_meta` logLevel name them.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace lava_mcp::protocol {

inline constexpr std::array<std::string_view, 8> kLogLevelNames = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

// The index of a level name in kLogLevelNames; nullopt for anything else.
std::optional<int> parse_log_level(const nlohmann::json& value);

}  // namespace lava_mcp::protocol
