#include "support/fake_providers.h"

#include <algorithm>
#include <initializer_list>
#include <thread>

namespace lava_mcp::testing {
namespace {

using Json = nlohmann::json;

Provider provider_of(const std::string& target) {
  if (target.rfind("lava:", 0) == 0) return Provider::kLava;
  if (target.find("api.anthropic.com") != std::string::npos ||
      target.find("/v1/messages") != std::string::npos) {
    return Provider::kAnthropic;
  }
  if (target.find("generativelanguage.googleapis.com") != std::string::npos &&
      target.find("/openai") == std::string::npos) {
    return Provider::kGemini;
  }
  return Provider::kOpenAI;
}

std::string error_for(Provider provider, const std::string& message) {
  if (provider == Provider::kAnthropic) {
    return Json{{"type", "error"},
                {"error", {{"type", "invalid_request_error"}, {"message", message}}}}
        .dump();
  }
  if (provider == Provider::kGemini) {
    return Json{{"error", {{"code", 400}, {"message", message}, {"status", "INVALID_ARGUMENT"}}}}
        .dump();
  }
  return Json{{"error",
               {{"message", message},
                {"type", "invalid_request_error"},
                {"param", nullptr},
                {"code", nullptr}}}}
      .dump();
}

// The fake's own view of Claude models (Anthropic's adaptive-thinking and migration pages),
// independent of the translators' table so that a wrong table fails against it.
bool contains_any(const std::string& text, std::initializer_list<const char*> parts) {
  for (const char* part : parts) {
    if (text.find(part) != std::string::npos) return true;
  }
  return false;
}
bool claude_adaptive_only(const std::string& model) {
  return contains_any(model, {"opus-4-7", "opus-4-8", "opus-5", "fable", "mythos"});
}
bool claude_adaptive(const std::string& model) {
  return claude_adaptive_only(model) || contains_any(model, {"opus-4-6", "sonnet-4-6", "sonnet-5"});
}
bool claude_sampling_refused(const std::string& model) {
  return claude_adaptive_only(model) || model.find("sonnet-5") != std::string::npos;
}

bool thinking_on(const Json& body) {
  const Json thinking = body.value("thinking", Json::object());
  const std::string type = thinking.is_object() ? thinking.value("type", "") : "";
  return type == "enabled" || type == "adaptive";
}

constexpr const char* kThinkingDocs =
    " Please consult our documentation at "
    "https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

std::string thinking_violation(const Json& body) {
  const std::string model = body.value("model", "");
  const Json thinking = body.value("thinking", Json::object());
  const std::string type = thinking.is_object() ? thinking.value("type", "") : "";
  if ((type == "enabled" || type == "disabled") && claude_adaptive_only(model)) {
    return "thinking.type." + type +
           " is not supported for this model. Use thinking.type.adaptive and "
           "output_config.effort to control thinking behavior.";
  }
  if (type == "adaptive" && !claude_adaptive(model)) {
    return "thinking.type.adaptive is not supported for this model.";
  }
  if (type == "enabled") {
    const Json budget = thinking.value("budget_tokens", Json());
    if (!budget.is_number_integer() || budget.get<long long>() < 1024) {
      return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";
    }
    if (body["max_tokens"].get<long long>() <= budget.get<long long>()) {
      return std::string("`max_tokens` must be greater than `thinking.budget_tokens`.") +
             kThinkingDocs + "#max-tokens-and-context-window-size";
    }
  }
  const Json config = body.value("output_config", Json::object());
  if (config.contains("effort")) {
    const std::string effort = config["effort"].get<std::string>();
    const bool known = effort == "low" || effort == "medium" || effort == "high" ||
                       (effort == "max" && claude_adaptive(model)) ||
                       (effort == "xhigh" && claude_adaptive_only(model));
    if (!known) return "output_config.effort: '" + effort + "' is not supported by this model";
  }
  if (claude_sampling_refused(model)) {
    for (const char* key : {"temperature", "top_p", "top_k"}) {
      if (body.contains(key)) return std::string("`") + key + "` is deprecated for this model.";
    }
  }
  const Json& messages = body["messages"];
  const Json& last = messages.back();
  if (!thinking_on(body)) {
    for (const auto& block : last.value("content", Json::array())) {
      const std::string block_type = block.is_object() ? block.value("type", "") : "";
      if (last.value("role", "") == "assistant" &&
          (block_type == "thinking" || block_type == "redacted_thinking")) {
        return "messages." + std::to_string(messages.size() - 1) +
               ".content.0: When thinking is disabled, an `assistant` message in the final "
               "position cannot contain `thinking`. To use thinking blocks, enable `thinking` in "
               "your request.";
      }
    }
    return "";
  }
  if (body.contains("temperature") && body["temperature"].get<double>() != 1.0) {
    return std::string("`temperature` may only be set to 1 when thinking is enabled.") +
           kThinkingDocs + "#feature-compatibility";
  }
  if (body.contains("top_k")) {
    return std::string("`top_k` may not be set when thinking is enabled.") + kThinkingDocs;
  }
  if (body.contains("top_p") && body["top_p"].get<double>() < 0.95) {
    return std::string(
               "`top_p` must be greater than or equal to 0.95 or unset when thinking is "
               "enabled.") +
           kThinkingDocs;
  }
  const std::string choice =
      body.contains("tool_choice") ? body["tool_choice"].value("type", "") : "";
  if (choice == "any" || choice == "tool") {
    return "Thinking may not be enabled when tool_choice forces tool use.";
  }
  // A request that ends inside a tool loop: its assistant turn must open with thinking (trap 33).
  bool answers_tools = false;
  for (const auto& block : last.value("content", Json::array())) {
    answers_tools =
        answers_tools || (block.is_object() && block.value("type", "") == "tool_result");
  }
  if (last.value("role", "") != "user" || !answers_tools || messages.size() < 2) return "";
  const std::size_t turn = messages.size() - 2;
  const Json content = messages[turn].value("content", Json::array());
  const std::string first =
      content.is_array() && !content.empty() ? content[0].value("type", "") : "text";
  if (first == "thinking" || first == "redacted_thinking") return "";
  return "messages." + std::to_string(turn) +
         ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `" + first +
         "`. When `thinking` is enabled, a final `assistant` message must start with a thinking "
         "block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We "
         "recommend you include thinking blocks from previous turns. To avoid this requirement, "
         "disable `thinking`." +
         kThinkingDocs;
}

// Gemini's thinkingConfig rules (ai.google.dev/gemini-api/docs/thinking).
std::string gemini_thinking_violation(const Json& body, const std::string& target) {
  const Json generation = body.value("generationConfig", Json::object());
  const Json thinking = generation.value("thinkingConfig", Json::object());
  const bool level = thinking.contains("thinkingLevel");
  const bool budget = thinking.contains("thinkingBudget");
  if (level && budget) {
    return "You can only set one of thinking budget and thinking level.";
  }
  const bool gemini25 = target.find("gemini-2.5") != std::string::npos;
  if (level && gemini25) return "Thinking level is not supported for this model.";
  if (level && target.find("gemini-3-pro") != std::string::npos) {
    const std::string value = thinking["thinkingLevel"].get<std::string>();
    if (value != "low" && value != "high") {
      return "Thinking level " + value + " is not supported for this model.";
    }
  }
  if (budget && target.find("gemini-2.5-pro") != std::string::npos) {
    const long long value = thinking["thinkingBudget"].get<long long>();
    if (value != -1 && (value < 128 || value > 32768)) {
      return "The thinking budget " + std::to_string(value) +
             " is invalid. Please choose a value between 128 and 32768.";
    }
  }
  return "";
}

bool wants_tool(const Json& body) {
  return body.contains("tools") && body["tools"].is_array() && !body["tools"].empty();
}

Json anthropic_answer(const Json& body, Script::Kind kind) {
  Json usage = {{"input_tokens", 20}, {"output_tokens", 4}};
  if (kind == Script::Kind::kCacheUsage) {
    usage["cache_read_input_tokens"] = 12;
    usage["cache_creation_input_tokens"] = 3;
  }
  Json content = Json::array({{{"type", "text"}, {"text", "Hello from Claude"}}});
  std::string stop = "end_turn";
  if (kind == Script::Kind::kToolCall && wants_tool(body)) {
    content = Json::array({{{"type", "tool_use"},
                            {"id", "toolu_01"},
                            {"name", body["tools"][0]["name"]},
                            {"input", {{"city", "Paris"}}}}});
    stop = "tool_use";
  }
  if (thinking_on(body)) {
    // A thinking block opens the answer; its signature is what a replay must carry back.
    content.insert(content.begin(), Json{{"type", "thinking"},
                                         {"thinking", "The user asked; I should answer."},
                                         {"signature", "EqQBCkgIARABsig01"}});
  }
  return {{"id", "msg_01"},      {"type", "message"},
          {"role", "assistant"}, {"model", body.value("model", "")},
          {"content", content},  {"stop_reason", stop},
          {"usage", usage}};
}

Json gemini_answer(const Json& body, Script::Kind kind) {
  Json part = {{"text", "Hello from Gemini"}};
  if (kind == Script::Kind::kToolCall && body.contains("tools")) {
    const Json& declaration = body["tools"][0]["functionDeclarations"][0];
    part = {{"functionCall", {{"name", declaration["name"]}, {"args", {{"city", "Paris"}}}}}};
  }
  const int candidates =
      body.contains("generationConfig") ? body["generationConfig"].value("candidateCount", 1) : 1;
  const bool thoughts = body.contains("generationConfig") &&
                        body["generationConfig"].contains("thinkingConfig") &&
                        body["generationConfig"]["thinkingConfig"].value("includeThoughts", false);
  Json parts = Json::array({part});
  if (thoughts) {
    parts.insert(parts.begin(), Json{{"text", "Thinking it over."}, {"thought", true}});
  }
  Json list = Json::array();
  for (int i = 0; i < candidates; ++i) {
    list.push_back({{"content", {{"role", "model"}, {"parts", parts}}},
                    {"finishReason", "STOP"},
                    {"index", i}});
  }
  return {{"candidates", list},
          {"usageMetadata", thoughts ? Json{{"promptTokenCount", 10},
                                            {"candidatesTokenCount", 5},
                                            {"thoughtsTokenCount", 7},
                                            {"totalTokenCount", 22}}
                                     : Json{{"promptTokenCount", 10},
                                            {"candidatesTokenCount", 5},
                                            {"totalTokenCount", 15}}},
          {"modelVersion", "gemini-test"},
          {"responseId", "resp_g1"}};
}

Json openai_answer(const Json& body, Script::Kind kind) {
  Json message = {{"role", "assistant"}, {"content", "Hello from OpenAI"}};
  std::string finish = "stop";
  if (kind == Script::Kind::kToolCall && wants_tool(body)) {
    message = {{"role", "assistant"},
               {"content", nullptr},
               {"tool_calls",
                {{{"id", "call_1"},
                  {"type", "function"},
                  {"function",
                   {{"name", body["tools"][0]["function"]["name"]},
                    {"arguments", "{\"city\":\"Paris\"}"}}}}}}};
    finish = "tool_calls";
  }
  return {{"id", "chatcmpl-1"},
          {"object", "chat.completion"},
          {"created", 1700000000},
          {"model", body.value("model", "")},
          {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", finish}}}},
          {"usage", {{"prompt_tokens", 9}, {"completion_tokens", 3}, {"total_tokens", 12}}}};
}

// The answer's text replaced (a longer answer for progress, a test's own marker).
void replace_text(Json& answer, const std::string& text) {
  if (answer.contains("choices")) {
    answer["choices"][0]["message"]["content"] = text;
  }
  if (answer.contains("content")) {
    for (auto& block : answer["content"]) {
      if (block["type"] == "text") block["text"] = text;
    }
  }
  if (answer.contains("candidates")) {
    for (auto& candidate : answer["candidates"]) {
      for (auto& part : candidate["content"]["parts"]) {
        if (part.contains("text") && !part.value("thought", false)) part["text"] = text;
      }
    }
  }
}

std::string error_event(Provider provider) {
  if (provider == Provider::kAnthropic) {
    return "event: error\ndata: " +
           Json{{"type", "error"},
                {"error", {{"type", "overloaded_error"}, {"message", "Overloaded"}}}}
               .dump() +
           "\n\n";
  }
  if (provider == Provider::kGemini) {
    return "data: " +
           Json{{"error",
                 {{"code", 503},
                  {"message", "The model is overloaded."},
                  {"status", "UNAVAILABLE"}}}}
               .dump() +
           "\n\n";
  }
  return "data: " +
         Json{{"error",
               {{"message", "The server is overloaded"},
                {"type", "server_error"},
                {"param", nullptr},
                {"code", nullptr}}}}
             .dump() +
         "\n\n";
}

// The events as the script shapes them; false from the provider resets the connection.
void serve_stream(httplib::Response& res, Provider provider, std::vector<std::string> events,
                  const Script& script, std::shared_ptr<FakeProviders::StreamLog> log) {
  using Kind = Script::Kind;
  if (script.kind == Kind::kStreamShort) {
    events.pop_back();  // [DONE], message_stop, or Gemini's chunk with the finishReason
  }
  if (script.kind == Kind::kStreamError) {
    events.resize(std::min<std::size_t>(events.size(), script.events));
    events.push_back(error_event(provider));
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider("text/event-stream", [events, script, log](
                                                            std::size_t, httplib::DataSink& sink) {
    const std::size_t cut = script.kind == Kind::kStreamCut ? events.size() / 2 : events.size();
    for (std::size_t i = 0; i < cut; ++i) {
      if (script.kind == Kind::kStreamTrickle && i > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(script.delay_ms));
      }
      if (script.kind == Kind::kStreamStall && i == static_cast<std::size_t>(script.events)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(script.delay_ms));
      }
      if (!sink.write(events[i].data(), events[i].size())) return false;
      ++log->written;
      const auto at = std::chrono::steady_clock::now().time_since_epoch();
      std::lock_guard lock(log->mutex);
      if (i == 0) log->latest_ns.clear();
      log->latest_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(at).count());
    }
    if (script.kind == Kind::kStreamCut) return false;
    sink.done();
    return true;
  });
}

}  // namespace

