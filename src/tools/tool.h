// What a tool is: its advertised description, its handler, and the per-request context the
// server hands it. Tools see the protocol only through RequestContext.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "protocol/features.h"

namespace lava_mcp::tools {

using Json = nlohmann::json;

// MCP log levels (RFC 5424 names), lowest first.
enum class McpLogLevel { kDebug, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };

// Everything a tool may know or do about the request it serves. One per tools/call; all methods
// are safe to call from the worker thread running the tool.
class RequestContext {
 public:
  virtual ~RequestContext() = default;
  virtual const std::string& protocol_version() const = 0;
  // What the negotiated version lets a result carry (protocol/features.h).
  const protocol::Features& features() const { return protocol::features_for(protocol_version()); }
  virtual const Json& client_capabilities() const = 0;
  // clientInfo.name from initialize ("claude-code"): what the host does with a result depends on
  // it (tools/result_budget.h). Empty when unknown.
  virtual const std::string& client_name() const;
  // Fires on notifications/cancelled for this request and on shutdown.
  virtual std::stop_token stop_token() const = 0;
  // notifications/progress; a no-op without a progressToken, after the reply, or when `progress`
  // does not exceed the last value sent.
  virtual void progress(double progress, std::optional<double> total, std::string message) = 0;
  // Whether the caller asked for progress (sent a progressToken): work done only to report
  // progress can be skipped otherwise.
  virtual bool wants_progress() const { return true; }
  // notifications/message, filtered by logging/setLevel.
  virtual void log(McpLogLevel level, std::string_view logger, const Json& data) = 0;
  // Sends a notification to the client (e.g. notifications/elicitation/complete).
  virtual void notify_client(std::string_view method, const Json& params) = 0;
  // Sends a request to the client (e.g. elicitation/create) and waits for its answer, the
  // timeout, or cancellation. The caller checks client_capabilities() first.
  virtual Expected<Json> request_client(std::string_view method, Json params,
                                        std::chrono::milliseconds timeout) = 0;
  // MRTR (modern era): on a call retried with the requestState of an input_required result, the
  // data the tool sealed into that result and the client's inputResponses, both checked by the
  // server (the responses answer every input request). Null on a first call.
  virtual const Json& resumed_state() const;
  virtual const Json& input_responses() const;
};

// What a modern call needs from the client before it can go on (spec/mcp.md 12, MRTR).
struct InputRequired {
  Json requests;  // inputRequests: {key: {method, params}}
  Json state;     // handed back as resumed_state() on the retry; signed, not encrypted: no secrets
};

struct ToolResult {
  Json content = Json::array();  // MCP content blocks; at least one text block
  Json structured = nullptr;     // structuredContent; an object, or null for none
  bool is_error = false;
  std::optional<InputRequired> input_required;  // modern era only: resultType "input_required"

  static ToolResult error(std::string text);
  static ToolResult success(std::string text, Json structured);
  static ToolResult needs_input(Json requests, Json state);
  void add_text(std::string text);  // appends a text content block
};

using ToolHandler = std::function<ToolResult(const Json& arguments, RequestContext& context)>;

struct ToolAnnotations {
  bool read_only = false;
  bool destructive = true;
  bool idempotent = false;
  bool open_world = true;
};

struct ToolSpec {
  std::string name;
  std::string title;
  std::string description;  // written for a model: when to use it, and when another tool
  Json input_schema;
  Json output_schema = nullptr;  // null: none advertised
  ToolAnnotations annotations;
  ToolHandler run;
};

}  // namespace lava_mcp::tools
