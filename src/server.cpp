#include "server.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>

#include "base/json_writer.h"
#include "base/log.h"
#include "protocol/log_levels.h"
#include "protocol/request_meta.h"
#include "transport/jsonrpc.h"

namespace lava_mcp {
namespace {

using tools::McpLogLevel;

constexpr std::string_view kCursorPrefix = "after:";

std::string negotiate_version(const Json& params) {
  const auto requested = params.find("protocolVersion");
  if (requested != params.end() && requested->is_string()) {
    if (const auto* revision = protocol::find_revision(requested->get_ref<const std::string&>(),
                                                       protocol::Era::kLegacy)) {
      return std::string(revision->version);
    }
  }
  return std::string(protocol::kBaselineVersion);
}

std::string id_key(const Json& id) { return compact_json(id); }

// The answer to a request whose handling threw: the detail goes to stderr only.
Error internal_error() {
  return Error{error_code::kInternalError, "Internal error; the details are in the server log"};
}

Error invalid_params(std::string message) {
  return Error{error_code::kInvalidParams, std::move(message)};
}

}  // namespace

struct Server::Call {
  Json id;
  Json progress_token;          // null: the caller asked for no progress
  protocol::Features features;  // of the request's version
  std::stop_source stop;
  std::mutex mutex;
  bool cancelled = false;                                           // guarded by mutex
  bool finished = false;                                            // guarded by mutex
  double last_progress = -std::numeric_limits<double>::infinity();  // guarded by mutex
  Json resumed_state;    // MRTR retry: what the tool sealed into its input_required result
  Json input_responses;  // MRTR retry: the client's answers, checked against that state
};

struct Server::BuiltinMethod {
  std::string_view name;
  bool legacy;             // served after initialize
  bool modern;             // served statelessly, to requests with the modern _meta
  bool before_initialize;  // legacy, and answered before initialize too
  Answer (Server::*handle)(const Json& id, Json params, const SessionView& session);
};

// Every method the server itself answers, listed once.
const Server::BuiltinMethod* Server::find_builtin(std::string_view method) {
  static constexpr std::array<BuiltinMethod, 7> kMethods = {{
      {"initialize", true, false, true, &Server::handle_initialize},
      {"ping", true, false, true, &Server::handle_ping},
      {"server/discover", false, true, false, &Server::handle_discover},
      {"tools/list", true, true, false, &Server::handle_tools_list},
      {"tools/call", true, true, false, &Server::handle_tools_call},
      {"logging/setLevel", true, false, false, &Server::handle_set_level},
      {"subscriptions/listen", false, true, false, &Server::handle_listen},
  }};
  const auto it = std::find_if(kMethods.begin(), kMethods.end(),
                               [&](const BuiltinMethod& entry) { return entry.name == method; });
  return it == kMethods.end() ? nullptr : &*it;
}

struct Server::PendingRequest {
  std::mutex mutex;
  std::condition_variable done;
  std::optional<Expected<Json>> outcome;
};

namespace {

class CallContext final : public tools::RequestContext {
 public:
  CallContext(Server& server, transport::Transport& transport, std::shared_ptr<Server::Call> call,
              SessionView session)
      : server_(server),
        transport_(transport),
        call_(std::move(call)),
        session_(std::move(session)) {}

  const std::string& protocol_version() const override { return session_.protocol_version; }
  const Json& client_capabilities() const override { return session_.client_capabilities; }
  const std::string& client_name() const override { return session_.client_name; }
  std::stop_token stop_token() const override { return call_->stop.get_token(); }
  const Json& resumed_state() const override { return call_->resumed_state; }
  const Json& input_responses() const override { return call_->input_responses; }

  void progress(double value, std::optional<double> total, std::string message) override;
  bool wants_progress() const override { return !call_->progress_token.is_null(); }

  void log(McpLogLevel level, std::string_view logger, const Json& data) override {
    server_.log_for_request(session_, level, logger, data);
  }

  void notify_client(std::string_view method, const Json& params) override {
    transport_.send_notification(method, params);
  }