std::vector<long long> FakeProviders::latest_stream_event_ns() const {
  std::lock_guard lock(streams_->mutex);
  return streams_->latest_ns;
}

std::string anthropic_violation(const Json& body, const std::string& version_header) {
  if (version_header.empty()) return "anthropic-version header is required";
  if (!body.is_object()) return "body must be an object";
  if (body.contains("stream") && !body["stream"].is_boolean())
    return "stream: Input should be a valid boolean";
  if (!body.contains("model") || !body["model"].is_string()) return "model: field required";
  if (!body.contains("max_tokens") || !body["max_tokens"].is_number_integer() ||
      body["max_tokens"].get<int>() < 1) {
    return "max_tokens: field required";
  }
  if (body.contains("temperature") && body["temperature"].get<double>() > 1.0) {
    return "temperature: must be less than or equal to 1";
  }
  if (body.contains("system") && (!body["system"].is_array() || body["system"].empty()) &&
      !body["system"].is_string()) {
    return "system: must be a non-empty list of text blocks";
  }
  const Json messages = body.value("messages", Json());
  if (!messages.is_array() || messages.empty()) return "messages: at least one message is required";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string role = messages[i].value("role", "");
    if (role != "user" && role != "assistant") {
      return "messages." + std::to_string(i) + ".role: Input should be 'user' or 'assistant'";
    }
    if (i > 0 && messages[i - 1].value("role", "") == role) {
      return "messages: roles must alternate";
    }
    const Json content = messages[i].value("content", Json());
    if (!content.is_array()) continue;
    for (const auto& block : content) {
      if (block.value("type", "") == "text" && block.value("text", "").empty()) {
        return "messages." + std::to_string(i) + ": text content blocks must be non-empty";
      }
      if (block.value("type", "") != "tool_use") continue;
      if (!body.contains("tools")) return "tool_use blocks need tools to be defined";
      const std::string id = block.value("id", "");
      bool answered = false;
      if (i + 1 < messages.size() && messages[i + 1]["content"].is_array()) {
        for (const auto& next : messages[i + 1]["content"]) {
          answered = answered || (next.value("type", "") == "tool_result" &&
                                  next.value("tool_use_id", "") == id);
        }
      }
      if (!answered) {
        return "messages." + std::to_string(i + 1) +
               ": tool_use ids were found without tool_result blocks immediately after: " + id;
      }
    }
  }
  return thinking_violation(body);
}

