#include <doctest/doctest.h>

#include <map>
#include <thread>

#include "gateway/curl_http_client.h"
#include "gateway/lava_api.h"
#include "server.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/fake_transport.h"
#include "support/fake_upstream.h"
#include "support/null_context.h"
#include "support/prompt_harness.h"
#include "support/self_signed_cert.h"
#include "support/temp_dir.h"
#include "support/test_services.h"
#include "tools/all_tools.h"
#include "tools/result_budget.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

using testing::Env;
using testing::FakeGateway;
using testing::FakeProviders;
using testing::GatewayRequest;
using testing::Provider;
using testing::Script;
using namespace std::chrono_literals;

constexpr const char* kSecret = "aks_live_PROMPTTESTSECRET01";

struct PromptFixture : testing::PromptHarness {
  explicit PromptFixture(Env extra = {})
      : PromptHarness(testing::merged({{"LAVA_SECRET_KEY", kSecret}}, extra)) {}
  static std::string text(const ToolResult& r, std::size_t i = 0) {
    return r.content.at(i)["text"];
  }
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
          {"function",
           {{"name", "get_weather"},
            {"description", "Weather for a city"},
            {"parameters",
             {{"type", "object"},
              {"properties", {{"city", {{"type", "string"}}}}},
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
  CHECK(seen[0].body["max_tokens"].get<int>() >
        0);  // required by Anthropic; value from the model table
  CHECK(f.gateway.requests()[0].token == Json{{"secret_key", kSecret}});
  const Json& out = result.structured;
  CHECK(out["object"] == "chat.completion");
  CHECK(out["choices"][0]["message"]["content"] == "Hello from Claude");
  CHECK(out["choices"][0]["finish_reason"] == "stop");
  CHECK(out["routing"]["served_by"]["format"] == "anthropic");
  CHECK(out["routing"]["request_id"] == "req_prompt_1");
  CHECK(PromptFixture::text(result) == "Hello from Claude");
  CHECK(PromptFixture::text(result, 1).find("served by attempt 1 of 1 (anthropic") !=
        std::string::npos);
}

// An OpenAI completion whose answer is `size` characters.
void answer_with(PromptFixture& f, std::size_t size) {
  f.gateway.on_upstream([size](const GatewayRequest&, httplib::Response& res) {
    const Json completion = {
        {"id", "c1"},
        {"object", "chat.completion"},
        {"created", 1},
        {"model", "gpt-4o-mini"},
        {"choices",
         {{{"index", 0},
           {"finish_reason", "stop"},
           {"message", {{"role", "assistant"}, {"content", std::string(size, 'z')}}}}}}};
    res.set_content(completion.dump(), "application/json");
  });
}

TEST_CASE("prompt: usage counts that are not integers read as unknown in the summary") {
  PromptFixture f;
  f.gateway.on_upstream([](const GatewayRequest&, httplib::Response& res) {
    const Json completion = {{"id", "c1"},
                             {"object", "chat.completion"},
                             {"model", "gpt-4o-mini"},
                             {"usage", {{"prompt_tokens", nullptr}, {"completion_tokens", "4"}}},
                             {"choices",
                              {{{"index", 0},
                                {"finish_reason", "stop"},
                                {"message", {{"role", "assistant"}, {"content", "Hi"}}}}}}};
    res.set_content(completion.dump(), "application/json");
  });
  const ToolResult result = f.run(hello("gpt-4o-mini"));
  REQUIRE_MESSAGE(!result.is_error, PromptFixture::text(result));
  CHECK(PromptFixture::text(result) == "Hi");
  CHECK(PromptFixture::text(result, 1).find("tokens ? in, ? out") != std::string::npos);
}

TEST_CASE("prompt: a long answer is carried once within the result budget, cut and said so") {
  PromptFixture f;
  const std::size_t budget = gateway::kDefaultResultBudgetTokens * kCharsPerToken;
  answer_with(f, 300000);
  const ToolResult text_host = f.run(hello("gpt-4o-mini"));
  REQUIRE_FALSE(text_host.is_error);
  CHECK(result_chars(text_host) <= budget);
  CHECK(text_host.structured["choices"][0]["message"]["content"].is_null());
  CHECK(text_host.structured["payload_in"] == "content");
  CHECK(PromptFixture::text(text_host).find("[cut: the answer is 300000 characters") !=
        std::string::npos);
  CHECK(PromptFixture::text(text_host, 1).find("served by attempt 1") != std::string::npos);

  testing::NullContext claude_code;
  claude_code.set_client_name("claude-code");
  const ToolResult structured_host = f.run(hello("gpt-4o-mini"), claude_code);
  CHECK(result_chars(structured_host) <= budget);
  CHECK(structured_host.structured["choices"][0]["message"]["content"].get<std::string>().size() >
        budget / 2);
  CHECK(PromptFixture::text(structured_host).find("zzzz") == std::string::npos);

  answer_with(f, budget / 4 - 100);  // small enough for both sides
  const ToolResult both = f.run(hello("gpt-4o-mini"));
  CHECK(both.structured["choices"][0]["message"]["content"].get<std::string>().size() ==
        budget / 4 - 100);
  CHECK(PromptFixture::text(both) == std::string(budget / 4 - 100, 'z'));
}

TEST_CASE(
    "prompt: gemini models get the streamGenerateContent URL - unknown models Lava's endpoint") {
  PromptFixture f;
  const ToolResult gemini = f.run(hello("gemini-2.5-flash"));
  REQUIRE_MESSAGE(!gemini.is_error, PromptFixture::text(gemini));
  CHECK(f.providers.seen()[0].target ==
        "https://generativelanguage.googleapis.com/v1beta/models/"
        "gemini-2.5-flash:streamGenerateContent?alt=sse");
  // The attempt record names the endpoint as the caller gave it (generateContent).
  CHECK(gemini.structured["routing"]["served_by"]["url"] ==
        "generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
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

// An https image host on loopback (trusted through the client's CA bundle) that serves one image
// directly and redirects another as told; the target counts what reaches it.
struct ImageHosts {
  ImageHosts()
      : files(testing::write_self_signed_certificate(folder.path())),
        server(files.certificate.c_str(), files.private_key.c_str()),
        client(gateway::CurlHttpClient::Options{.ca_bundle = files.certificate}) {
    server.Get("/direct.png", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("direct-png-bytes", "image/png");
    });
    server.Get("/moved.png", [this](const httplib::Request&, httplib::Response& res) {
      res.set_redirect(location);
    });
    target.routes().Get(".*", [this](const httplib::Request&, httplib::Response& res) {
      ++target_hits;
      res.set_content("private-png-bytes", "image/png");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~ImageHosts() {
    server.stop();
    thread.join();
  }
  std::string url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(port) + path;
  }

  testing::TempDir folder;
  testing::CertificateFiles files;
  httplib::SSLServer server;
  gateway::CurlHttpClient client;
  testing::FakeUpstream target;
  std::string location;
  std::atomic<int> target_hits{0};
  int port = 0;
  std::thread thread;
};

TEST_CASE(
    "prompt: an image URL that redirects to a non-public address is neither fetched nor sent") {
  ImageHosts hosts;
  PromptFixture f(Env{{"LAVA_MCP_ALLOW_LOOPBACK_FETCH", "1"}});
  ToolRegistry registry;
  register_prompt(registry, ToolDeps{&gateway::Catalog::embedded, f.services.config, hosts.client,
                                     f.services.login, f.services.docs, f.services.key_models});
  const auto ask = [&](const std::string& image_url) {
    Json args = hello("gemini-2.5-flash");
    args["messages"] = {{{"role", "user"},
                         {"content",
                          {{{"type", "text"}, {"text", "What is this?"}},
                           {{"type", "image_url"}, {"image_url", {{"url", image_url}}}}}}}};
    testing::NullContext context;
    return run_tool(*registry.find("prompt"), args, context);
  };
  const ToolResult direct = ask(hosts.url("/direct.png"));  // the fixture works: inlined
  REQUIRE_MESSAGE(!direct.is_error, PromptFixture::text(direct));
  REQUIRE(f.providers.seen().size() == 1);
  CHECK(f.providers.seen()[0].body.dump().find("inlineData") != std::string::npos);

  const std::string port = std::to_string(hosts.target.port());
  for (const std::string& location :
       {"http://0.0.0.0:" + port + "/internal.png", "http://10.9.9.9:" + port + "/internal.png",
        "https://169.254.169.254:" + port + "/latest/meta-data"}) {
    CAPTURE(location);
    hosts.location = location;
    const ToolResult moved = ask(hosts.url("/moved.png"));
    CHECK(moved.is_error);  // Gemini cannot take the image without its bytes: no call is made
  }
  CHECK(hosts.target_hits == 0);
  CHECK(f.providers.seen().size() == 1);
}

TEST_CASE("prompt: 503, then 429, then success - progress per attempt") {
  PromptFixture f;
  f.providers.push(Provider::kAnthropic, testing::status_script(503));
  f.providers.push(Provider::kOpenAI, testing::status_script(429, "", "3"));
  Json args = hello("claude-haiku-4-5");
  args["fallbacks"] = {
      {{"url", "api.openai.com/v1/chat/completions"}, {"model", "gpt-4o-mini"}},
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
  CHECK(PromptFixture::text(result, 1).find("after 2 failures (anthropic: 503, openai: 429)") !=
        std::string::npos);
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
  f.providers.push(
      Provider::kOpenAI,
      testing::status_script(
          400,
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
  f.providers.push(
      Provider::kAnthropic,
      testing::status_script(
          429, R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})",
          "7"));
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
    follow["messages"].push_back({{"role", "tool"},
                                  {"tool_call_id", message["tool_calls"][0]["id"]},
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
  args["fallbacks"] = {
      {{"url", "generativelanguage.googleapis.com/v1beta"}, {"model", "gemini-2.5-flash"}}};
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
  CHECK(PromptFixture::text(result) ==
        "not logged in: call the login tool or set LAVA_SECRET_KEY in the server's environment");
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
    ids.push_back(fake.request(server, "tools/call",
                               {{"name", "prompt"}, {"arguments", hello("gpt-4o-mini")}}));
  }
  const Json cancelled =
      fake.request(server, "tools/call", {{"name", "prompt"}, {"arguments", hello("gpt-4o-mini")}});
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
