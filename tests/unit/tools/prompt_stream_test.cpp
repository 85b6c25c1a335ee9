// The prompt tool's streamed attempts (issue 16; translation.md 10.5, tools.md 4): every attempt
// asks its provider for a stream, a failure inside a stream moves the chain on without mixing
// attempts, and what arrives is honest progress.
#include <doctest/doctest.h>

#include <thread>

#include "support/prompt_harness.h"

namespace lava_mcp::tools {
namespace {

using testing::FakeGateway;
using testing::FakeProviders;
using testing::Provider;
using testing::Script;
using testing::stream_script;
using namespace std::chrono_literals;

struct StreamFixture : testing::PromptHarness {
  StreamFixture() : PromptHarness(testing::Env{{"LAVA_SECRET_KEY", "aks_live_STREAM0001"}}) {}
};

std::string text_of(const ToolResult& result, std::size_t i = 0) {
  return result.content.at(i)["text"];
}

Json hello(const std::string& model) {
  return {{"model", model}, {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}};
}

// Anthropic first, then OpenAI, then Gemini.
Json three_formats() {
  Json args = hello("claude-haiku-4-5");
  args["fallbacks"] = {
      {{"url", "api.openai.com/v1/chat/completions"}, {"model", "gpt-4o-mini"}},
      {{"url", "generativelanguage.googleapis.com/v1beta"}, {"model", "gemini-2.5-flash"}}};
  return args;
}

TEST_CASE("prompt stream: each format is asked to stream and its stream is assembled") {
  StreamFixture f;
  struct Case {
    const char* model;
    Provider provider;
    const char* answer;
  };
  for (const Case& c : {Case{"claude-haiku-4-5", Provider::kAnthropic, "Hello from Claude"},
                        Case{"gpt-4o-mini", Provider::kOpenAI, "Hello from OpenAI"},
                        Case{"gemini-2.5-flash", Provider::kGemini, "Hello from Gemini"}}) {
    CAPTURE(c.model);
    const ToolResult result = f.run(hello(c.model));
    REQUIRE_MESSAGE(!result.is_error, text_of(result));
    const auto seen = f.providers.seen().back();
    CHECK(seen.provider == c.provider);
    CHECK(seen.validation_error.empty());
    CHECK(seen.streamed);
    CHECK(result.structured["choices"][0]["message"]["content"] == c.answer);
    CHECK(result.structured["usage"]["total_tokens"].get<int>() > 0);
    CHECK(result.structured["routing"]["attempts"][0].contains("first_byte_ms"));
  }
  const auto seen = f.providers.seen();
  CHECK(seen[0].body["stream"] == true);
  CHECK(seen[1].body["stream"] == true);
  CHECK(seen[1].body["stream_options"] == Json{{"include_usage", true}});
  CHECK(seen[2].target ==
        "https://generativelanguage.googleapis.com/v1beta/models/"
        "gemini-2.5-flash:streamGenerateContent?alt=sse");
  CHECK_FALSE(seen[2].body.contains("stream"));
}

TEST_CASE("prompt stream: the unified endpoint streams the OpenAI way") {
  StreamFixture f;
  const ToolResult result = f.run(hello("some-bare-model"));
  REQUIRE_MESSAGE(!result.is_error, text_of(result));
  const auto seen = f.providers.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].provider == Provider::kLava);
  CHECK(seen[0].streamed);
  CHECK(seen[0].body["stream_options"]["include_usage"] == true);
  CHECK(result.structured["routing"]["served_by"]["format"] == "lava");
}

TEST_CASE("prompt stream: tool calls and cache usage survive the stream") {
  StreamFixture f;
  Json args = hello("claude-haiku-4-5");
  args["tools"] = {
      {{"type", "function"},
       {"function",
        {{"name", "get_weather"},
         {"parameters", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}}}}}};
  f.providers.push(Provider::kAnthropic, testing::scripted(Script::Kind::kToolCall));
  const ToolResult call = f.run(args);
  REQUIRE_MESSAGE(!call.is_error, text_of(call));
  const Json& message = call.structured["choices"][0]["message"];
  CHECK(message["tool_calls"][0]["function"]["name"] == "get_weather");
  CHECK(message["tool_calls"][0]["function"]["arguments"] == R"({"city":"Paris"})");
  CHECK(call.structured["choices"][0]["finish_reason"] == "tool_calls");

  f.providers.push(Provider::kAnthropic, testing::scripted(Script::Kind::kCacheUsage));
  const ToolResult cached = f.run(hello("claude-haiku-4-5"));
  REQUIRE_MESSAGE(!cached.is_error, text_of(cached));
  CHECK(cached.structured["usage"]["prompt_tokens"] == 35);
  CHECK(cached.structured["usage"]["completion_tokens"] == 4);
}