std::string gemini_violation(const Json& body, const std::string& target) {
  if (target.find("/models/") == std::string::npos ||
      (target.find(":generateContent") == std::string::npos &&
       target.find(":streamGenerateContent") == std::string::npos)) {
    return "target must be .../models/<model>:generateContent or :streamGenerateContent";
  }
  if (!body.is_object()) return "body must be an object";
  if (body.contains("model")) return "Invalid JSON payload received. Unknown name \"model\"";
  const Json contents = body.value("contents", Json());
  if (!contents.is_array() || contents.empty()) return "contents is not specified";
  for (std::size_t i = 0; i < contents.size(); ++i) {
    const std::string role = contents[i].value("role", "");
    if (role != "user" && role != "model") return "Please use a valid role: user, model.";
    for (const auto& part : contents[i].value("parts", Json::array())) {
      if (!part.contains("functionResponse")) continue;
      const std::string name = part["functionResponse"].value("name", "");
      bool matched = false;
      if (i > 0) {
        for (const auto& previous : contents[i - 1].value("parts", Json::array())) {
          matched = matched || (previous.contains("functionCall") &&
                                previous["functionCall"].value("name", "") == name);
        }
      }
      if (!matched) return "function response name " + name + " does not match a function call";
    }
  }
  return gemini_thinking_violation(body, target);
}

