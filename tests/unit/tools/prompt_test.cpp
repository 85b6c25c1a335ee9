#include <doctest/doctest.h>

#include <map>
#include <thread>

#include "gateway/httplib_client.h"
#include "gateway/lava_api.h"
#include "server.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/fake_transport.h"
#include "support/null_context.h"
#include "support/test_services.h"
#include "tools/all_tools.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

using testing::FakeGateway;
using testing::FakeProviders;
using testing::Provider;
using testing::Script;
using testing::Env;
using namespace std::chrono_literals;

constexpr const char* kSecret = "aks_live_PROMPTTESTSECRET01";

struct PromptFixture {
  explicit PromptFixture(Env extra = {})
      : providers(gateway),
        services(testing::merged({{"LAVA_API_URL", gateway.origin()}, {"LAVA_SECRET_KEY", kSecret}}, extra)) {
    register_prompt(registry, services.deps());
  }
  ToolResult run(const Json& args, testing::NullContext& context) {
    ToolResult result = run_tool(*registry.find("prompt"), args, context);
    if (!result.is_error) {
      const auto violation = validate_against_schema(schema("prompt.output.json"), result.structured);
      CHECK_MESSAGE(!violation, violation->message);
    }
    return result;
  }
  ToolResult run(const Json& args) {
    testing::NullContext context;
    return run(args, context);
  }
  static std::string text(const ToolResult& r, std::size_t i = 0) { return r.content.at(i)["text"]; }

  FakeGateway gateway;
  FakeProviders providers;
  testing::TestServices services;
  ToolRegistry registry;
};

Json hello(const std::string& model) {
  return {{"model", model}, {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}};
}

// OpenAI first, then Anthropic (translated), then Mistral (OpenAI format).
Json hello_with_two_fallbacks() {
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-4-5"}},
                       {{"url", "api.mistral.ai/v1/chat/completions"}, {"model", "mistral-small"}}};
  return args;
}

Json weather_tool() {
  return {{"type", "function"},
          {"function", {{"name", "get_weather"}, {"description", "Weather for a city"},
                        {"parameters", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}},
                                        {"required", {"city"}}}}}}};
}

TEST_CASE("prompt: a claude model goes to Anthropic's Messages API and comes back as OpenAI") {
  PromptFixture f;
  const ToolResult result = f.run(hello("claude-haiku-4-5"));
  REQUIRE_MESSAGE(!result.is_error, PromptFixture::text(result));
  const auto seen = f.providers.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].provider == Provider::kAnthropic);
  CHECK(seen[0].target == "https://api.anthropic.com/v1/messages");
  CHECK(seen[0].body["max_tokens"].get<int>() > 0);  // required by Anthropic; value from the model table
  CHECK(f.gateway.requests()[0].token == Json{{"secret_key", kSecret}});
  const Json& out = result.structured;
  CHECK(out["object"] == "chat.completion");
  CHECK(out["choices"][0]["message"]["content"] == "Hello from Claude");
  CHECK(out["choices"][0]["finish_reason"] == "stop");
  CHECK(out["routing"]["served_by"]["format"] == "anthropic");
  CHECK(out["routing"]["request_id"] == "req_prompt_1");
  CHECK(PromptFixture::text(result) == "Hello from Claude");
  CHECK(PromptFixture::text(result, 1).find("served by attempt 1 of 1 (anthropic") != std::string::npos);
}