TEST_CASE("prompt stream: a JSON answer to a stream request is read whole") {
  StreamFixture f;
  for (Provider provider : {Provider::kAnthropic, Provider::kOpenAI, Provider::kGemini}) {
    f.providers.push(provider, testing::scripted(Script::Kind::kWhole));
  }
  for (const char* model : {"claude-haiku-4-5", "gpt-4o-mini", "gemini-2.5-flash"}) {
    CAPTURE(model);
    const ToolResult result = f.run(hello(model));
    REQUIRE_MESSAGE(!result.is_error, text_of(result));
    CHECK_FALSE(f.providers.seen().back().streamed);
    CHECK(result.structured["routing"]["attempts"].size() == 1);
  }
}

// Trap 36 and 29: a stream that fails part way is a failed attempt; the answer is the next
// attempt's alone.
TEST_CASE("prompt stream: failures inside a stream move the chain on, never mixing attempts") {
  struct Case {
    Script script;
    const char* error;
  };
  for (const Case& c : {Case{stream_script(Script::Kind::kStreamCut), "the stream failed after"},
                        Case{stream_script(Script::Kind::kStreamShort),
                             "ended without its terminal event (message_stop)"},
                        Case{stream_script(Script::Kind::kStreamError, 2), "Overloaded"},
                        Case{stream_script(Script::Kind::kStreamError, 5), "Overloaded"}}) {
    StreamFixture f;
    f.providers.push(Provider::kAnthropic, c.script);
    CAPTURE(c.error);
    const ToolResult result = f.run(three_formats());
    REQUIRE_MESSAGE(!result.is_error, text_of(result));
    const Json& routing = result.structured["routing"];
    CHECK(routing["served_by"]["attempt"] == 2);
    CHECK(result.structured["choices"][0]["message"]["content"] == "Hello from OpenAI");
    const Json& failed = routing["attempts"][0];
    CHECK(failed["error"]["message"].get<std::string>().find(c.error) != std::string::npos);
    CHECK(failed.contains("first_byte_ms"));
  }
}

