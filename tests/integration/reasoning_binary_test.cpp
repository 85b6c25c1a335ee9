// Reasoning through the installed binary (translation.md 13, traps 32-34): a two-turn tool
// conversation with thinking against the fake Anthropic and Gemini, which refuse what the
// providers refuse (a tool-use turn under thinking without its thinking block, level and budget
// together, ...). Turn 2 replays turn 1's assistant message exactly as the result gave it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "integration/built_binaries.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::Provider;
using namespace std::chrono_literals;

struct Session {
  Session()
      : providers(gateway),
        process({testing::installed_binary()},
                {{"LAVA_API_URL", gateway.origin()},
                 {"LAVA_SECRET_KEY", "aks_live_REASONINGTEST0001"}}) {
    process.write(testing::initialize_line(0) +
                  R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                  "\n");
    REQUIRE(next().contains("result"));
  }
  Json next() {
    const auto line = process.read_line(20s);
    REQUIRE_MESSAGE(line.has_value(), "no answer; stderr: " << process.stderr_text());
    return Json::parse(*line);
  }
  Json prompt(int id, const Json& arguments) {
    process.write(testing::tool_call_line(id, "prompt", arguments));
    const Json reply = next();
    REQUIRE(reply["id"] == id);
    return reply["result"];
  }
  testing::FakeGateway gateway;
  testing::FakeProviders providers;
  testing::Subprocess process;
};

const Json kTools = Json::array(
    {{{"type", "function"},
      {"function",
       {{"name", "get_weather"},
        {"parameters", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}}}}}});

Json first_turn(const std::string& model) {
  return {{"model", model},
          {"reasoning_effort", "high"},
          {"tools", kTools},
          {"messages", Json::array({{{"role", "user"}, {"content", "Weather in Paris?"}}})}};
}

// Turn 2: the assistant message as turn 1 returned it, then the tool's answer.
Json second_turn(Json request, const Json& assistant) {
  request["messages"].push_back(assistant);
  request["messages"].push_back({{"role", "tool"},
                                 {"tool_call_id", assistant["tool_calls"][0]["id"]},
                                 {"content", "{\"temp\":21}"}});
  return request;
}

std::string all_text(const Json& result) {
  std::string text;
  for (const Json& block : result["content"]) text += block.value("text", "") + "\n";
  return text;
}

// Turn 1: the provider thinks and answers with a tool call.
Json tool_call_answer(Session& s, Provider provider, const Json& request) {
  s.providers.push(provider, testing::scripted(testing::Script::Kind::kToolCall));
  Json one = s.prompt(1, request);
  REQUIRE_MESSAGE(!one.contains("isError"), all_text(one));
  return one;
}

TEST_CASE("binary reasoning: Claude thinks, calls a tool, and the replayed turn is accepted") {
  Session s;
  const Json request = first_turn("claude-sonnet-4-5");
  const Json one = tool_call_answer(s, Provider::kAnthropic, request);
  const Json& message = one["structuredContent"]["choices"][0]["message"];
  CHECK(message["content"].is_null());
  CHECK(message["reasoning_content"] == "The user asked; I should answer.");
  REQUIRE(message["thinking_blocks"].size() == 1);
  CHECK(message["thinking_blocks"][0]["signature"] == "EqQBCkgIARABsig01");
  CHECK(message["tool_calls"][0]["function"]["name"] == "get_weather");
  // The reasoning costs the caller's context: only its length is said in the text.
  CHECK(all_text(one).find("I should answer") == std::string::npos);
  CHECK(all_text(one).find("reasoning: 32 characters") != std::string::npos);

  const Json two = s.prompt(2, second_turn(request, message));
  REQUIRE_MESSAGE(!two.contains("isError"), all_text(two));
  CHECK(two["structuredContent"]["choices"][0]["message"]["content"] == "Hello from Claude");
  const auto seen = s.providers.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].validation_error == "");
  const Json& replayed = seen[1].body["messages"][1]["content"];
  CHECK(replayed[0] == message["thinking_blocks"][0]);  // first, byte-identical signature
  CHECK(replayed[1]["type"] == "tool_use");
  CHECK(seen[1].body["thinking"]["type"] == "enabled");
}

TEST_CASE("binary reasoning: a tool turn from another model is not sent under thinking (trap 34)") {
  Session s;
  Json assistant = {
      {"role", "assistant"},
      {"content", nullptr},
      {"tool_calls",
       {{{"id", "call_1"},
         {"type", "function"},
         {"function", {{"name", "get_weather"}, {"arguments", "{\"city\":\"Paris\"}"}}}}}}};
  const Json result = s.prompt(1, second_turn(first_turn("claude-sonnet-4-5"), assistant));
  REQUIRE_MESSAGE(!result.contains("isError"), all_text(result));
  const auto seen = s.providers.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].validation_error == "");
  CHECK_FALSE(seen[0].body.contains("thinking"));
  // The caller sees why its reasoning_effort was not applied.
  const Json& attempt = result["structuredContent"]["routing"]["attempts"][0];
  CHECK(attempt["notes"].dump().find("reasoning_effort not applied") != std::string::npos);
}

TEST_CASE("binary reasoning: Gemini 3 thinks with a level, reasoning never comes back as text") {
  Session s;
  const Json request = first_turn("gemini-3-flash-preview");
  const Json one = tool_call_answer(s, Provider::kGemini, request);
  const Json& message = one["structuredContent"]["choices"][0]["message"];
  CHECK(message["reasoning_content"] == "Thinking it over.");
  CHECK(one["structuredContent"]["usage"]["completion_tokens_details"]["reasoning_tokens"] == 7);
  const Json two = s.prompt(2, second_turn(request, message));
  REQUIRE_MESSAGE(!two.contains("isError"), all_text(two));
  const auto seen = s.providers.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].validation_error == "");
  CHECK(seen[1].body["generationConfig"]["thinkingConfig"] ==
        Json{{"thinkingLevel", "high"}, {"includeThoughts", true}});
  CHECK(seen[1].body.dump().find("Thinking it over") == std::string::npos);
}

TEST_CASE(
    "binary reasoning: a fallback from Claude to gpt-5.1 fits the reasoning model (trap 37)") {
  Session s;
  s.providers.push(Provider::kAnthropic, testing::status_script(503));
  const Json result = s.prompt(
      1, {{"model", "claude-sonnet-4-5"},
          {"fallbacks", {{{"url", "api.openai.com/v1/chat/completions"}, {"model", "gpt-5.1"}}}},
          {"max_tokens", 300},
          {"temperature", 0.2},
          {"messages", Json::array({{{"role", "user"}, {"content", "hi"}}})}});
  REQUIRE_MESSAGE(!result.contains("isError"), all_text(result));
  CHECK(result["structuredContent"]["routing"]["served_by"]["attempt"] == 2);
  const auto seen = s.providers.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].validation_error == "");
  CHECK(seen[1].body["max_completion_tokens"] == 300);
  CHECK_FALSE(seen[1].body.contains("max_tokens"));
  CHECK_FALSE(seen[1].body.contains("temperature"));
}

}  // namespace
}  // namespace lava_mcp
