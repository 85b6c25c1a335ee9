#include "server.h"

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>

#include "support/fake_transport.h"
#include "support/json_mutants.h"
#include "support/test_tools.h"

namespace lava_mcp {
namespace {

using testing::FakeTransport;
using namespace std::chrono_literals;

struct Fixture {
  explicit Fixture(std::size_t page_size = 50,
                   std::chrono::milliseconds request_state_ttl = std::chrono::minutes(10)) {
    testing::register_test_tools(registry);
    ServerOptions options;
    options.request_state_ttl = request_state_ttl;
    options.version = "9.9.9";
    options.instructions = "be nice";
    options.tools_page_size = page_size;
    server = std::make_unique<Server>(fake, registry, options);
  }
  Json reply(const std::string& method, Json params = Json::object()) {
    const Json id = fake.request(*server, method, std::move(params));
    auto message = fake.await_reply(id);
    REQUIRE(message.has_value());
    return *message;
  }
  Json call(const std::string& tool, Json arguments = Json::object()) {
    return reply("tools/call", {{"name", tool}, {"arguments", std::move(arguments)}});
  }
  FakeTransport fake;
  tools::ToolRegistry registry;
  std::unique_ptr<Server> server;
};

TEST_CASE("server: initialize negotiates the version and never refuses one") {
  for (const std::string version : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    Fixture f;
    CHECK(f.fake.initialize(*f.server, version)["protocolVersion"] == version);
  }
  for (const Json& requested : {Json("2099-01-01"), Json("2026-07-28"), Json("garbage"), Json(7)}) {
    Fixture f;
    auto message =
        f.reply("initialize", {{"protocolVersion", requested}, {"capabilities", Json::object()}});
    CHECK(message["result"]["protocolVersion"] == "2025-11-25");
  }
}

TEST_CASE("server: initialize result carries serverInfo, capabilities and instructions") {
  Fixture f;
  const Json result = f.fake.initialize(*f.server);
  CHECK(result["serverInfo"]["name"] == "lava-mcp");
  CHECK(result["serverInfo"]["version"] == "9.9.9");
  CHECK(result["serverInfo"].contains("title"));
  CHECK(result["capabilities"]["tools"].is_object());
  CHECK(result["capabilities"]["logging"].is_object());
  CHECK_FALSE(result["capabilities"]["tools"].contains("listChanged"));
  CHECK(result["instructions"] == "be nice");
  Fixture old;
  CHECK_FALSE(old.fake.initialize(*old.server, "2025-03-26")["serverInfo"].contains("title"));
}

TEST_CASE("server: before initialize, ping works and other requests are refused clearly") {
  Fixture f;
  CHECK(f.reply("ping")["result"] == Json::object());
  CHECK(f.reply("tools/list")["error"]["code"] == -32600);
  CHECK(f.reply("tools/call", {{"name", "echo"}})["error"]["code"] == -32600);
  CHECK(f.reply("resources/list")["error"]["code"] == -32601);
  CHECK(f.reply("subscriptions/listen")["error"]["code"] == -32601);
}

TEST_CASE("server: unknown methods get -32601 at once and the server keeps serving") {
  Fixture f;
  f.fake.initialize(*f.server);
  CHECK(f.reply("prompts/list")["error"]["code"] == -32601);
  CHECK(f.reply("ping")["result"] == Json::object());
}

TEST_CASE("server: an exception in request handling is a -32603 answer, and serving goes on") {
  Fixture f;
  f.server->add_method("test/throws", [](const Json&, const SessionView&) -> Expected<Json> {
    throw std::runtime_error("secret detail sk-not-for-the-client");
  });
  f.server->add_method("test/throws_other", [](const Json&, const SessionView&) -> Expected<Json> {
    throw 42;  // not a std::exception
  });
  f.fake.initialize(*f.server);
  for (const char* method : {"test/throws", "test/throws_other"}) {
    const Json message = f.reply(method);
    CHECK(message["error"]["code"] == -32603);
    CHECK(message["error"]["message"].get<std::string>().find("sk-") == std::string::npos);
  }
  CHECK(f.reply("ping")["result"] == Json::object());
  CHECK(f.call("echo", {{"a", 1}})["result"]["structuredContent"] == Json{{"a", 1}});
}

Json modern_meta(Json extra = Json::object()) {
  Json meta = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
               {"io.modelcontextprotocol/clientCapabilities", Json::object()},
               {"io.modelcontextprotocol/clientInfo", {{"name", "t"}, {"version", "1"}}}};
  meta.update(extra);
  return meta;
}

TEST_CASE("server: a worker extension method answers from the pool, not the reading thread") {
  Fixture f;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<std::thread::id> ran_on;
  f.server->add_method(
      "test/slow",
      [&](const Json& params, const SessionView&) -> Expected<Json> {
        ran_on = std::this_thread::get_id();
        released.wait_for(10s);  // bounded: a handler run inline would block the test this long
        if (params.value("fail", false)) {
          return fail(error_code::kInvalidParams, "asked to fail");
        }
        return Json{{"done", true}};
      },
      Server::MethodThread::kWorker);
  f.server->add_method(
      "test/throws",
      [](const Json&, const SessionView&) -> Expected<Json> { throw std::runtime_error("x"); },
      Server::MethodThread::kWorker);
  f.fake.initialize(*f.server);
  const Json slow = f.fake.request(*f.server, "test/slow");
  // The request is still running, and the reading side serves others meanwhile.
  CHECK(f.reply("ping")["result"] == Json::object());
  CHECK(f.fake.count_replies_to(slow) == 0);
  release.set_value();
  const auto reply = f.fake.await_reply(slow);
  REQUIRE(reply.has_value());
  CHECK((*reply)["result"] == Json{{"done", true}});
  CHECK(ran_on.load() != std::this_thread::get_id());
  CHECK(f.reply("test/slow", {{"fail", true}})["error"]["code"] == -32602);
  CHECK(f.reply("test/throws")["error"]["code"] == -32603);
  // A modern request gets the modern completion from the worker too.
  const Json modern = f.reply("test/slow", {{"_meta", modern_meta()}})["result"];
  CHECK(modern["resultType"] == "complete");
  CHECK(modern["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "lava-mcp");
}

TEST_CASE("server: an extension method cannot take a built-in method's name") {
  Fixture f;
  f.server->add_method("tools/list", [](const Json&, const SessionView&) -> Expected<Json> {
    return Json{{"tools", "replaced"}};
  });
  f.fake.initialize(*f.server);
  CHECK(f.reply("tools/list")["result"]["tools"].is_array());
}

TEST_CASE("server: discover answers the modern probe, and initialize still works after it") {
  Fixture f;
  const Json discover = f.reply("server/discover", {{"_meta", modern_meta()}})["result"];
  CHECK(discover["resultType"] == "complete");
  CHECK(discover["supportedVersions"] == Json::array({"2026-07-28"}));
  CHECK(discover["capabilities"]["tools"].is_object());
  CHECK(discover["instructions"] == "be nice");
  CHECK(discover["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "lava-mcp");
  CHECK(discover["_meta"]["io.modelcontextprotocol/serverInfo"]["version"] == "9.9.9");
  CHECK(discover["ttlMs"].get<long long>() >= 0);
  CHECK(discover["cacheScope"] == "public");
  // Discover leaves no state: a legacy client can still start with initialize.
  CHECK(f.fake.initialize(*f.server)["protocolVersion"] == "2025-11-25");
  const Json legacy = f.reply("tools/list")["result"];
  CHECK_FALSE(legacy.contains("resultType"));
  CHECK_FALSE(legacy.contains("ttlMs"));
}

TEST_CASE("server: every _meta fault of a modern request is a precise error") {
  Fixture f;
  auto error_of = [&](const std::string& method, Json params) {
    return f.reply(method, std::move(params))["error"];
  };
  CHECK(error_of("server/discover", Json::object())["code"] == -32602);
  Json no_version = modern_meta();
  no_version.erase("io.modelcontextprotocol/protocolVersion");
  CHECK(error_of("server/discover", {{"_meta", no_version}})["code"] == -32602);
  Json no_caps = modern_meta();
  no_caps.erase("io.modelcontextprotocol/clientCapabilities");
  CHECK(error_of("tools/list", {{"_meta", no_caps}})["code"] == -32602);
  CHECK(
      error_of("tools/list", {{"_meta", modern_meta({{"io.modelcontextprotocol/clientCapabilities",
                                                      3}})}})["code"] == -32602);
  CHECK(error_of("tools/list", {{"_meta", modern_meta({{"io.modelcontextprotocol/logLevel",
                                                        "loud"}})}})["code"] == -32602);
  for (const Json& version : {Json("2025-11-25"), Json("v999.0.0")}) {
    const Json error =
        error_of("server/discover",
                 {{"_meta", modern_meta({{"io.modelcontextprotocol/protocolVersion", version}})}});
    CHECK(error["code"] == -32022);
    CHECK(error["data"]["supported"] == Json::array({"2026-07-28"}));
    CHECK(error["data"]["requested"] == version);
  }
  // Methods removed in 2026-07-28 are unknown to a modern request.
  for (const char* removed : {"initialize", "ping", "logging/setLevel"}) {
    CHECK(error_of(removed, {{"_meta", modern_meta()}})["code"] == -32601);
  }
  CHECK(f.reply("ping")["result"] == Json::object());  // the legacy ping still works
}

TEST_CASE("server: modern requests are stateless and their results are complete") {
  Fixture f;  // no initialize
  const Json list = f.reply("tools/list", {{"_meta", modern_meta()}})["result"];
  CHECK(list["resultType"] == "complete");
  CHECK(list["cacheScope"] == "public");
  CHECK(list["ttlMs"].is_number_integer());
  CHECK(list["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "lava-mcp");
  const Json echo = list["tools"][1];
  CHECK(echo["title"] == "Echo");
  CHECK(echo["outputSchema"]["type"] == "object");
  const Json call =
      f.reply("tools/call",
              {{"name", "echo"}, {"arguments", {{"a", 1}}}, {"_meta", modern_meta()}})["result"];
  CHECK(call["resultType"] == "complete");
  CHECK(call["structuredContent"] == Json{{"a", 1}});
  CHECK(call["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "lava-mcp");
  CHECK_FALSE(call.contains("ttlMs"));  // a tool result is not cacheable
  // A legacy request without initialize is still refused: modern requests left no session.
  CHECK(f.reply("tools/list")["error"]["code"] == -32600);
}

TEST_CASE("server: a modern request logs only at its own logLevel, and asks the client nothing") {
  Fixture f;
  f.registry.add(tools::ToolSpec{.name = "logs",
                                 .title = "Logs",
                                 .description = "Logs at info and error.",
                                 .input_schema = {{"type", "object"}},
                                 .output_schema = nullptr,
                                 .annotations = {},
                                 .run = [](const Json&, tools::RequestContext& context) {
                                   context.log(tools::McpLogLevel::kInfo, "t", "info line");
                                   context.log(tools::McpLogLevel::kError, "t", "error line");
                                   return tools::ToolResult::success("ok", nullptr);
                                 }});
  f.fake.initialize(*f.server);
  f.reply("logging/setLevel", {{"level", "debug"}});  // legacy state: must not reach modern calls
  auto logs_of = [&](Json meta) {
    const auto before = f.fake.notifications("notifications/message").size();
    const Json reply = f.reply("tools/call", {{"name", "logs"}, {"_meta", std::move(meta)}});
    CHECK(reply["result"]["resultType"] == "complete");
    return f.fake.notifications("notifications/message").size() - before;
  };
  CHECK(logs_of(modern_meta()) == 0);
  CHECK(logs_of(modern_meta({{"io.modelcontextprotocol/logLevel", "error"}})) == 1);
  CHECK(logs_of(modern_meta({{"io.modelcontextprotocol/logLevel", "debug"}})) == 2);

  const Json asked = f.reply("tools/call", {{"name", "ask_client"}, {"_meta", modern_meta()}});
  CHECK(asked["result"]["isError"] == true);
  for (const Json& message : f.fake.messages()) {
    CHECK(message.value("method", "") != "elicitation/create");
  }
}

const Json kUrlClient = {{"io.modelcontextprotocol/clientCapabilities",
                          {{"elicitation", {{"form", Json::object()}, {"url", Json::object()}}}}}};

// One MRTR leg of two_questions (test_tools.cpp) with the modern _meta of `meta_extra`.
Json two_questions(Fixture& f, Json retry, Json arguments = Json::object(),
                   Json meta_extra = kUrlClient) {
  Json params = {{"name", "two_questions"},
                 {"arguments", std::move(arguments)},
                 {"_meta", modern_meta(std::move(meta_extra))}};
  params.update(retry);
  return f.reply("tools/call", std::move(params));
}

TEST_CASE("server: MRTR - input_required, then retries under new ids until complete") {
  Fixture f;
  const Json first = two_questions(f, Json::object())["result"];
  CHECK(first["resultType"] == "input_required");
  CHECK(first["inputRequests"]["first"]["method"] == "elicitation/create");
  CHECK(first["inputRequests"]["first"]["params"]["mode"] == "form");
  CHECK(first["requestState"].is_string());
  CHECK(first["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "lava-mcp");
  CHECK_FALSE(first.contains("content"));
  CHECK_FALSE(first.contains("ttlMs"));

  const Json name = {{"action", "accept"}, {"content", {{"name", "Ada"}}}};
  const Json second = two_questions(f, {{"inputResponses", {{"first", name}}},
                                        {"requestState", first["requestState"]}})["result"];
  CHECK(second["resultType"] == "input_required");
  CHECK(second["inputRequests"]["second"]["params"]["mode"] == "url");
  CHECK(second["requestState"] != first["requestState"]);

  const Json done = two_questions(f, {{"inputResponses", {{"second", {{"action", "accept"}}}}},
                                      {"requestState", second["requestState"]}})["result"];
  CHECK(done["resultType"] == "complete");
  CHECK(done["structuredContent"]["first"] == name);
  CHECK(done["structuredContent"]["second"]["action"] == "accept");
  for (const Json& message : f.fake.messages()) {  // never a request to the client
    CHECK_FALSE((message.contains("method") && message.contains("id")));
  }
}

TEST_CASE("server: MRTR - tampered, foreign, replayed and incomplete retries are JSON-RPC errors") {
  Fixture f;
  const Json first = two_questions(f, Json::object())["result"];
  const std::string state = first["requestState"];
  const Json accept = {{"first", {{"action", "accept"}, {"content", Json::object()}}}};
  auto error_of = [&](Json retry, Json arguments = Json::object(), Json meta = kUrlClient) {
    const Json reply = two_questions(f, std::move(retry), std::move(arguments), std::move(meta));
    CHECK_FALSE(reply.contains("result"));
    return reply["error"];
  };
  std::string tampered = state;
  tampered[5] = tampered[5] == 'x' ? 'y' : 'x';
  CHECK(error_of({{"inputResponses", accept}, {"requestState", tampered}})["code"] == -32602);
  CHECK(error_of({{"inputResponses", accept}, {"requestState", 7}})["code"] == -32602);
  CHECK(error_of({{"inputResponses", accept}})["code"] == -32602);  // responses, no state
  CHECK(error_of({{"inputResponses", "yes"}, {"requestState", state}})["code"] == -32602);
  const Json missing = error_of({{"requestState", state}});
  CHECK(missing["code"] == -32602);
  CHECK(missing["message"].get<std::string>().find("\"first\"") != std::string::npos);
  CHECK(error_of({{"inputResponses", {{"first", {{"action", "ok"}}}}},
                  {"requestState", state}})["code"] == -32602);
  CHECK(error_of({{"inputResponses", accept}, {"requestState", state}}, {{"other", 1}})["code"] ==
        -32602);  // the state belongs to the call with {} as arguments
  // The retry declares no elicitation: -32021 naming what it needs.
  const Json undeclared = error_of({{"inputResponses", accept}, {"requestState", state}},
                                   Json::object(), Json::object());
  CHECK(undeclared["code"] == -32021);
  CHECK(undeclared["data"]["requiredCapabilities"] == Json{{"elicitation", Json::object()}});
  // None of the refusals used the state up; the good retry does, once.
  CHECK(two_questions(f, {{"inputResponses", accept},
                          {"requestState", state}})["result"]["resultType"] == "input_required");
  const Json replay = error_of({{"inputResponses", accept}, {"requestState", state}});
  CHECK(replay["code"] == -32602);
  CHECK(replay["message"].get<std::string>().find("already used") != std::string::npos);
  // A state from another server process is foreign.
  Fixture other;
  const std::string foreign = two_questions(other, Json::object())["result"]["requestState"];
  CHECK(error_of({{"inputResponses", accept}, {"requestState", foreign}})["code"] == -32602);
}

TEST_CASE("server: MRTR - an expired requestState is refused") {
  Fixture f(50, 0ms);
  const Json first = two_questions(f, Json::object())["result"];
  const Json reply = two_questions(f, {{"inputResponses", {{"first", {{"action", "cancel"}}}}},
                                       {"requestState", first["requestState"]}});
  CHECK(reply["error"]["code"] == -32602);
  CHECK(reply["error"]["message"].get<std::string>().find("expired") != std::string::npos);
}

TEST_CASE("server: a legacy call never gets input_required, and ignores MRTR fields") {
  Fixture f;
  f.fake.initialize(*f.server, "2025-11-25", {{"elicitation", {{"url", Json::object()}}}});
  const Json reply = f.call("two_questions")["result"];
  CHECK(reply["isError"] == true);
  CHECK_FALSE(reply.contains("resultType"));
  CHECK(f.reply("tools/call",
                {{"name", "echo"}, {"requestState", "forged"}})["result"]["structuredContent"] ==
        Json::object());
}

TEST_CASE("server: subscriptions/listen is acknowledged, held open, and ended at shutdown") {
  Fixture f;
  f.fake.request_with_id(
      *f.server, "listen-1", "subscriptions/listen",
      {{"notifications", {{"toolsListChanged", true}}}, {"_meta", modern_meta()}});
  const auto ack = f.fake.await([](const Json& m) {
    return m.value("method", "") == "notifications/subscriptions/acknowledged";
  });
  REQUIRE(ack);
  CHECK((*ack)["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "listen-1");
  CHECK((*ack)["params"]["notifications"] == Json::object());  // lava-mcp sends no list changes
  CHECK(f.fake.count_replies_to("listen-1") == 0);
  // Its id stays taken by calls while it is open; the stream does not block other requests.
  f.fake.request_with_id(*f.server, "listen-1", "tools/call",
                         {{"name", "echo"}, {"_meta", modern_meta()}});
  CHECK((*f.fake.await_reply("listen-1"))["error"]["code"] == -32600);
  CHECK(f.reply("tools/list", {{"_meta", modern_meta()}})["result"]["tools"].size() == 5);
  // A stream the client cancels ends silently; the others end with notifications/cancelled.
  f.fake.request_with_id(*f.server, 77, "subscriptions/listen",
                         {{"notifications", Json::object()}, {"_meta", modern_meta()}});
  f.server->on_notification("notifications/cancelled", {{"requestId", 77}});
  CHECK(f.reply("subscriptions/listen", {{"_meta", modern_meta()}})["error"]["code"] == -32602);
  CHECK(f.server->shutdown(2s));
  const auto ended = f.fake.notifications("notifications/cancelled");
  REQUIRE(ended.size() == 1);
  CHECK(ended[0]["params"]["requestId"] == "listen-1");
  CHECK(ended[0]["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "listen-1");
  CHECK(f.fake.count_replies_to("listen-1") == 1);  // only the refused tools/list
}

TEST_CASE("server: modern progress echoes the request token, a modern cancel stops the call") {
  Fixture f;
  const Json id = f.fake.request(*f.server, "tools/call",
                                 {{"name", "slow"},
                                  {"arguments", {{"ms", 60}, {"steps", 3}}},
                                  {"_meta", modern_meta({{"progressToken", 5}})}});
  REQUIRE(f.fake.await_reply(id));
  const auto progress = f.fake.notifications("notifications/progress");
  REQUIRE(progress.size() == 3);
  CHECK(progress[2]["params"]["progressToken"] == 5);
  CHECK(progress[2]["params"]["message"] == "step 3");

  auto& slow = testing::slow_tool_counts();
  const int stopped_before = slow.stopped;
  const Json cancelled = f.fake.request(*f.server, "tools/call",
                                        {{"name", "slow"},
                                         {"arguments", {{"ms", 5000}, {"steps", 50}}},
                                         {"_meta", modern_meta({{"progressToken", "c"}})}});
  REQUIRE(f.fake.await([](const Json& m) {  // running, not queued
    return m.value("method", "") == "notifications/progress" && m["params"]["progressToken"] == "c";
  }));
  f.server->on_notification("notifications/cancelled", {{"requestId", cancelled}});
  CHECK_FALSE(f.fake.await_reply(cancelled, 500ms).has_value());
  CHECK(slow.stopped == stopped_before + 1);
}

TEST_CASE("server: notifications are never answered") {
  Fixture f;
  f.fake.initialize(*f.server);
  const auto before = f.fake.messages().size();
  f.server->on_notification("notifications/unknown", Json::object());
  f.server->on_notification("notifications/cancelled", "garbage");
  f.server->on_notification("notifications/cancelled", {{"requestId", 12345}});
  CHECK(f.fake.messages().size() == before);
}

TEST_CASE("server: tools/list pages with a stable cursor and rejects bad cursors") {
  Fixture f(2);
  f.fake.initialize(*f.server);
  std::vector<std::string> names;
  Json params = Json::object();
  for (int page = 0; page < 10; ++page) {
    const Json result = f.reply("tools/list", params)["result"];
    for (const auto& tool : result["tools"]) {
      names.push_back(tool["name"]);
    }
    if (!result.contains("nextCursor")) {
      break;
    }
    CHECK(result["tools"].size() == 2);
    // The same cursor gives the same page again.
    const Json again = f.reply("tools/list", {{"cursor", result["nextCursor"]}})["result"];
    params = {{"cursor", result["nextCursor"]}};
    CHECK(again == f.reply("tools/list", params)["result"]);
  }
  CHECK(names == std::vector<std::string>{"slow", "echo", "throws", "ask_client", "two_questions"});
  CHECK(f.reply("tools/list", {{"cursor", "bogus"}})["error"]["code"] == -32602);
  CHECK(f.reply("tools/list", {{"cursor", 3}})["error"]["code"] == -32602);
  CHECK(f.reply("tools/list", {{"cursor", "after:nope"}})["error"]["code"] == -32602);
}

TEST_CASE("server: tool fields are gated by the negotiated version") {
  Fixture modern;
  modern.fake.initialize(*modern.server, "2025-11-25");
  const Json echo = modern.reply("tools/list")["result"]["tools"][1];
  CHECK(echo["title"] == "Echo");
  CHECK(echo["outputSchema"]["type"] == "object");
  CHECK(echo["annotations"]["readOnlyHint"] == true);
  CHECK(modern.call("echo", {{"a", 1}})["result"]["structuredContent"] == Json{{"a", 1}});

  Fixture legacy;
  legacy.fake.initialize(*legacy.server, "2024-11-05");
  const Json old_echo = legacy.reply("tools/list")["result"]["tools"][1];
  CHECK_FALSE(old_echo.contains("title"));
  CHECK_FALSE(old_echo.contains("outputSchema"));
  CHECK_FALSE(old_echo.contains("annotations"));
  const Json result = legacy.call("echo", {{"a", 1}})["result"];
  CHECK_FALSE(result.contains("structuredContent"));
  CHECK(Json::parse(result["content"].back()["text"].get<std::string>()) == Json{{"a", 1}});
}

TEST_CASE("server: tools/call protocol faults are -32602, argument faults are isError") {
  Fixture f;
  f.fake.initialize(*f.server);
  CHECK(f.call("nope")["error"]["code"] == -32602);
  CHECK(f.reply("tools/call", Json::object())["error"]["code"] == -32602);
  CHECK(f.reply("tools/call", {{"name", 5}})["error"]["code"] == -32602);
  CHECK(f.reply("tools/call", {{"name", "echo"}, {"arguments", "x"}})["error"]["code"] == -32602);
  const Json bad = f.call("slow", {{"ms", "fast"}})["result"];
  CHECK(bad["isError"] == true);
  const std::string text = bad["content"][0]["text"];
  CHECK(text.find("ms") != std::string::npos);
  CHECK(text.find("type") != std::string::npos);
  CHECK(f.call("slow", {{"extra", 1}})["result"]["isError"] == true);
}

TEST_CASE("server: a throwing tool becomes an isError result without its message") {
  Fixture f;
  f.fake.initialize(*f.server);
  const Json result = f.call("throws")["result"];
  CHECK(result["isError"] == true);
  CHECK(result.dump().find("sentinel") == std::string::npos);
  CHECK(f.reply("ping")["result"] == Json::object());
}

TEST_CASE("server: a slow call never delays ping or another call") {
  Fixture f;
  f.fake.initialize(*f.server);
  const Json slow =
      f.fake.request(*f.server, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 3000}}}});
  const auto started = std::chrono::steady_clock::now();
  CHECK(f.reply("ping")["result"] == Json::object());
  CHECK(f.call("echo", {{"x", 1}})["result"]["structuredContent"]["x"] == 1);
  CHECK(f.fake.count_replies_to(slow) == 0);  // both answered while the slow call still runs
  CHECK(std::chrono::steady_clock::now() - started < 2500ms);
  f.server->on_notification("notifications/cancelled", {{"requestId", slow}});
}

TEST_CASE("server: calls run concurrently") {
  Fixture f;
  f.fake.initialize(*f.server);
  std::vector<Json> ids;
  for (int i = 0; i < 8; ++i) {
    ids.push_back(
        f.fake.request(*f.server, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 400}}}}));
  }
  for (const auto& id : ids) {
    // Serially these would take 3.2 s; each is awaited with a deadline that only concurrency meets.
    auto reply = f.fake.await_reply(id, 2500ms);
    REQUIRE(reply.has_value());
    CHECK((*reply)["result"]["structuredContent"]["steps"] == 1);
  }
}

// Cancellation is tested without shutdown(), which cancels everything itself: each test waits
// past the tool's own duration, then checks that no reply came and that the work saw its stop.
TEST_CASE("server: cancellation stops the work and suppresses the reply") {
  Fixture f;
  f.fake.initialize(*f.server);
  auto& slow = testing::slow_tool_counts();
  const int stopped_before = slow.stopped;
  const Json id = f.fake.request(*f.server, "tools/call",
                                 {{"name", "slow"},
                                  {"arguments", {{"ms", 600}, {"steps", 30}}},
                                  {"_meta", {{"progressToken", "tok"}}}});
  REQUIRE(f.fake.await(
      [](const Json& m) { return m.value("method", "") == "notifications/progress"; }));
  f.server->on_notification("notifications/cancelled", {{"requestId", id}, {"reason", "user"}});
  const auto progress_count = f.fake.notifications("notifications/progress").size();
  CHECK_FALSE(f.fake.await_reply(id, 1200ms).has_value());  // twice the tool's 600 ms
  CHECK(slow.stopped == stopped_before + 1);
  CHECK(f.fake.notifications("notifications/progress").size() == progress_count);
  CHECK(f.reply("ping")["result"] == Json::object());  // and the server goes on serving
}

TEST_CASE("server: a call cancelled while queued never starts and gets no reply") {
  testing::FakeTransport fake;
  tools::ToolRegistry registry;
  testing::register_test_tools(registry);
  ServerOptions options;
  options.max_concurrent_calls = 1;
  Server server(fake, registry, options);
  fake.initialize(server);
  auto& slow = testing::slow_tool_counts();
  const int started_before = slow.started;
  const Json running =
      fake.request(server, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 300}}}});
  const Json queued =
      fake.request(server, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 300}}}});
  server.on_notification("notifications/cancelled", {{"requestId", queued}});
  REQUIRE(fake.await_reply(running, 5s));
  CHECK_FALSE(fake.await_reply(queued, 900ms).has_value());  // past both calls' 300 ms
  CHECK(slow.started == started_before + 1);
}