std::string openai_violation(const Json& body) {
  if (!body.is_object() || !body.contains("model") || !body.contains("messages")) {
    return "model and messages are required";
  }
  if (body.contains("stream_options") && body.value("stream", false) != true) {
    return "The 'stream_options' parameter is only allowed when 'stream' is enabled.";
  }
  if (body.contains("fallbacks") || body.contains("url") || body.contains("timeout_ms")) {
    return "Unrecognized request argument supplied: fallbacks";
  }
  // OpenAI's reasoning models (platform.openai.com/docs/guides/reasoning; trap 37).
  const std::string model = body.value("model", "");
  const bool reasoning = model.rfind("gpt-5", 0) == 0 || model.rfind("o3", 0) == 0 ||
                         model.rfind("o4", 0) == 0 || model.rfind("o1", 0) == 0;
  if (!reasoning || model.rfind("gpt-5-chat", 0) == 0) return "";
  if (body.contains("max_tokens")) {
    return "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
           "'max_completion_tokens' instead.";
  }
  if (body.contains("temperature") && body["temperature"] != 1) {
    return "Unsupported value: 'temperature' does not support " + body["temperature"].dump() +
           " with this model. Only the default (1) value is supported.";
  }
  return "";
}

FakeProviders::FakeProviders(FakeGateway& gateway) {
  gateway.on_upstream(
      [this](const GatewayRequest& request, httplib::Response& res) { serve(request, res); });
}