  Expected<Json> request_client(std::string_view method, Json params,
                                std::chrono::milliseconds timeout) override {
    if (session_.features.stateless) {  // a modern server never writes a request (mcp.md 12)
      return fail(error_code::kInternalError,
                  std::string(method) + ": no requests to the client in the modern era");
    }
    return server_.request_client(method, std::move(params), call_->stop.get_token(), timeout);
  }

 private:
  Server& server_;
  transport::Transport& transport_;
  std::shared_ptr<Server::Call> call_;
  SessionView session_;
};

void CallContext::progress(double value, std::optional<double> total, std::string message) {
  if (call_->progress_token.is_null()) {
    return;
  }
  // Under the call's lock, so no progress can follow the response or a cancel.
  std::lock_guard lock(call_->mutex);
  if (call_->finished || call_->cancelled || !(value > call_->last_progress)) {
    return;
  }
  call_->last_progress = value;
  Json params = {{"progressToken", call_->progress_token}, {"progress", value}};
  if (total) {
    params["total"] = *total;
  }
  if (!message.empty() && session_.features.progress_message) {
    params["message"] = std::move(message);
  }
  transport_.send_notification("notifications/progress", params);
}

}  // namespace

Server::Server(transport::Transport& transport, const tools::ToolRegistry& registry,
               ServerOptions options)
    : transport_(transport),
      registry_(registry),
      options_(std::move(options)),
      capabilities_({{"tools", Json::object()}, {"logging", Json::object()}}),
      request_states_(options_.request_state_ttl),
      workers_(options_.max_concurrent_calls) {}

Server::~Server() { shutdown(std::chrono::milliseconds(2000)); }

void Server::add_method(std::string method, MethodHandler handler, MethodThread thread) {
  if (find_builtin(method) == nullptr) {
    extra_methods_.emplace(std::move(method), ExtraMethod{std::move(handler), thread});
  }
}

void Server::add_capability(const std::string& name, Json value) {
  capabilities_[name] = std::move(value);
}

SessionView Server::session() const {
  std::lock_guard lock(session_mutex_);
  return SessionView{protocol_version_, protocol::features_for(protocol_version_),
                     client_capabilities_, client_name_, std::nullopt};
}

void Server::on_request(const Json& id, std::string_view method, Json params) {
  const auto started = std::chrono::steady_clock::now();
  Answer answer;
  bool answered = false;
  // The barrier: an exception from a handler (an extension method, or a bug) is a -32603 answer
  // with the detail on stderr, never the end of the reading thread and the process.
  try {
    answer = dispatch(id, method, std::move(params));
    if (!answer) {
      return;  // a worker answers
    }
    if (*answer) {
      transport_.send_result(id, **answer);
    } else {
      transport_.send_error(id, answer->error());
    }
    answered = true;
    if (log::level() <= log::Level::kDebug) {  // the line costs allocations: skip when unused
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
      log::debug("server", std::string(method) + " id=" + id_key(id) + " " +
                               std::to_string(micros) + "us" +
                               (*answer ? "" : " error=" + std::to_string(answer->error().code)));
    }
  } catch (const std::exception& e) {
    log::error("server", std::string(method) + " failed: " + e.what());
  } catch (...) {
    log::error("server", std::string(method) + " failed with an unknown exception");
  }
  if (!answered) {
    transport_.send_error(id, internal_error());
  }
}

Server::Answer Server::dispatch(const Json& id, std::string_view method, Json params) {
  if (params.is_null()) {
    params = Json::object();
  }
  // The era is the request's: the modern _meta (or discover, modern only) makes it stateless
  // whatever came before; anything else is legacy and needs initialize (mcp.md 12).
  if (method == "server/discover" || protocol::has_modern_meta(params)) {
    return dispatch_modern(id, method, std::move(params));
  }
  const BuiltinMethod* builtin = find_builtin(method);
  if (builtin != nullptr && !builtin->legacy) {
    builtin = nullptr;
  }
  const auto extra = extra_methods_.find(method);
  if (builtin == nullptr && extra == extra_methods_.end()) {
    return fail(error_code::kMethodNotFound, "Method not found: " + std::string(method));
  }
  if (builtin != nullptr && builtin->before_initialize) {
    return (this->*builtin->handle)(id, std::move(params), SessionView{});
  }
  bool initialized = false;
  {
    std::lock_guard lock(session_mutex_);
    initialized = initialized_;
  }
  if (!initialized) {
    return fail(error_code::kInvalidRequest,
                "Invalid Request: not initialized; send initialize first");
  }
  if (!params.is_object()) {
    return fail(invalid_params("params must be an object"));
  }
  const SessionView current = session();
  if (builtin != nullptr) {
    return (this->*builtin->handle)(id, std::move(params), current);
  }
  return run_extra(id, method, extra->second, std::move(params), current);
}

Server::Answer Server::dispatch_modern(const Json& id, std::string_view method, Json params) {
  const BuiltinMethod* builtin = find_builtin(method);
  if (builtin != nullptr && !builtin->modern) {
    builtin = nullptr;  // initialize, ping, logging/setLevel are gone in the modern era
  }
  const auto extra = extra_methods_.find(method);
  if (builtin == nullptr && extra == extra_methods_.end()) {
    return fail(error_code::kMethodNotFound, "Method not found: " + std::string(method));
  }
  auto meta = protocol::read_request_meta(params);
  if (!meta) {
    return fail(std::move(meta.error()));
  }
  // Everything this request knows of its client comes from its own _meta.
  const SessionView request{meta->protocol_version, protocol::features_for(meta->protocol_version),
                            std::move(meta->client_capabilities), std::move(meta->client_name),
                            meta->log_level};
  Answer answer = builtin != nullptr
                      ? (this->*builtin->handle)(id, std::move(params), request)
                      : run_extra(id, method, extra->second, std::move(params), request);
  if (answer && *answer) {
    complete_modern(**answer, method, request.features);
  }
  return answer;
}

void Server::complete_modern(Json& result, std::string_view method,
                             const protocol::Features& features) const {
  if (!result.contains("resultType")) {
    result["resultType"] = "complete";
  }
  if (!result.contains("_meta") || !result["_meta"].is_object()) {
    result["_meta"] = Json::object();
  }
  result["_meta"][protocol::kMetaServerInfo] = server_info(features);
  if (result["resultType"] == "complete" && protocol::is_cacheable(method)) {
    // What lava-mcp lists is the same for every client and fixed for the life of the process.
    result["ttlMs"] = options_.cache_ttl.count();
    result["cacheScope"] = "public";
  }
}

Json Server::server_info(const protocol::Features& features) const {
  Json info = {{"name", options_.name}, {"version", options_.version}};
  if (features.titles) {
    info["title"] = options_.title;
  }
  return info;
}

Server::Answer Server::handle_discover(const Json&, Json, const SessionView&) {
  Json supported = Json::array();
  for (const protocol::Revision& revision : protocol::kRevisions) {
    if (revision.era == protocol::Era::kModern) {
      supported.push_back(revision.version);
    }
  }
  Json result = {{"supportedVersions", std::move(supported)}, {"capabilities", capabilities_}};
  if (!options_.instructions.empty()) {
    result["instructions"] = options_.instructions;
  }
  return result;
}

Server::Answer Server::handle_ping(const Json&, Json, const SessionView&) { return Json::object(); }

Server::Answer Server::handle_initialize(const Json&, Json params, const SessionView&) {
  if (!params.is_object()) {
    return fail(invalid_params("initialize params must be an object"));
  }
  const std::string version = negotiate_version(params);
  Json client_capabilities = Json::object();
  if (const auto caps = params.find("capabilities"); caps != params.end() && caps->is_object()) {
    client_capabilities = *caps;
  }
  std::string client_name;
  if (const auto info = params.find("clientInfo"); info != params.end() && info->is_object()) {
    if (const auto name = info->find("name"); name != info->end() && name->is_string()) {
      client_name = name->get<std::string>();
    }
  }
  {
    std::lock_guard lock(session_mutex_);
    initialized_ = true;
    protocol_version_ = version;
    client_capabilities_ = std::move(client_capabilities);
    client_name_ = std::move(client_name);
  }
  Json result = {{"protocolVersion", version},
                 {"capabilities", capabilities_},
                 {"serverInfo", server_info(protocol::features_for(version))}};
  if (!options_.instructions.empty()) {
    result["instructions"] = options_.instructions;
  }
  return result;
}

Server::Answer Server::handle_tools_list(const Json&, Json params, const SessionView& session) {
  const auto& tools = registry_.tools();
  std::size_t start = 0;
  if (const auto cursor = params.find("cursor"); cursor != params.end() && !cursor->is_null()) {
    const auto* text = cursor->is_string() ? &cursor->get_ref<const std::string&>() : nullptr;
    if (text == nullptr || text->rfind(kCursorPrefix, 0) != 0) {
      return fail(invalid_params("Invalid cursor"));
    }
    const std::string after = text->substr(kCursorPrefix.size());
    const auto it = std::find_if(tools.begin(), tools.end(),
                                 [&](const tools::ToolSpec& spec) { return spec.name == after; });
    if (it == tools.end()) {
      return fail(invalid_params("Invalid cursor"));
    }
    start = static_cast<std::size_t>(it - tools.begin()) + 1;
  }
  const protocol::Features& features = session.features;
  const std::size_t end = std::min(tools.size(), start + options_.tools_page_size);
  Json list = Json::array();
  for (std::size_t i = start; i < end; ++i) {
    list.push_back(tools::describe_tool(tools[i], features));
  }
  Json result = {{"tools", std::move(list)}};
  if (end < tools.size()) {
    // The cursor names the last tool sent, so it stays valid as long as that tool exists.
    result["nextCursor"] = std::string(kCursorPrefix) + tools[end - 1].name;
  }
  return result;
}

Server::Answer Server::handle_set_level(const Json&, Json params, const SessionView&) {
  const auto level = params.find("level");
  const auto parsed = level == params.end() ? std::nullopt : protocol::parse_log_level(*level);
  if (!parsed) {
    return fail(invalid_params(
        "Invalid log level; expected one of debug, info, notice, warning, error, critical, "
        "alert, emergency"));
  }
  client_log_level_.store(*parsed);
  return Json::object();
}

Server::Answer Server::handle_tools_call(const Json& id, Json params, const SessionView& session) {
  const auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    return fail(invalid_params("tools/call: \"name\" must be a string"));
  }
  const tools::ToolSpec* spec = registry_.find(name->get_ref<const std::string&>());
  if (spec == nullptr) {
    return fail(invalid_params("Unknown tool: " + name->get<std::string>()));
  }
  Json arguments = Json::object();
  if (const auto args = params.find("arguments"); args != params.end() && !args->is_null()) {
    if (!args->is_object()) {
      return fail(invalid_params("tools/call: \"arguments\" must be an object"));
    }
    arguments = std::move(*args);  // params is ours; only _meta is read below
  }
  auto call = std::make_shared<Call>();
  call->id = id;
  call->features = session.features;
  if (const auto meta = params.find("_meta"); meta != params.end() && meta->is_object()) {
    if (const auto token = meta->find("progressToken");
        token != meta->end() && (token->is_string() || token->is_number_integer())) {
      call->progress_token = *token;
    }
  }
  {
    std::lock_guard lock(calls_mutex_);
    if (id_in_use(id_key(id))) {
      return fail(error_code::kInvalidRequest,
                  "Invalid Request: id is already in use by a call in flight");
    }
    calls_.emplace(id_key(id), call);
  }
  if (session.features.input_requests) {
    if (auto resumed = resume_call(*call, params, spec->name, arguments, session); !resumed) {
      forget_call(call);
      return fail(std::move(resumed.error()));
    }
  }
  // On this thread when the transport lets another one read on: the call starts without
  // waiting for a parked worker to wake (docs/decisions.md, "Reading threads").
  try {
    workers_.run_here_or_submit(
        [this, call, spec, arguments = std::move(arguments), session]() mutable {
          run_call(call, *spec, std::move(arguments), session);
        },
        [this] { return transport_.hand_off_reading(); });
  } catch (...) {  // not queued (no thread or memory): the barrier answers, the id is free again
    forget_call(call);
    throw;
  }
  return std::nullopt;
}