TEST_CASE("prompt: gemini models get the generateContent URL - unknown models Lava's endpoint") {
  PromptFixture f;
  const ToolResult gemini = f.run(hello("gemini-2.5-flash"));
  REQUIRE_MESSAGE(!gemini.is_error, PromptFixture::text(gemini));
  CHECK(f.providers.seen()[0].target ==
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
  CHECK(gemini.structured["choices"][0]["message"]["content"] == "Hello from Gemini");

  const ToolResult unified = f.run(hello("some-new-model"));
  REQUIRE_MESSAGE(!unified.is_error, PromptFixture::text(unified));
  CHECK(f.providers.seen()[1].provider == Provider::kLava);
  CHECK(f.gateway.requests()[1].path == "/v1/chat/completions");
  CHECK(unified.structured["routing"]["served_by"]["format"] == "lava");

  Json explicit_url = hello("my-model");
  explicit_url["url"] = "https://api.together.xyz/v1/chat/completions";
  REQUIRE_FALSE(f.run(explicit_url).is_error);
  CHECK(f.providers.seen()[2].target == "https://api.together.xyz/v1/chat/completions");
  CHECK(f.providers.seen()[2].body.contains("fallbacks") == false);
}

TEST_CASE("prompt: 503, then 429, then success - progress per attempt") {
  PromptFixture f;
  f.providers.push(Provider::kAnthropic, testing::status_script(503));
  f.providers.push(Provider::kOpenAI, testing::status_script(429, "", "3"));
  Json args = hello("claude-haiku-4-5");
  args["fallbacks"] = {{{"url", "api.openai.com/v1/chat/completions"}, {"model", "gpt-4o-mini"}},
                       {{"url", "generativelanguage.googleapis.com/v1beta"}, {"model", "gemini-2.5-flash"}}};
  testing::NullContext context;
  const ToolResult result = f.run(args, context);
  REQUIRE_MESSAGE(!result.is_error, PromptFixture::text(result));
  const Json& routing = result.structured["routing"];
  CHECK(routing["served_by"]["attempt"] == 3);
  CHECK(routing["served_by"]["format"] == "gemini");
  REQUIRE(routing["attempts"].size() == 3);
  CHECK(routing["attempts"][0]["status"] == 503);
  CHECK(routing["attempts"][1]["status"] == 429);
  CHECK(routing["attempts"][1]["retry_after_s"] == 3);
  CHECK(routing["attempts"][2]["status"] == 200);
  CHECK(context.progress_count == 3);
  CHECK(PromptFixture::text(result, 1).find("after 2 failures (anthropic: 503, openai: 429)") != std::string::npos);
}

TEST_CASE("prompt: a dropped connection and a garbage 200 move on to the next attempt") {
  PromptFixture f;
  f.providers.push(Provider::kOpenAI, testing::scripted(Script::Kind::kDrop));
  f.providers.push(Provider::kAnthropic, testing::scripted(Script::Kind::kGarbage));
  const ToolResult result = f.run(hello_with_two_fallbacks());
  REQUIRE_MESSAGE(!result.is_error, PromptFixture::text(result));
  const Json& attempts = result.structured["routing"]["attempts"];
  CHECK(attempts[0]["error"]["type"] == "network_error");
  CHECK(attempts[1]["status"] == 200);
  CHECK(attempts[1].contains("error"));
  CHECK(result.structured["routing"]["served_by"]["attempt"] == 3);
}

TEST_CASE("prompt: provider bodies nested 100,000 deep are garbage, never a stack overflow") {
  PromptFixture f;
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  f.providers.push(Provider::kOpenAI, testing::status_script(200, R"({"choices":)" + deep + "}"));
  f.providers.push(Provider::kAnthropic, testing::status_script(503, R"({"error":)" + deep + "}"));
  const ToolResult result = f.run(hello_with_two_fallbacks());
  REQUIRE_MESSAGE(!result.is_error, PromptFixture::text(result));
  const Json& attempts = result.structured["routing"]["attempts"];
  CHECK(attempts[0]["status"] == 200);
  CHECK(attempts[0].contains("error"));
  CHECK(attempts[1]["status"] == 503);
  CHECK(result.structured["routing"]["served_by"]["attempt"] == 3);
}

TEST_CASE("prompt: a 400 stops the chain - the fallback is never called") {
  PromptFixture f;
  f.providers.push(Provider::kOpenAI, testing::status_script(400,
      R"({"error":{"message":"bad temperature","type":"invalid_request_error","param":"temperature","code":null}})"));
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-4-5"}}};
  const ToolResult result = f.run(args);
  CHECK(result.is_error);
  CHECK(PromptFixture::text(result).find("bad temperature") != std::string::npos);
  CHECK(PromptFixture::text(result).find("no fallback") != std::string::npos);
  CHECK(f.providers.count(Provider::kAnthropic) == 0);
}

TEST_CASE("prompt: all attempts fail: the last error, retry-after and the attempt log") {
  PromptFixture f;
  f.providers.push(Provider::kOpenAI, testing::status_script(500));
  f.providers.push(Provider::kAnthropic, testing::status_script(429,
      R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})", "7"));
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-4-5"}}};
  const ToolResult result = f.run(args);
  CHECK(result.is_error);
  const std::string text = PromptFixture::text(result);
  CHECK(text.find("All 2 attempts failed") == 0);
  CHECK(text.find("slow down") != std::string::npos);
  CHECK(text.find("retry in ~7 s") != std::string::npos);
  CHECK(text.find("\"status\":500") != std::string::npos);
  CHECK(text.find("\"status\":429") != std::string::npos);
}

TEST_CASE("prompt: tool calls both ways with Anthropic and Gemini") {
  for (const std::string model : {"claude-haiku-4-5", "gemini-2.5-flash"}) {
    PromptFixture f;
    const Provider provider = model[0] == 'c' ? Provider::kAnthropic : Provider::kGemini;
    f.providers.push(provider, testing::scripted(Script::Kind::kToolCall));
    Json ask = hello(model);
    ask["tools"] = {weather_tool()};
    const ToolResult first = f.run(ask);
    REQUIRE_MESSAGE(!first.is_error, PromptFixture::text(first));
    const Json message = first.structured["choices"][0]["message"];
    CHECK(first.structured["choices"][0]["finish_reason"] == "tool_calls");
    REQUIRE(message["tool_calls"].size() == 1);
    CHECK(message["tool_calls"][0]["function"]["name"] == "get_weather");
    CHECK(Json::parse(message["tool_calls"][0]["function"]["arguments"].get<std::string>()) ==
          Json{{"city", "Paris"}});
    Json follow = ask;
    follow["messages"].push_back(message);
    follow["messages"].push_back({{"role", "tool"}, {"tool_call_id", message["tool_calls"][0]["id"]},
                                  {"content", "{\"temp\":21}"}});
    follow["messages"].push_back({{"role", "user"}, {"content", "thanks"}});
    const ToolResult second = f.run(follow);
    REQUIRE_MESSAGE(!second.is_error, model << ": " << PromptFixture::text(second));
    CHECK(f.providers.seen().back().validation_error.empty());
  }
}

TEST_CASE("prompt: usage with Anthropic cache tokens") {
  PromptFixture f;
  f.providers.push(Provider::kAnthropic, testing::scripted(Script::Kind::kCacheUsage));
  const ToolResult result = f.run(hello("claude-haiku-4-5"));
  REQUIRE_FALSE(result.is_error);
  const Json& usage = result.structured["usage"];
  CHECK(usage["prompt_tokens"] == 35);
  CHECK(usage["completion_tokens"] == 4);
  CHECK(usage["total_tokens"] == 39);
  CHECK(usage["prompt_tokens_details"]["cached_tokens"] == 12);
}

TEST_CASE("prompt: a target that cannot express the request is skipped without a call") {
  PromptFixture f;
  Json args = hello("claude-haiku-4-5");
  args["n"] = 2;
  args["fallbacks"] = {{{"url", "generativelanguage.googleapis.com/v1beta"}, {"model", "gemini-2.5-flash"}}};
  const ToolResult result = f.run(args);
  REQUIRE_MESSAGE(!result.is_error, PromptFixture::text(result));
  CHECK(f.providers.count(Provider::kAnthropic) == 0);
  CHECK(result.structured["choices"].size() == 2);
  CHECK(result.structured["routing"]["attempts"][0]["error"]["code"] == "unsupported_parameter");
}

TEST_CASE("prompt: an invalid conversation is refused locally") {
  PromptFixture f;
  Json args = hello("claude-haiku-4-5");
  args["messages"].push_back({{"role", "tool"}, {"tool_call_id", "nope"}, {"content", "x"}});
  const ToolResult result = f.run(args);
  CHECK(result.is_error);
  CHECK(PromptFixture::text(result).find("no provider was called") != std::string::npos);
  CHECK(f.gateway.requests().empty());
}

TEST_CASE("prompt: credentials: spend key first, else a forward token, else not logged in") {
  PromptFixture spend(Env{{"LAVA_SPEND_KEY", "lava_sk_PROMPTSPEND0001"}});
  REQUIRE_FALSE(spend.run(hello("gpt-4o-mini")).is_error);
  CHECK(spend.gateway.requests()[0].bearer == "lava_sk_PROMPTSPEND0001");
  PromptFixture none(Env{{"LAVA_SECRET_KEY", ""}});
  const ToolResult result = none.run(hello("gpt-4o-mini"));
  CHECK(result.is_error);
  CHECK(PromptFixture::text(result) == "not logged in: call the login tool or set LAVA_SECRET_KEY in the server's environment");
}

TEST_CASE("prompt: 8 slow prompts in flight finish together - cancellation ends one at once") {
  PromptFixture f;
  for (int i = 0; i < 9; ++i) {
    f.providers.push(Provider::kOpenAI, testing::slow_script(700));
  }
  testing::FakeTransport fake;
  Server server(fake, f.registry, ServerOptions{});
  fake.initialize(server);
  const auto started = std::chrono::steady_clock::now();
  std::vector<Json> ids;
  for (int i = 0; i < 8; ++i) {
    ids.push_back(fake.request(server, "tools/call", {{"name", "prompt"}, {"arguments", hello("gpt-4o-mini")}}));
  }
  const Json cancelled = fake.request(server, "tools/call", {{"name", "prompt"}, {"arguments", hello("gpt-4o-mini")}});
  std::this_thread::sleep_for(100ms);
  server.on_notification("notifications/cancelled", {{"requestId", cancelled}});
  for (const auto& id : ids) {
    auto reply = fake.await_reply(id, 5s);
    REQUIRE(reply.has_value());
    CHECK_FALSE((*reply)["result"].contains("isError"));
  }
  // Serially: 8 x 700 ms. Together: about one.
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  // Past the cancelled prompt's own 700 ms, without shutdown() (which cancels by itself).
  CHECK_FALSE(fake.await_reply(cancelled, 1000ms).has_value());
}

}  // namespace
}  // namespace lava_mcp::tools
