// The prompt tool's time limits through the installed binary against the fake gateway and a
// slow fake provider (README "Deadlines"): the call's deadline ends the chain with the attempt
// log, the idle limit moves it on to the fallback, and a Retry-After over the cap is said to be
// not worth waiting. The limits are small and the margins wide: the machine may be loaded.
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "integration/built_binaries.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::Provider;
using namespace std::chrono_literals;
using Env = std::map<std::string, std::string>;

// The slow provider answers this late: far beyond every limit under test, so only lava-mcp's
// own limits can explain an answer before it.
constexpr int kSlowMs = 6000;
constexpr auto kWellBeforeSlow = 5000ms;

struct Session {
  explicit Session(std::map<std::string, std::string> env = {})
      : providers(gateway), process({testing::installed_binary()}, with_base(std::move(env))) {
    process.write(testing::initialize_line(0));
    REQUIRE(next().contains("result"));
  }
  std::map<std::string, std::string> with_base(std::map<std::string, std::string> env) {
    env.emplace("LAVA_API_URL", gateway.origin());
    env.emplace("LAVA_SECRET_KEY", "aks_live_DEADLINETEST00001");
    env.emplace("LAVA_MCP_HOME", home.path());
    return env;
  }
  Json next() {
    const auto line = process.read_line(30s);
    REQUIRE_MESSAGE(line.has_value(), "no answer; stderr: " << process.stderr_text());
    return Json::parse(*line);
  }
  // The result and how long it took.
  std::pair<Json, std::chrono::milliseconds> prompt(const Json& arguments) {
    const auto started = std::chrono::steady_clock::now();
    const int id = ++last_id;  // a new id each time: an answered one may still be in flight
    process.write(testing::tool_call_line(id, "prompt", arguments));
    for (;;) {
      const Json reply = next();
      if (reply.contains("id") && reply["id"] == id) {
        REQUIRE_MESSAGE(reply.contains("result"), reply.dump());
        return {reply["result"], std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - started)};
      }
    }
  }
  int last_id = 0;
  testing::TempDir home;
  testing::FakeGateway gateway;
  testing::FakeProviders providers;
  testing::Subprocess process;
};