TEST_CASE("server: progress echoes the token, increases, and stops at the reply") {
  Fixture f;
  f.fake.initialize(*f.server);
  for (const Json& token : {Json("abc"), Json(42)}) {
    const Json id = f.fake.request(*f.server, "tools/call",
                                   {{"name", "slow"},
                                    {"arguments", {{"ms", 100}, {"steps", 5}}},
                                    {"_meta", {{"progressToken", token}}}});
    REQUIRE(f.fake.await_reply(id));
    double last = 0;
    int count = 0;
    bool after_reply = false;
    bool replied = false;
    for (const auto& m : f.fake.messages()) {
      if (m.contains("id") && m["id"] == id && !m.contains("method")) {
        replied = true;
      }
      if (m.value("method", "") == "notifications/progress" &&
          m["params"]["progressToken"] == token &&
          m["params"]["progressToken"].type() == token.type()) {
        CHECK(m["params"]["progress"].get<double>() > last);
        last = m["params"]["progress"];
        ++count;
        after_reply = after_reply || replied;
      }
    }
    CHECK(count == 5);
    CHECK_FALSE(after_reply);
  }
  const Json quiet = f.fake.request(*f.server, "tools/call",
                                    {{"name", "slow"}, {"arguments", {{"ms", 10}, {"steps", 2}}}});
  REQUIRE(f.fake.await_reply(quiet));
  CHECK(f.fake.notifications("notifications/progress").size() == 10);
}