TEST_CASE("prompt stream: OpenAI and Gemini streams without their end are cut, not answers") {
  StreamFixture f;
  f.providers.push(Provider::kOpenAI, stream_script(Script::Kind::kStreamShort));
  f.providers.push(Provider::kGemini, stream_script(Script::Kind::kStreamShort));
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {
      {{"url", "generativelanguage.googleapis.com/v1beta"}, {"model", "gemini-2.5-flash"}},
      {{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-4-5"}}};
  const ToolResult result = f.run(args);
  REQUIRE_MESSAGE(!result.is_error, text_of(result));
  const Json& attempts = result.structured["routing"]["attempts"];
  CHECK(attempts[0]["error"]["message"].get<std::string>().find("([DONE])") != std::string::npos);
  CHECK(attempts[1]["error"]["message"].get<std::string>().find("(a finishReason)") !=
        std::string::npos);
  CHECK(result.structured["routing"]["served_by"]["attempt"] == 3);
}

TEST_CASE("prompt stream: a stream that stalls past timeout_ms fails and the next attempt serves") {
  StreamFixture f;
  f.providers.push(Provider::kAnthropic, stream_script(Script::Kind::kStreamStall, 4, 1500));
  Json args = three_formats();
  args["timeout_ms"] = 500;
  const ToolResult result = f.run(args);
  REQUIRE_MESSAGE(!result.is_error, text_of(result));
  const Json& failed = result.structured["routing"]["attempts"][0];
  CHECK(failed["error"]["code"] == "timeout");
  CHECK(failed["error"]["message"].get<std::string>().find("500 ms") != std::string::npos);
  CHECK(result.structured["routing"]["served_by"]["attempt"] == 2);
}

TEST_CASE("prompt stream: progress counts characters, has no total, rises across attempts") {
  StreamFixture f;
  f.providers.push(Provider::kAnthropic, stream_script(Script::Kind::kStreamCut));
  Script trickle = stream_script(Script::Kind::kStreamTrickle, 0, 60);
  trickle.text = "w1";
  for (int i = 2; i <= 20; ++i) trickle.text += " w" + std::to_string(i);
  f.providers.push(Provider::kOpenAI, trickle);
  testing::NullContext context;
  const ToolResult result = f.run(three_formats(), context);
  REQUIRE_MESSAGE(!result.is_error, text_of(result));
  CHECK(result.structured["choices"][0]["message"]["content"] == trickle.text);
  const auto& sent = context.progress_sent;
  REQUIRE(sent.size() >= 3);
  bool fallback_said_why = false;
  bool counted = false;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    CAPTURE(sent[i].message);
    CHECK_FALSE(sent[i].total.has_value());
    if (i > 0) CHECK(sent[i].value > sent[i - 1].value);
    fallback_said_why =
        fallback_said_why ||
        sent[i].message.find("attempt 1 (claude-haiku-4-5) failed: the stream failed after") == 0;
    counted = counted || sent[i].message.find("attempt 2 of 3, gpt-4o-mini: ") == 0;
  }
  CHECK(fallback_said_why);
  CHECK(counted);
  // Rate-limited: 20 text events 60 ms apart (plus attempt 1's and the fallback's) would be 22
  // notifications unlimited; at most 4 a second give about 7.
  CHECK(sent.size() < 15);
}

TEST_CASE("prompt stream: progress counts thinking apart, as estimated tokens (issue 17)") {
  for (const auto& [model, provider] : {std::pair{"claude-sonnet-4-5", Provider::kAnthropic},
                                        std::pair{"gemini-2.5-flash", Provider::kGemini}}) {
    CAPTURE(model);
    StreamFixture f;
    Script trickle = stream_script(Script::Kind::kStreamTrickle, 0, 40);
    trickle.text = "w1";
    for (int i = 2; i <= 16; ++i) trickle.text += " w" + std::to_string(i);
    f.providers.push(provider, trickle);
    Json args = hello(model);
    args["reasoning_effort"] = "high";
    testing::NullContext context;
    const ToolResult result = f.run(args, context);
    REQUIRE_MESSAGE(!result.is_error, text_of(result));
    const auto& sent = context.progress_sent;
    REQUIRE_FALSE(sent.empty());
    // Thinking comes first, so the first notification counts it alone; later ones add the answer.
    const std::string label = std::string("attempt 1 of 1, ") + model + ": ";
    CHECK(sent.front().message.rfind(label + "thinking: ~", 0) == 0);
    CHECK(sent.front().message.find("characters") == std::string::npos);
    bool both = false;
    for (std::size_t i = 0; i < sent.size(); ++i) {
      CAPTURE(sent[i].message);
      if (i > 0) CHECK(sent[i].value > sent[i - 1].value);
      both = both || (sent[i].message.find(" tokens; ") != std::string::npos &&
                      sent[i].message.find(" characters received") != std::string::npos);
    }
    CHECK(both);
    const Json& message = result.structured["choices"][0]["message"];
    CHECK(message["content"] == trickle.text);
    CHECK(message.contains("reasoning_content"));
  }
}

TEST_CASE("prompt stream: no progress work for a call without a progress token") {
  StreamFixture f;
  f.providers.push(Provider::kAnthropic, testing::status_script(503));
  testing::NullContext context;
  context.wants_progress_flag = false;
  const ToolResult result = f.run(three_formats(), context);
  REQUIRE_MESSAGE(!result.is_error, text_of(result));
  CHECK(context.progress_sent.empty());
}

TEST_CASE("prompt stream: the fake providers' stream rules") {
  // The fake's rule the adapter must meet: :streamGenerateContent alone is not events.
  FakeGateway gateway;
  FakeProviders providers(gateway);
  CHECK(testing::wants_stream(Provider::kGemini, Json::object(),
                              "https://g/v1beta/models/m:streamGenerateContent"));
  CHECK_FALSE(testing::wants_stream(Provider::kOpenAI, Json{{"stream", false}}, "https://x"));
  CHECK(testing::openai_violation({{"model", "m"},
                                   {"messages", Json::array()},
                                   {"stream_options", {{"include_usage", true}}}})
            .find("only allowed when 'stream' is enabled") != std::string::npos);
}

}  // namespace
}  // namespace lava_mcp::tools
