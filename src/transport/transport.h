// The seam between framing and protocol: a Transport turns lines into classified JSON-RPC
// messages for a MessageHandler, and outgoing values back into lines. It knows nothing of MCP.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "error.h"
#include "expected.h"

namespace lava_mcp::transport {

using Json = nlohmann::json;

// Called on the reader thread only; implementations must return quickly.
class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  virtual void on_request(const Json& id, std::string_view method, Json params) = 0;
  virtual void on_notification(std::string_view method, Json params) = 0;
  virtual void on_response(const Json& id, Expected<Json> outcome) = 0;
};

// Every send_* writes one whole line and flushes; safe to call from any thread.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send_result(const Json& id, const Json& result) = 0;
  virtual void send_error(const Json& id, const Error& error) = 0;  // id may be null
  virtual void send_notification(std::string_view method, const Json& params) = 0;
  virtual void send_request(const Json& id, std::string_view method, const Json& params) = 0;
};

}  // namespace lava_mcp::transport