TEST_CASE("server: logging/setLevel filters notifications/message") {
  Fixture f;
  f.fake.initialize(*f.server);
  CHECK(f.reply("logging/setLevel", {{"level", "loud"}})["error"]["code"] == -32602);
  CHECK(f.reply("logging/setLevel", Json::object())["error"]["code"] == -32602);
  CHECK(f.reply("logging/setLevel", {{"level", "warning"}})["result"] == Json::object());
  f.server->log_to_client(tools::McpLogLevel::kInfo, "t", "hidden");
  f.server->log_to_client(tools::McpLogLevel::kError, "t", "shown");
  auto messages = f.fake.notifications("notifications/message");
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["params"] == Json{{"level", "error"}, {"logger", "t"}, {"data", "shown"}});
  CHECK(f.reply("logging/setLevel", {{"level", "debug"}})["result"] == Json::object());
  f.server->log_to_client(tools::McpLogLevel::kDebug, "", "now shown");
  CHECK(f.fake.notifications("notifications/message").size() == 2);
}

TEST_CASE("server: requests to the client are matched to their responses") {
  Fixture f;
  f.fake.initialize(*f.server, "2025-11-25", {{"elicitation", Json::object()}});
  const Json id = f.fake.request(*f.server, "tools/call", {{"name", "ask_client"}});
  auto outbound = f.fake.await([](const Json& m) {
    return m.value("method", "") == "elicitation/create" && m.contains("id");
  });
  REQUIRE(outbound.has_value());
  const Json request_id = (*outbound)["id"];
  CHECK(request_id.get<std::string>().rfind("lava-", 0) == 0);
  f.server->on_response("unrelated", Expected<Json>(Json::object()));  // ignored
  f.server->on_response(request_id, Expected<Json>(Json{{"action", "decline"}}));
  auto reply = f.fake.await_reply(id);
  REQUIRE(reply.has_value());
  CHECK((*reply)["result"]["structuredContent"]["action"] == "decline");
}

