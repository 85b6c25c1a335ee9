// The JSON-RPC lines that tests driving the binary over raw stdio write most: initialize (with
// the current protocol version) and tools/call. Each ends with "\n", ready for the pipe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lava_mcp::testing {

inline std::string initialize_line(const nlohmann::json& id) {
  return nlohmann::json{{"jsonrpc", "2.0"},
                        {"id", id},
                        {"method", "initialize"},
                        {"params",
                         {{"protocolVersion", "2025-11-25"},
                          {"capabilities", nlohmann::json::object()},
                          {"clientInfo", {{"name", "t"}, {"version", "1"}}}}}}
             .dump() +
         "\n";
}

inline std::string tool_call_line(const nlohmann::json& id, const std::string& tool,
                                  const nlohmann::json& arguments) {
  return nlohmann::json{{"jsonrpc", "2.0"},
                        {"id", id},
                        {"method", "tools/call"},
                        {"params", {{"name", tool}, {"arguments", arguments}}}}
             .dump() +
         "\n";
}

}  // namespace lava_mcp::testing
