// Streamed prompt attempts through the installed binary (issue 16): progress on the wire while
// an answer streams, a stream cut mid-answer falling back, and a cancel mid-stream.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "integration/built_binaries.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::Provider;
using testing::Script;
using testing::stream_script;
using testing::Subprocess;
using namespace std::chrono_literals;

struct StreamSession {
  StreamSession()
      : providers(gateway),
        process({testing::installed_binary()}, {{"LAVA_API_URL", gateway.origin()},
                                                {"LAVA_SECRET_KEY", "aks_live_STREAMBINARY0001"}}) {
    process.write(testing::initialize_line(0));
    REQUIRE(process.read_line(5s).has_value());
    process.write(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                  "\n");
  }
  void call_with_progress(int id, const Json& arguments) {
    process.write(Json{{"jsonrpc", "2.0"},
                       {"id", id},
                       {"method", "tools/call"},
                       {"params",
                        {{"name", "prompt"},
                         {"arguments", arguments},
                         {"_meta", {{"progressToken", "tok-" + std::to_string(id)}}}}}}
                      .dump() +
                  "\n");
  }
  // Lines until the answer to `id`; its progress notifications go to `progress`.
  Json answer(int id, std::vector<Json>& progress) {
    while (auto line = process.read_line(20s)) {
      const Json message = Json::parse(*line);
      if (message.value("method", "") == "notifications/progress") {
        progress.push_back(message["params"]);
      } else if (message.contains("id") && message["id"] == id) {
        return message;
      }
    }
    FAIL("no answer to " << id << "; stderr: " << process.stderr_text());
    return nullptr;
  }
  testing::FakeGateway gateway;
  testing::FakeProviders providers;
  Subprocess process;
};

std::string words(int count) {
  std::string text = "w0";
  for (int i = 1; i < count; ++i) text += " w" + std::to_string(i);
  return text;
}

Json cut_then_gemini() {
  return {{"model", "claude-haiku-4-5"},
          {"messages", {{{"role", "user"}, {"content", "Hello!"}}}},
          {"fallbacks",
           {{{"url", "generativelanguage.googleapis.com/v1beta"}, {"model", "gemini-2.5-flash"}}}}};
}

TEST_CASE("binary stream: a cut stream falls back - progress says why then counts the answer") {
  StreamSession s;
  s.providers.push(Provider::kAnthropic, stream_script(Script::Kind::kStreamCut));
  Script trickle = stream_script(Script::Kind::kStreamTrickle, 0, 80);
  trickle.text = words(12);
  s.providers.push(Provider::kGemini, trickle);
  s.call_with_progress(1, cut_then_gemini());
  std::vector<Json> progress;
  const Json reply = s.answer(1, progress);
  const Json& result = reply["result"];
  REQUIRE_MESSAGE(!result.contains("isError"), reply.dump());
  const Json& out = result["structuredContent"];
  CHECK(out["choices"][0]["message"]["content"] == trickle.text);  // attempt 2's text alone
  CHECK(out["routing"]["served_by"]["attempt"] == 2);
  CHECK(out["routing"]["attempts"][0]["error"]["type"] == "network_error");
  CHECK(out["routing"]["attempts"][1].contains("first_byte_ms"));
  REQUIRE(progress.size() >= 2);
  bool said_why = false;
  bool counted = false;
  for (std::size_t i = 0; i < progress.size(); ++i) {
    CAPTURE(progress[i].dump());
    CHECK(progress[i]["progressToken"] == "tok-1");
    CHECK_FALSE(progress[i].contains("total"));
    if (i > 0) CHECK(progress[i]["progress"].get<double>() > progress[i - 1]["progress"]);
    said_why = said_why || progress[i]["message"].get<std::string>().find(
                               "attempt 1 (claude-haiku-4-5) failed: the stream failed after") == 0;
    counted = counted || progress[i]["message"].get<std::string>().find(
                             "attempt 2 of 2, gemini-2.5-flash: ") == 0;
  }
  CHECK(said_why);
  CHECK(counted);
  const auto seen = s.providers.seen();
  CHECK(seen.back().target.find(":streamGenerateContent?alt=sse") != std::string::npos);
  CHECK(seen.back().streamed);
}

TEST_CASE("binary stream: cancelling mid-stream stops the read and the server keeps serving") {
  StreamSession s;
  Script trickle = stream_script(Script::Kind::kStreamTrickle, 0, 20);
  trickle.text = words(2000);  // 40 s of events unless cancelled
  s.providers.push(Provider::kOpenAI, trickle);
  s.call_with_progress(
      1, {{"model", "gpt-4o-mini"}, {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}});
  // The first progress: the answer is streaming.
  auto line = s.process.read_line(10s);
  REQUIRE(line.has_value());
  CHECK(Json::parse(*line)["method"] == "notifications/progress");
  s.process.write(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"reason":"test"}})"
      "\n");
  std::this_thread::sleep_for(500ms);
  const int after_cancel = s.providers.events_written();
  std::this_thread::sleep_for(700ms);
  CHECK(s.providers.events_written() == after_cancel);  // 35 more events had it read on
  CHECK(after_cancel < 1000);
  // No answer to the cancelled call; the next request is answered.
  s.process.write(R"({"jsonrpc":"2.0","id":2,"method":"ping"})"
                  "\n");
  for (;;) {
    auto next = s.process.read_line(5s);
    REQUIRE(next.has_value());
    const Json message = Json::parse(*next);
    CHECK(message.value("id", Json()) != 1);
    if (message.contains("id") && message["id"] == 2) break;
  }
}

TEST_CASE("binary stream: an error event before any text moves on without a trace of it") {
  StreamSession s;
  s.providers.push(Provider::kAnthropic, stream_script(Script::Kind::kStreamError, 2));
  s.call_with_progress(1, cut_then_gemini());
  std::vector<Json> progress;
  const Json reply = s.answer(1, progress);
  const Json& out = reply["result"]["structuredContent"];
  CHECK(out["choices"][0]["message"]["content"] == "Hello from Gemini");
  CHECK(out["routing"]["attempts"][0]["error"]["type"] == "overloaded_error");
  CHECK(out["routing"]["attempts"][0]["status"] == 200);
}

}  // namespace
}  // namespace lava_mcp