TEST_CASE("server: a duplicate id of a call in flight is refused, the first call unharmed") {
  Fixture f;
  f.fake.initialize(*f.server);
  f.fake.request_with_id(*f.server, "dup", "tools/call",
                         {{"name", "slow"}, {"arguments", {{"ms", 300}}}});
  f.fake.request_with_id(*f.server, "dup", "tools/call", {{"name", "echo"}});
  auto first = f.fake.await_reply("dup");
  REQUIRE(first.has_value());
  CHECK((*first)["error"]["code"] == -32600);
  REQUIRE(f.fake.await([](const Json& m) { return m.contains("result") && m["id"] == "dup"; }));
}

TEST_CASE("server: shutdown cancels calls in flight quickly and sends no reply for them") {
  Fixture f;
  f.fake.initialize(*f.server);
  const Json id =
      f.fake.request(*f.server, "tools/call", {{"name", "slow"}, {"arguments", {{"ms", 10000}}}});
  std::this_thread::sleep_for(50ms);
  const auto started = std::chrono::steady_clock::now();
  CHECK(f.server->shutdown(2s));
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  CHECK(f.fake.count_replies_to(id) == 0);
}

// A reply as JSON-RPC 2.0 has it: the id, and a result or an error with a code and a message.
bool well_formed_reply(const Json& reply) {
  if (reply.contains("result")) {
    return !reply.contains("error");
  }
  const auto error = reply.find("error");
  return error != reply.end() && error->is_object() && (*error)["code"].is_number_integer() &&
         (*error)["message"].is_string();
}

