// JSON-RPC 2.0 message decoding and encoding for one line of the stdio stream.
// Knows the envelope rules (spec/mcp.md section 3), nothing about MCP methods.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "base/error.h"

namespace lava_mcp::transport {

using Json = nlohmann::json;

struct Request {
  Json id;  // string or integer, echoed exactly
  std::string method;
  Json params;  // object, or null when absent
};

struct Notification {
  std::string method;
  Json params;
};

struct Response {
  Json id;
  bool ok = true;
  Json result;  // when ok
  Error error;  // when !ok
};

// A line that is not a usable message: the error to answer with, and the id to answer to
// (null when the id could not be determined).
struct DecodeFailure {
  Json id;
  Error error;
};

using Incoming = std::variant<Request, Notification, Response, DecodeFailure>;

// Never throws; every malformed input becomes a DecodeFailure.
Incoming decode_message(std::string_view line);

// One compact line without the trailing newline. Invalid UTF-8 is replaced, never thrown on.
std::string encode_result(const Json& id, const Json& result);
std::string encode_error(const Json& id, const Error& error);
std::string encode_notification(std::string_view method, const Json& params);
std::string encode_request(const Json& id, std::string_view method, const Json& params);

// Serialises compactly, replacing invalid UTF-8 instead of throwing.
}  // namespace lava_mcp::transport