Server::Answer Server::run_extra(const Json& id, std::string_view method, const ExtraMethod& extra,
                                 Json params, const SessionView& session) {
  if (extra.thread == MethodThread::kReading) {
    return extra.handler(params, session);
  }
  // As tools/call: on this thread when another one can read on, else on a worker. The handler
  // lives in extra_methods_, which is fixed while serving and outlives the pool.
  workers_.run_here_or_submit(
      [this, id, method = std::string(method), &handler = extra.handler, params = std::move(params),
       session] { answer_extra_on_worker(id, method, handler, params, session); },
      [this] { return transport_.hand_off_reading(); });
  return std::nullopt;
}

void Server::answer_extra_on_worker(const Json& id, std::string_view method,
                                    const MethodHandler& handler, const Json& params,
                                    const SessionView& session) noexcept {
  // The same barrier as on_request's: nothing escapes a worker thread.
  try {
    Expected<Json> outcome = handler(params, session);
    if (!outcome) {
      transport_.send_error(id, outcome.error());
      return;
    }
    if (session.features.stateless) {  // a modern request: dispatch_modern did not see it
      complete_modern(*outcome, method, session.features);
    }
    transport_.send_result(id, *outcome);
    return;
  } catch (const std::exception& e) {
    log::error("server", std::string(method) + " failed: " + e.what());
  } catch (...) {
    log::error("server", std::string(method) + " failed with an unknown exception");
  }
  try {
    transport_.send_error(id, internal_error());
  } catch (...) {
    log::error("server", std::string(method) + " id=" + id_key(id) + ": no answer could be sent");
  }
}

