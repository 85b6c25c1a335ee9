#include "support/fake_providers.h"

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
  Json list = Json::array();
  for (int i = 0; i < candidates; ++i) {
    list.push_back({{"content", {{"role", "model"}, {"parts", {part}}}},
                    {"finishReason", "STOP"},
                    {"index", i}});
  }
  return {{"candidates", list},
          {"usageMetadata",
           {{"promptTokenCount", 10}, {"candidatesTokenCount", 5}, {"totalTokenCount", 15}}},
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

}  // namespace

std::string anthropic_violation(const Json& body, const std::string& version_header) {
  if (version_header.empty()) return "anthropic-version header is required";
  if (!body.is_object()) return "body must be an object";
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
  return "";
}

std::string gemini_violation(const Json& body, const std::string& target) {
  if (target.find("/models/") == std::string::npos ||
      target.find(":generateContent") == std::string::npos) {
    return "target must be .../models/<model>:generateContent";
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
  return "";
}

std::string openai_violation(const Json& body) {
  if (!body.is_object() || !body.contains("model") || !body.contains("messages")) {
    return "model and messages are required";
  }
  if (body.contains("fallbacks") || body.contains("url") || body.contains("timeout_ms")) {
    return "Unrecognized request argument supplied: fallbacks";
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
    seen_.push_back(Seen{provider, request.target, body, violation});
    auto& queue = scripts_[provider];
    if (!queue.empty()) {
      script = queue.front();
      queue.pop_front();
    }
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
  res.set_content(answer.dump(), "application/json");
}

}  // namespace lava_mcp::testing