void FakeProviders::push(Provider provider, Script script) {
  std::lock_guard lock(mutex_);
  scripts_[provider].push_back(std::move(script));
}

std::vector<FakeProviders::Seen> FakeProviders::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

int FakeProviders::count(Provider provider) const {
  int n = 0;
  for (const auto& s : seen()) n += s.provider == provider ? 1 : 0;
  return n;
}

void FakeProviders::serve(const GatewayRequest& request, httplib::Response& res) {
  const Provider provider = provider_of(request.target);
  const Json body = Json::parse(request.body, nullptr, false);
  std::string violation;
  if (provider == Provider::kAnthropic)
    violation = anthropic_violation(body, request.header("anthropic-version"));
  if (provider == Provider::kGemini) violation = gemini_violation(body, request.target);
  if (provider == Provider::kOpenAI || provider == Provider::kLava)
    violation = openai_violation(body);
  Script script;
  {
    std::lock_guard lock(mutex_);
    auto& queue = scripts_[provider];
    if (!queue.empty()) {
      script = queue.front();
      queue.pop_front();
    }
  }
  // Decided now: after a scripted delay this object may be gone (a test ended), so nothing
  // below the delay touches it.
  const bool stream =
      wants_stream(provider, body, request.target) && script.kind != Script::Kind::kWhole;
  const bool sse = stream && (provider != Provider::kGemini ||
                              request.target.find("alt=sse") != std::string::npos);
  const bool answers = violation.empty() && script.kind != Script::Kind::kStatus &&
                       script.kind != Script::Kind::kGarbage && script.kind != Script::Kind::kDrop;
  const auto streams = streams_;
  {
    std::lock_guard lock(mutex_);
    seen_.push_back(Seen{provider, request.target, body, violation, sse && answers});
  }
  if (!violation.empty()) {
    res.status = 400;
    res.set_content(error_for(provider, violation), "application/json");
    return;
  }
  switch (script.kind) {
    case Script::Kind::kStatus:
      res.status = script.status;
      if (!script.retry_after.empty()) res.set_header("retry-after", script.retry_after);
      res.set_content(script.body.empty() ? error_for(provider, "scripted failure") : script.body,
                      "application/json");
      return;
    case Script::Kind::kGarbage:
      res.set_content("<html>definitely not json", "application/json");
      return;
    case Script::Kind::kDrop:
      // Headers promise 1000 bytes, then the connection closes: a reset mid-body.
      res.set_content_provider(1000, "application/json",
                               [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
      return;
    case Script::Kind::kSlow:
      std::this_thread::sleep_for(std::chrono::milliseconds(script.delay_ms));
      break;
    default:
      break;
  }
  res.set_header("x-lava-request-id", "req_prompt_1");
  Json answer;
  if (provider == Provider::kAnthropic)
    answer = anthropic_answer(body, script.kind);
  else if (provider == Provider::kGemini)
    answer = gemini_answer(body, script.kind);
  else
    answer = openai_answer(body, script.kind);
  if (!script.text.empty()) replace_text(answer, script.text);
  if (!stream) {
    res.set_content(answer.dump(), "application/json");
    return;
  }
  const bool include_usage =
      body.contains("stream_options") && body["stream_options"].value("include_usage", false);
  std::vector<std::string> events = stream_events(provider, answer, include_usage);
  if (!sse) {
    // Without alt=sse Gemini streams one JSON array of the chunks, not events (10.2).
    Json array = Json::array();
    for (const auto& event : events) array.push_back(Json::parse(event.substr(6)));
    res.set_content(array.dump(), "application/json");
    return;
  }
  serve_stream(res, provider, std::move(events), script, streams);
}

}  // namespace lava_mcp::testing