bool Server::id_in_use(const std::string& key) const {
  return calls_.count(key) != 0 || listens_.count(key) != 0;
}

Expected<void> Server::resume_call(Call& call, const Json& params, std::string_view tool,
                                   const Json& arguments, const SessionView& session) {
  const auto state = params.find("requestState");
  const auto responses = params.find("inputResponses");
  const bool has_state = state != params.end() && !state->is_null();
  const bool has_responses = responses != params.end() && !responses->is_null();
  if (!has_state) {
    if (has_responses) {
      return fail(invalid_params(
          "Invalid params: inputResponses without the requestState of the input_required result "
          "they answer; send both, or neither to start over"));
    }
    return {};  // a first call
  }
  if (!state->is_string()) {
    return fail(invalid_params("Invalid params: requestState must be a string"));
  }
  if (has_responses && !responses->is_object()) {
    return fail(invalid_params("Invalid params: inputResponses must be an object"));
  }
  auto opened = request_states_.open(state->get_ref<const std::string&>(), tool, arguments);
  if (!opened) {
    return fail(std::move(opened.error()));
  }
  const Json answers = has_responses ? *responses : Json::object();
  if (auto checked =
          protocol::check_input_responses(opened->expects, answers, session.client_capabilities);
      !checked) {
    return checked;
  }
  if (auto consumed = request_states_.consume(*opened); !consumed) {
    return consumed;  // a replay
  }
  call.resumed_state = std::move(opened->data);
  call.input_responses = answers;
  return {};
}