Json openai_then_anthropic() {
  return {
      {"model", "gpt-4o-mini"},
      {"messages", {{{"role", "user"}, {"content", "Hello!"}}}},
      {"fallbacks", {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-4-5"}}}}};
}

std::string all_text(const Json& result) {
  std::string text;
  for (const Json& block : result["content"]) text += block.value("text", "") + "\n";
  return text;
}

TEST_CASE("prompt deadline: before any answer, an error with the attempt log, no more attempts") {
  Session s(Env{{"LAVA_MCP_DEADLINE_MS", "1500"}});
  s.providers.push(Provider::kOpenAI, testing::slow_script(kSlowMs));
  const auto [result, took] = s.prompt(openai_then_anthropic());
  const std::string text = all_text(result);
  REQUIRE_MESSAGE(result.value("isError", false), text);
  CHECK(text.find("deadline of 1500 ms passed before any answer") != std::string::npos);
  CHECK_MESSAGE(text.find("it cut attempt 1 of 2") != std::string::npos, text);
  CHECK(text.find("attempt 2 was not tried") != std::string::npos);
  CHECK(text.find(R"("cut_by_deadline":true)") != std::string::npos);
  CHECK(text.find(R"("code":"deadline")") != std::string::npos);
  CHECK(s.providers.count(Provider::kAnthropic) == 0);
  CHECK(took < kWellBeforeSlow);
}

TEST_CASE("prompt deadline: while the answer streams, the text so far, marked as cut") {
  Session s(Env{{"LAVA_MCP_DEADLINE_MS", "1500"}});
  testing::Script stall = testing::stream_script(testing::Script::Kind::kStreamStall, 4, kSlowMs);
  stall.text = "The first words of a long answer that goes on and on";
  s.providers.push(Provider::kOpenAI, stall);
  const auto [result, took] = s.prompt(openai_then_anthropic());
  const std::string text = all_text(result);
  REQUIRE_MESSAGE(!result.value("isError", false), text);
  const Json& structured = result["structuredContent"];
  CHECK(structured["choices"][0]["finish_reason"] == "deadline");
  CHECK(structured["routing"]["cut_by_deadline"] == true);
  CHECK(structured["routing"]["attempts"][0]["cut_by_deadline"] == true);
  CHECK(text.find("[cut: the call's deadline of 1500 ms") != std::string::npos);
  CHECK(text.find("(no text in the answer)") == std::string::npos);
  CHECK(s.providers.count(Provider::kAnthropic) == 0);  // a cut answer ends the chain
  CHECK(took < kWellBeforeSlow);
}

TEST_CASE("prompt deadline: deadline_ms in the arguments wins over the environment") {
  Session s(Env{{"LAVA_MCP_DEADLINE_MS", "600000"}});
  s.providers.push(Provider::kOpenAI, testing::slow_script(kSlowMs));
  Json args = openai_then_anthropic();
  args["deadline_ms"] = 1500;
  const auto [result, took] = s.prompt(args);
  REQUIRE(result.value("isError", false));
  CHECK_MESSAGE(all_text(result).find("deadline of 1500 ms") != std::string::npos,
                all_text(result));
  CHECK(took < kWellBeforeSlow);
}

TEST_CASE("prompt deadline: an upstream silent past the idle limit moves the chain on") {
  Session s(Env{{"LAVA_MCP_TIMEOUT_MS", "800"}});
  s.providers.push(Provider::kOpenAI, testing::slow_script(kSlowMs));
  const auto [result, took] = s.prompt(openai_then_anthropic());
  REQUIRE_MESSAGE(!result.value("isError", false), all_text(result));
  const Json& routing = result["structuredContent"]["routing"];
  CHECK(routing["served_by"]["attempt"] == 2);
  const Json& first = routing["attempts"][0];
  CHECK(first["error"]["code"] == "timeout");
  CHECK(first["error"]["message"].get<std::string>().find("within 800 ms") != std::string::npos);
  CHECK_FALSE(first.contains("cut_by_deadline"));
  CHECK_FALSE(routing.contains("cut_by_deadline"));
  CHECK(took < kWellBeforeSlow);
}

TEST_CASE("prompt deadline: a Retry-After over the 60 s cap is flagged and not worth waiting") {
  Session s;
  s.providers.push(Provider::kOpenAI, testing::status_script(429, "", "120"));
  const auto [served, took] = s.prompt(openai_then_anthropic());
  REQUIRE_MESSAGE(!served.value("isError", false), all_text(served));
  const Json& first = served["structuredContent"]["routing"]["attempts"][0];
  CHECK(first["retry_after_s"] == 120);
  CHECK(first["retry_after_over_cap"] == true);
  CHECK(all_text(served).find("openai: 429 retry after 120 s, over the 60 s cap: not worth "
                              "waiting") != std::string::npos);

  s.providers.push(Provider::kOpenAI, testing::status_script(503));
  s.providers.push(Provider::kAnthropic, testing::status_script(429, "", "120"));
  const auto [failed, failed_took] = s.prompt(openai_then_anthropic());
  const std::string text = all_text(failed);
  REQUIRE_MESSAGE(failed.value("isError", false), text);
  CHECK(text.find("(rate limited; retry after 120 s, over the 60 s cap: not worth waiting)") !=
        std::string::npos);
  CHECK(text.find(R"("retry_after_over_cap":true)") != std::string::npos);

  s.providers.push(Provider::kOpenAI, testing::status_script(503));
  s.providers.push(Provider::kAnthropic, testing::status_script(429, "", "7"));
  const auto [short_wait, short_took] = s.prompt(openai_then_anthropic());
  CHECK(all_text(short_wait).find("(rate limited; retry in ~7 s)") != std::string::npos);
  CHECK(all_text(short_wait).find("not worth waiting") == std::string::npos);
}

}  // namespace
}  // namespace lava_mcp
