// The seam between framing and protocol: a Transport turns lines into classified JSON-RPC
// messages for a MessageHandler, and outgoing values back into lines. It knows nothing of MCP.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "base/error.h"
#include "base/expected.h"

namespace lava_mcp::transport {

using Json = nlohmann::json;

// Called on the reading thread, one message at a time in arrival order. Implementations must
// return quickly unless they have called Transport::hand_off_reading() with success.
class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  virtual void on_request(const Json& id, std::string_view method, Json params) = 0;
  virtual void on_notification(std::string_view method, Json params) = 0;
  virtual void on_response(const Json& id, Expected<Json> outcome) = 0;
  // Input was read: until on_input_drained(), messages of it may still wait for dispatch.
  virtual void on_input_read() {}
  // Every message read so far is dispatched and no more input is waiting right now.
  virtual void on_input_drained() {}
};

// Every send_* writes one whole line and flushes; safe to call from any thread.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send_result(const Json& id, const Json& result) = 0;
  virtual void send_error(const Json& id, const Error& error) = 0;  // id may be null
  virtual void send_notification(std::string_view method, const Json& params) = 0;
  virtual void send_request(const Json& id, std::string_view method, const Json& params) = 0;

  // For a MessageHandler, during dispatch on the reading thread: another thread reads and
  // dispatches the next messages from now on, so this one may keep working as long as it needs.
  // False when the transport cannot; the handler must then return quickly.
  virtual bool hand_off_reading() { return false; }
};

}  // namespace lava_mcp::transport