Server::Answer Server::handle_listen(const Json& id, Json params, const SessionView&) {
  const auto filter = params.find("notifications");
  if (filter == params.end() || !filter->is_object()) {
    return fail(invalid_params("subscriptions/listen: \"notifications\" must be an object"));
  }
  {
    std::lock_guard lock(calls_mutex_);
    if (id_in_use(id_key(id))) {
      return fail(error_code::kInvalidRequest,
                  "Invalid Request: id is already in use by a request in flight");
    }
    listens_.emplace(id_key(id), id);
  }
  // lava-mcp's tool list is fixed and it has no resources: of what the client asked for it will
  // deliver nothing, and the acknowledgement says so with an empty filter (spec/mcp.md 12).
  transport_.send_notification(
      "notifications/subscriptions/acknowledged",
      {{"notifications", Json::object()}, {"_meta", {{protocol::kMetaSubscriptionId, id}}}});
  return std::nullopt;  // held open until the client cancels it or the server shuts down
}

void Server::end_listens(const std::string& reason) {
  std::map<std::string, Json> open;
  {
    std::lock_guard lock(calls_mutex_);
    open.swap(listens_);
  }
  for (const auto& [key, id] : open) {
    transport_.send_notification(
        "notifications/cancelled",
        {{"requestId", id}, {"reason", reason}, {"_meta", {{protocol::kMetaSubscriptionId, id}}}});
  }
}

