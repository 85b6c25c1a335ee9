// Error: the value that crosses module boundaries instead of an exception.
// Codes are JSON-RPC numbers (spec/mcp.md section 3) so the dispatcher can send them as they are.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lava_mcp {

namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
}  // namespace error_code

struct Error {
  int code = error_code::kInternalError;
  std::string message;
  nlohmann::json data = nullptr;  // null means "no data member"
};

}  // namespace lava_mcp
