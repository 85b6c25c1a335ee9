// The MCP server: method table, lifecycle and version negotiation, concurrent tool calls with
// cancellation and progress, MCP logging, and requests to the client (spec/mcp.md). What a
// negotiated version allows comes from protocol/features.h.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "base/worker_pool.h"
#include "protocol/features.h"
#include "protocol/request_state.h"
#include "tools/registry.h"
#include "transport/stdio_session.h"
#include "transport/transport.h"

namespace lava_mcp {

using Json = nlohmann::json;

struct ServerOptions {
  std::string name = "lava-mcp";
  std::string title = "Lava gateway";
  std::string version;
  std::string instructions;
  std::size_t tools_page_size = 50;
  std::size_t max_concurrent_calls = 64;
  // ttlMs on modern list and discover results: how long a client may reuse them.
  std::chrono::milliseconds cache_ttl = std::chrono::hours(1);
  // How long the requestState of an input_required result is accepted (MRTR): as long as the
  // browser login it usually carries lives.
  std::chrono::milliseconds request_state_ttl = std::chrono::minutes(10);
};

// What one request knows of the session; handed to extension methods.
struct SessionView {
  std::string protocol_version;
  protocol::Features features;
  Json client_capabilities;
  std::string client_name;       // clientInfo.name
  std::optional<int> log_level;  // modern: the request's own logLevel (none: no log messages)
};

class Server final : public transport::SessionHandler {
 public:
  // Extra request methods (lava://account, and the test fixtures' resources, prompts and
  // completion), served after initialize or to modern requests. Returned errors become JSON-RPC
  // errors, and so does an exception (-32603).
  using MethodHandler = std::function<Expected<Json>(const Json& params, const SessionView&)>;
  // Where an extra method runs: inline on the reading thread (a handler that only reads memory),
  // or on the worker pool as tools/call does (a handler that may wait on the network), so that
  // the input goes on being read and a slow answer holds up no other request.
  enum class MethodThread { kReading, kWorker };

  Server(transport::Transport& transport, const tools::ToolRegistry& registry,
         ServerOptions options);
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Not thread-safe: call before serving. A built-in method's name is not taken.
  void add_method(std::string method, MethodHandler handler,
                  MethodThread thread = MethodThread::kReading);
  void add_capability(const std::string& name, Json value);

  void on_request(const Json& id, std::string_view method, Json params) override;
  void on_notification(std::string_view method, Json params) override;
  void on_response(const Json& id, Expected<Json> outcome) override;
  // Queued calls start only once the input read is dispatched: a cancel already read always
  // reaches its call before a slot freed meanwhile could start it.
  void on_input_read() override { workers_.hold_queue(); }
  void on_input_drained() override { workers_.release_queue(); }

  // Cancels every call in flight and waits up to `grace` for their workers; true if all ended.
  bool shutdown(std::chrono::milliseconds grace) override;

  // The client's input ended: no answer to a request of ours can arrive, so calls waiting on one
  // (an elicitation) get an error now and the others run on to their answers.
  void input_closed() override;
  // True when no call is running or queued before `timeout` passes.
  bool wait_idle(std::chrono::milliseconds timeout) override { return workers_.wait_idle(timeout); }

  // notifications/message when `level` passes logging/setLevel. Thread-safe.
  void log_to_client(tools::McpLogLevel level, std::string_view logger, const Json& data);
  // The same for one request: a modern one logs only at or above its own `_meta` logLevel.
  void log_for_request(const SessionView& session, tools::McpLogLevel level,
                       std::string_view logger, const Json& data);

  // A request to the client; blocks until answered, `stop` fires or `timeout` passes.
  Expected<Json> request_client(std::string_view method, Json params, std::stop_token stop,
                                std::chrono::milliseconds timeout);

  struct Call;  // one tools/call in flight

 private:
  struct PendingRequest;
  // A request's outcome, or nullopt when a worker sends it later (tools/call).
  using Answer = std::optional<Expected<Json>>;
  struct BuiltinMethod;
  static const BuiltinMethod* find_builtin(std::string_view method);
  struct ExtraMethod {
    MethodHandler handler;
    MethodThread thread;
  };

  Answer dispatch(const Json& id, std::string_view method, Json params);
  Answer dispatch_modern(const Json& id, std::string_view method, Json params);
  Answer handle_ping(const Json& id, Json params, const SessionView& session);
  Answer handle_initialize(const Json& id, Json params, const SessionView& session);
  Answer handle_discover(const Json& id, Json params, const SessionView& session);
  Answer handle_tools_list(const Json& id, Json params, const SessionView& session);
  Answer handle_set_level(const Json& id, Json params, const SessionView& session);
  Answer handle_tools_call(const Json& id, Json params, const SessionView& session);
  Answer run_extra(const Json& id, std::string_view method, const ExtraMethod& extra, Json params,
                   const SessionView& session);
  void answer_extra_on_worker(const Json& id, std::string_view method, const MethodHandler& handler,
                              const Json& params, const SessionView& session) noexcept;
  Answer handle_listen(const Json& id, Json params, const SessionView& session);
  // A modern retry: its requestState and inputResponses checked and kept in `call`.
  Expected<void> resume_call(Call& call, const Json& params, std::string_view tool,
                             const Json& arguments, const SessionView& session);
  bool id_in_use(const std::string& key) const;  // calls_mutex_ held
  void run_call(const std::shared_ptr<Call>& call, const tools::ToolSpec& spec, Json arguments,
                const SessionView& session) noexcept;
  // resultType, serverInfo and (for `method`'s cacheable results) the cache hints.
  void complete_modern(Json& result, std::string_view method,
                       const protocol::Features& features) const;
  Json server_info(const protocol::Features& features) const;
  void send_log(tools::McpLogLevel level, std::string_view logger, const Json& data);
  void cancel(const Json& params);
  void finish_call(const std::shared_ptr<Call>& call, const Json& result);
  void finish_after_failure(const std::shared_ptr<Call>& call, const std::string& detail) noexcept;
  void forget_call(const std::shared_ptr<Call>& call);
  // The result of `tool` called with `arguments` (both needed to seal an input_required one).
  Json shape_result(tools::ToolResult result, const protocol::Features& features,
                    std::string_view tool = {}, const Json& arguments = nullptr) const;
  void end_listens(const std::string& reason);
  SessionView session() const;

  transport::Transport& transport_;
  const tools::ToolRegistry& registry_;
  ServerOptions options_;
  std::map<std::string, ExtraMethod, std::less<>> extra_methods_;
  Json capabilities_;

  mutable std::mutex session_mutex_;
  bool initialized_ = false;
  std::string protocol_version_ = std::string(protocol::kBaselineVersion);
  Json client_capabilities_ = Json::object();
  std::string client_name_;  // guarded by session_mutex_

  std::atomic<int> client_log_level_{static_cast<int>(tools::McpLogLevel::kInfo)};

  std::mutex calls_mutex_;
  std::map<std::string, std::shared_ptr<Call>> calls_;  // key: the id's JSON text
  std::map<std::string, Json> listens_;  // open subscriptions/listen streams, by id; calls_mutex_

  protocol::RequestStateKeeper request_states_;

  std::mutex pending_mutex_;
  std::map<std::string, std::shared_ptr<PendingRequest>> pending_;
  bool input_closed_ = false;  // guarded by pending_mutex_
  std::atomic<long long> next_request_id_{1};

  WorkerPool workers_;  // last: destroyed first, while the members its tasks use still live
};

}  // namespace lava_mcp