void Server::run_call(const std::shared_ptr<Call>& call, const tools::ToolSpec& spec,
                      Json arguments, const SessionView& session) noexcept {
  if (call->stop.stop_requested()) {  // cancelled while queued
    finish_call(call, Json::object());
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  // Nothing may escape a worker thread; run_tool already turns a tool's exception into a result.
  try {
    CallContext context(*this, transport_, call, session);
    tools::ToolResult outcome = tools::run_tool(spec, arguments, context);
    finish_call(call, shape_result(std::move(outcome), context.features(), spec.name, arguments));
  } catch (const std::exception& e) {
    finish_after_failure(call, spec.name + " failed: " + e.what());
  } catch (...) {
    finish_after_failure(call, spec.name + " failed with an unknown exception");
  }
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  if (log::level() <= log::Level::kDebug) {
    log::debug("server", "tools/call " + spec.name + " id=" + id_key(call->id) + " " +
                             std::to_string(millis) + "ms");
  }
}

void Server::finish_call(const std::shared_ptr<Call>& call, const Json& result) {
  {
    std::lock_guard lock(call->mutex);
    call->finished = true;
    if (!call->cancelled) {  // a cancelled request gets no response (mcp.md 7)
      transport_.send_result(call->id, result);
    }
  }
  forget_call(call);
}

void Server::finish_after_failure(const std::shared_ptr<Call>& call,
                                  const std::string& detail) noexcept {
  log::error("server", "tools/call " + detail);
  try {
    finish_call(call, shape_result(tools::ToolResult::error("Internal error"), call->features));
  } catch (...) {
    log::error("server", "tools/call id=" + id_key(call->id) + ": no answer could be sent");
    forget_call(call);
  }
}

void Server::forget_call(const std::shared_ptr<Call>& call) {
  std::lock_guard lock(calls_mutex_);
  const auto it = calls_.find(id_key(call->id));
  if (it != calls_.end() && it->second == call) {
    calls_.erase(it);
  }
}

Json Server::shape_result(tools::ToolResult result, const protocol::Features& features,
                          std::string_view tool, const Json& arguments) const {
  if (result.input_required && features.input_requests) {
    Json requests = std::move(result.input_required->requests);
    Json out = {{"resultType", "input_required"},
                {"requestState",
                 request_states_.seal(tool, arguments, requests, result.input_required->state)},
                {"inputRequests", std::move(requests)}};
    complete_modern(out, "tools/call", features);
    return out;
  }
  if (result.input_required) {  // a tool bug: no input_required before the modern era
    log::error("server", std::string(tool) + " asked for input in a legacy call");
    result = tools::ToolResult::error("Internal error; the details are in the server log");
  }
  Json out = Json::object();
  if (!result.structured.is_null()) {
    if (features.structured_content) {
      out["structuredContent"] = std::move(result.structured);
    } else {
      // Older clients cannot read structuredContent: give them the same JSON as text.
      result.add_text(compact_json(result.structured));
    }
  }
  out["content"] = std::move(result.content);
  if (result.is_error) {
    out["isError"] = true;
  }
  if (features.stateless) {
    complete_modern(out, "tools/call", features);
  }
  return out;
}

void Server::on_notification(std::string_view method, Json params) {
  if (method == "notifications/cancelled") {
    cancel(params);
  }
  // notifications/initialized and unknown notifications need nothing; never answered.
}

void Server::cancel(const Json& params) {
  if (!params.is_object()) {
    return;
  }
  const auto request_id = params.find("requestId");
  if (request_id == params.end()) {
    return;
  }
  std::shared_ptr<Call> call;
  {
    std::lock_guard lock(calls_mutex_);
    if (listens_.erase(id_key(*request_id)) != 0) {
      return;  // the client closed its stream: nothing more is sent on it
    }
    const auto it = calls_.find(id_key(*request_id));
    if (it == calls_.end()) {
      return;  // unknown or finished: a cancel that crossed the response is normal
    }
    call = it->second;
  }
  {
    std::lock_guard lock(call->mutex);
    if (call->finished) {
      return;
    }
    call->cancelled = true;
  }
  call->stop.request_stop();
  log::debug("server", "cancelled id=" + id_key(*request_id));
}

void Server::on_response(const Json& id, Expected<Json> outcome) {
  std::shared_ptr<PendingRequest> pending;
  {
    std::lock_guard lock(pending_mutex_);
    const auto it = pending_.find(id_key(id));
    if (it == pending_.end()) {
      log::debug("server", "response to an unknown request id=" + id_key(id));
      return;
    }
    pending = it->second;
    pending_.erase(it);
  }
  std::lock_guard lock(pending->mutex);
  pending->outcome = std::move(outcome);
  pending->done.notify_all();
}

Expected<Json> Server::request_client(std::string_view method, Json params, std::stop_token stop,
                                      std::chrono::milliseconds timeout) {
  // A prefix of our own keeps our ids apart from the client's.
  const Json id = "lava-" + std::to_string(next_request_id_.fetch_add(1));
  auto pending = std::make_shared<PendingRequest>();
  {
    std::lock_guard lock(pending_mutex_);
    if (input_closed_) {
      return fail(error_code::kInternalError,
                  std::string(method) + ": the client closed its input");
    }
    pending_.emplace(id_key(id), pending);
  }
  transport_.send_request(id, method, params);
  // Registered before taking the lock: it runs at once, on this thread, if stop was requested.
  std::stop_callback wake(stop, [&pending] {
    std::lock_guard inner(pending->mutex);
    pending->done.notify_all();
  });
  std::unique_lock lock(pending->mutex);
  pending->done.wait_for(lock, timeout,
                         [&] { return pending->outcome.has_value() || stop.stop_requested(); });
  if (pending->outcome) {
    return std::move(*pending->outcome);
  }
  lock.unlock();
  {
    std::lock_guard erase_lock(pending_mutex_);
    pending_.erase(id_key(id));
  }
  const bool stopped = stop.stop_requested();
  if (stopped) {
    transport_.send_notification("notifications/cancelled",
                                 {{"requestId", id}, {"reason", "the tool call was cancelled"}});
  }
  return fail(
      error_code::kInternalError,
      std::string(method) + (stopped ? ": cancelled" : ": the client did not answer in time"));
}

void Server::log_to_client(McpLogLevel level, std::string_view logger, const Json& data) {
  if (static_cast<int>(level) >= client_log_level_.load()) {
    send_log(level, logger, data);
  }
}

void Server::log_for_request(const SessionView& session, McpLogLevel level, std::string_view logger,
                             const Json& data) {
  if (!session.features.stateless) {
    log_to_client(level, logger, data);
  } else if (session.log_level && static_cast<int>(level) >= *session.log_level) {
    send_log(level, logger, data);
  }
}

void Server::send_log(McpLogLevel level, std::string_view logger, const Json& data) {
  Json params = {{"level", protocol::kLogLevelNames[static_cast<std::size_t>(level)]},
                 {"data", data}};
  if (!logger.empty()) {
    params["logger"] = logger;
  }
  transport_.send_notification("notifications/message", params);
}

void Server::input_closed() {
  std::map<std::string, std::shared_ptr<PendingRequest>> waiting;
  {
    std::lock_guard lock(pending_mutex_);
    input_closed_ = true;
    waiting.swap(pending_);
  }
  for (auto& [key, pending] : waiting) {
    std::lock_guard lock(pending->mutex);
    pending->outcome =
        Expected<Json>(fail(error_code::kInternalError, "the client closed its input"));
    pending->done.notify_all();
  }
}

bool Server::shutdown(std::chrono::milliseconds grace) {
  std::vector<std::shared_ptr<Call>> in_flight;
  {
    std::lock_guard lock(calls_mutex_);
    for (auto& [key, call] : calls_) {
      in_flight.push_back(call);
    }
  }
  for (auto& call : in_flight) {
    {
      std::lock_guard lock(call->mutex);
      call->cancelled = true;
    }
    call->stop.request_stop();
  }
  workers_.release_queue();  // the cancelled queued calls end at once; nothing reads any more
  end_listens("the server is shutting down");
  return workers_.wait_idle(grace);
}

}  // namespace lava_mcp