// Every one-item change of the params of each method's request: exactly one well-formed reply to
// its id, for whatever the params became; a changed notification is never answered.
TEST_CASE("server: every one-item change of a request's params gets one precise reply") {
  const Json modern =
      modern_meta({{"progressToken", "p"}, {"io.modelcontextprotocol/logLevel", "info"}});
  const std::vector<std::pair<std::string, Json>> requests = {
      {"tools/call",
       {{"name", "echo"}, {"arguments", {{"a", 1}}}, {"_meta", {{"progressToken", 7}}}}},
      {"tools/call", {{"name", "echo"}, {"arguments", {{"a", 1}}}, {"_meta", modern}}},
      {"tools/list", {{"cursor", "x"}, {"_meta", {{"progressToken", 7}}}}},
      {"tools/list", {{"_meta", modern}}},
      {"server/discover", {{"_meta", modern}}},
      {"logging/setLevel", {{"level", "debug"}}},
      {"ping", {{"_meta", {{"progressToken", 7}}}}}};
  Fixture f;
  f.fake.initialize(*f.server);
  long long next_id = 1000;
  std::size_t mutants = 0;
  const auto check_reply = [&](Fixture& fixture, const std::string& method,
                               const std::string& params) {
    ++mutants;
    const Json id = next_id++;
    fixture.fake.request_with_id(*fixture.server, id, method, Json::parse(params));
    const auto reply = fixture.fake.await_reply(id);
    if (!reply || !well_formed_reply(*reply)) {
      FAIL_CHECK(method << " " << params << ": " << (reply ? reply->dump() : "no reply"));
    }
  };
  for (const auto& [method, params] : requests) {
    testing::each_mutant(nlohmann::ordered_json::parse(params.dump()),
                         [&](const std::string& mutant) { check_reply(f, method, mutant); });
  }
  const Json initialize = {{"protocolVersion", "2025-11-25"},
                           {"capabilities", {{"elicitation", {{"url", Json::object()}}}}},
                           {"clientInfo", {{"name", "claude-code"}, {"version", "1"}}}};
  testing::each_mutant(nlohmann::ordered_json::parse(initialize.dump()),
                       [&](const std::string& mutant) {
                         Fixture fresh;
                         check_reply(fresh, "initialize", mutant);
                         CHECK(fresh.reply("ping")["result"] == Json::object());
                       });
  for (std::int64_t id = 1000; id < next_id; ++id) {
    CHECK(f.fake.count_replies_to(id) <= 1);
  }
  const auto before = f.fake.messages().size();
  testing::each_mutant(nlohmann::ordered_json::parse(R"({"requestId":5,"reason":"x"})"),
                       [&](const std::string& mutant) {
                         f.server->on_notification("notifications/cancelled", Json::parse(mutant));
                       });
  CHECK(f.reply("ping")["result"] == Json::object());
  CHECK(f.fake.messages().size() == before + 1);
  CHECK(mutants > 500 / testing::kNearMissStride);
}

}  // namespace
}  // namespace lava_mcp
