// Drives the installed lava-mcp binary over raw stdio lines.
#include <doctest/doctest.h>
#include <signal.h>

#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "integration/built_binaries.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::Subprocess;
using namespace std::chrono_literals;

struct Binary {
  explicit Binary(std::map<std::string, std::string> env = {})
      : process({testing::installed_binary()}, with_api_url(std::move(env))) {}
  static std::map<std::string, std::string> with_api_url(std::map<std::string, std::string> env) {
    env.emplace("LAVA_API_URL", "http://127.0.0.1:9");
    return env;
  }

  Json next() {
    auto line = process.read_line(5s);
    REQUIRE_MESSAGE(line.has_value(), "no line from the server; stderr: " << process.stderr_text());
    Json message = Json::parse(*line, nullptr, false);
    REQUIRE_MESSAGE(!message.is_discarded(), "stdout line is not JSON: " << *line);
    return message;
  }
  Json ask(const std::string& line) {
    process.write(line + "\n");
    return next();
  }
  void initialize() {
    const Json reply = ask(
        R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
    REQUIRE(reply["result"]["protocolVersion"] == "2025-11-25");
    process.write(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                  "\n");
  }
  Subprocess process;
};

TEST_CASE("binary: the discover probe, then initialize with an unknown version") {
  Binary b;
  const Json probe = b.ask(
      R"({"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}})");
  CHECK(probe["id"] == 1);
  CHECK(probe["result"]["supportedVersions"] == Json::array({"2026-07-28"}));
  CHECK(probe["result"]["resultType"] == "complete");
  const Json init = b.ask(
      R"({"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"1999-01-01","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
  CHECK(init["id"] == "init");
  CHECK(init["result"]["protocolVersion"] == "2025-11-25");
  CHECK(init["result"]["serverInfo"]["name"] == "lava-mcp");
}

// Every _meta fault of a modern request, as raw lines (spec/mcp.md 12): each is answered at
// once with its own code, and the process serves the next line.
TEST_CASE("binary: raw modern lines - every _meta error, then a stateless call") {
  Binary b;
  const std::string caps = R"("io.modelcontextprotocol/clientCapabilities":{})";
  const std::string version = R"("io.modelcontextprotocol/protocolVersion":"2026-07-28")";
  auto line = [](const std::string& id, const std::string& method, const std::string& params) {
    return R"({"jsonrpc":"2.0","id":")" + id + R"(","method":")" + method + R"(","params":)" +
           params + "}";
  };
  struct Case {
    std::string id, method, params;
    int code;
  };
  const std::vector<Case> cases = {
      {"no-params", "server/discover", "{}", -32602},
      {"empty-meta", "server/discover", R"({"_meta":{}})", -32602},
      {"no-version", "tools/list", "{\"_meta\":{" + caps + "}}", -32602},
      {"no-caps", "tools/call", R"({"name":"search","_meta":{)" + version + "}}", -32602},
      {"caps-not-object", "tools/list",
       "{\"_meta\":{" + version + R"(,"io.modelcontextprotocol/clientCapabilities":[]}})", -32602},
      {"version-not-string", "tools/list",
       R"({"_meta":{"io.modelcontextprotocol/protocolVersion":20260728,)" + caps + "}}", -32602},
      {"bad-log-level", "tools/list",
       "{\"_meta\":{" + version + "," + caps + R"(,"io.modelcontextprotocol/logLevel":"loud"}})",
       -32602},
      {"client-info-not-object", "tools/list",
       "{\"_meta\":{" + version + "," + caps + R"(,"io.modelcontextprotocol/clientInfo":"x"}})",
       -32602},
      {"legacy-version", "tools/list",
       R"({"_meta":{"io.modelcontextprotocol/protocolVersion":"2025-11-25",)" + caps + "}}",
       -32022},
      {"removed-ping", "ping", "{\"_meta\":{" + version + "," + caps + "}}", -32601},
      {"removed-set-level", "logging/setLevel",
       "{\"level\":\"debug\",\"_meta\":{" + version + "," + caps + "}}", -32601},
  };
  for (const Case& c : cases) {
    CAPTURE(c.id);
    const Json reply = b.ask(line(c.id, c.method, c.params));
    CHECK(reply["id"] == c.id);
    CHECK(reply["error"]["code"] == c.code);
  }
  const Json unsupported = b.ask(
      line("future", "server/discover",
           R"({"_meta":{"io.modelcontextprotocol/protocolVersion":"2099-01-01",)" + caps + "}}"));
  CHECK(unsupported["error"]["code"] == -32022);
  CHECK(unsupported["error"]["data"]["supported"] == Json::array({"2026-07-28"}));
  CHECK(unsupported["error"]["data"]["requested"] == "2099-01-01");

  const Json list = b.ask(line("list", "tools/list", "{\"_meta\":{" + version + "," + caps + "}}"));
  CHECK(list["result"]["resultType"] == "complete");
  CHECK(list["result"]["tools"].size() == 5);
  CHECK(list["result"]["cacheScope"] == "public");
  CHECK(list["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "lava-mcp");
}

// MRTR and subscriptions/listen as raw lines: -32021 for a retry that answers a URL elicitation
// without declaring it, -32602 for a forged or absent requestState, and the listen stream
// acknowledged, held open and ended with notifications/cancelled when stdin closes.
TEST_CASE("binary: raw modern lines - -32021, requestState errors, subscriptions/listen") {
  testing::TempDir home;
  Binary b({{"LAVA_MCP_HOME", home.path()}, {"BROWSER", "none"}});
  const std::string version = R"("io.modelcontextprotocol/protocolVersion":"2026-07-28")";
  const std::string url_caps =
      R"("io.modelcontextprotocol/clientCapabilities":{"elicitation":{"url":{}}})";
  const std::string no_caps = R"("io.modelcontextprotocol/clientCapabilities":{})";

  const Json ack = b.ask(
      R"({"jsonrpc":"2.0","id":"L","method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true},"_meta":{)" +
      version + "," + no_caps + "}}}");
  CHECK(ack["method"] == "notifications/subscriptions/acknowledged");
  CHECK(ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == "L");

  auto login_line = [&](int id, const std::string& caps, const std::string& retry) {
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
           R"(,"method":"tools/call","params":{"name":"login","arguments":{"wait_seconds":0},"_meta":{)" +
           version + "," + caps + "}" + retry + "}}";
  };
  const Json asked = b.ask(login_line(1, url_caps, ""));
  REQUIRE_MESSAGE(asked["result"]["resultType"] == "input_required", asked.dump());
  const std::string state = asked["result"]["requestState"];
  const std::string answer = R"(,"inputResponses":{"lava_login":{"action":"accept"}})";

  const Json undeclared =
      b.ask(login_line(2, no_caps, answer + R"(,"requestState":")" + state + "\""));
  CHECK(undeclared["id"] == 2);
  CHECK(undeclared["error"]["code"] == -32021);
  CHECK(undeclared["error"]["data"]["requiredCapabilities"] ==
        Json{{"elicitation", {{"url", Json::object()}}}});
  CHECK(b.ask(login_line(3, url_caps,
                         answer + R"(,"requestState":"eyJ2IjoxfQ.00")"))["error"]["code"] ==
        -32602);
  CHECK(b.ask(login_line(4, url_caps, answer))["error"]["code"] == -32602);
  CHECK(b.ask(login_line(5, url_caps, R"(,"requestState":")" + state + "\""))["error"]["code"] ==
        -32602);

  b.process.close_stdin();
  const Json ended = b.next();
  CHECK(ended["method"] == "notifications/cancelled");
  CHECK(ended["params"]["requestId"] == "L");
  CHECK(b.process.wait(3s) == 0);
}

TEST_CASE("binary: malformed input gets precise errors and the server keeps serving") {
  Binary b;
  b.initialize();
  const Json parse = b.ask("{not json");
  CHECK(parse["error"]["code"] == -32700);
  CHECK(parse["id"].is_null());
  CHECK(b.ask(R"({"jsonrpc":"2.0","id":3})")["error"]["code"] == -32600);
  CHECK(b.ask(R"([{"jsonrpc":"2.0","id":4,"method":"ping"}])")["error"]["code"] == -32600);
  CHECK(b.ask(R"({"jsonrpc":"2.0","id":5,"method":"ping"})")["result"] == Json::object());
}

TEST_CASE("binary: ids are echoed with their exact type and value") {
  Binary b;
  b.initialize();
  for (const std::string id : {"9007199254740991", "\"9007199254740991\"", "\"\"", "-1", "0",
                               "\"\\u00e9\\ud83d\\ude00\""}) {
    b.process.write(R"({"jsonrpc":"2.0","id":)" + id +
                    R"(,"method":"ping"})"
                    "\n");
    auto line = b.process.read_line(5s);
    REQUIRE(line.has_value());
    CHECK(Json::parse(*line)["id"] == Json::parse(id));
    CHECK(Json::parse(*line)["id"].type() == Json::parse(id).type());
  }
}

TEST_CASE("binary: CRLF, blank lines, and several messages in one write") {
  Binary b;
  b.initialize();
  b.process.write(
      "\r\n\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n"
      "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n");
  CHECK(b.next()["id"] == 1);
  CHECK(b.next()["id"] == 2);
}

TEST_CASE("binary: a line over 16 MiB is answered with an error and discarded") {
  Binary b;
  b.initialize();
  const std::string huge = R"({"jsonrpc":"2.0","id":7,"method":"ping","params":{"x":")" +
                           std::string(17u << 20, 'a') + "\"}}\n";
  b.process.write(huge);
  const Json error = b.next();
  CHECK(error["error"]["code"] == -32600);
  CHECK(error["id"].is_null());
  CHECK(b.ask(R"({"jsonrpc":"2.0","id":8,"method":"ping"})")["id"] == 8);
}

TEST_CASE("binary: tools/list and a search call") {
  Binary b;
  b.initialize();
  const Json list = b.ask(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  REQUIRE(list["result"]["tools"].is_array());
  std::vector<std::string> names;
  for (const auto& tool : list["result"]["tools"]) {
    names.push_back(tool["name"]);
  }
  CHECK(names ==
        std::vector<std::string>{"login", "prompt", "call", "search", "get_provider_docs"});
  const Json call = b.ask(
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search","arguments":{"query":"web search","limit":3}}})");
  CHECK_FALSE(call["result"].contains("isError"));
  CHECK(call["result"]["structuredContent"]["results"].size() == 3);
}

TEST_CASE("binary: stdin EOF ends the process with 0 within 2 s") {
  Binary b;
  b.initialize();
  b.process.close_stdin();
  CHECK(b.process.wait(2s) == 0);
}

// The binary against a fake gateway whose providers can be made slow.
struct GatewaySession {
  GatewaySession()
      : providers(gateway),
        process({testing::installed_binary()}, {{"LAVA_API_URL", gateway.origin()},
                                                {"LAVA_SECRET_KEY", "aks_live_SHUTDOWNTEST0001"}}) {
  }
  // Every stdout line until EOF, by id.
  std::map<std::string, Json> answers() {
    std::map<std::string, Json> by_id;
    while (auto line = process.read_line(20s)) {
      const Json message = Json::parse(*line);
      if (message.contains("id")) {
        by_id[message["id"].dump()] = message;
      }
    }
    return by_id;
  }
  testing::FakeGateway gateway;
  testing::FakeProviders providers;
  Subprocess process;
};

Json slow_prompt() {
  return {{"model", "gpt-4o-mini"}, {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}};
}

TEST_CASE(
    "binary: requests piped with stdin closed at once all get their answers, a slow prompt too") {
  GatewaySession s;
  s.providers.push(testing::Provider::kOpenAI, testing::slow_script(1500));
  s.process.write(testing::initialize_line(0) +
                  R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
                  "\n" +
                  testing::tool_call_line(1, "prompt", slow_prompt()) +
                  R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})"
                  "\n" +
                  testing::tool_call_line(3, "search", {{"query", "web search"}, {"limit", 2}}) +
                  R"({"jsonrpc":"2.0","id":4,"method":"ping"})"
                  "\n");
  s.process.close_stdin();  // as `echo '...' | lava-mcp` does
  const auto answers = s.answers();
  CHECK(answers.size() == 5);
  REQUIRE(answers.count("1") == 1);
  CHECK_FALSE(answers.at("1")["result"].contains("isError"));
  CHECK(answers.at("1")["result"]["structuredContent"]["object"] == "chat.completion");
  CHECK(answers.count("3") == 1);
  const auto code = s.process.wait(5s);
  CHECK_MESSAGE(code == 0, "exit " << (code ? std::to_string(*code) : "none")
                                   << ", stderr: " << s.process.stderr_text());
}

TEST_CASE("binary: SIGTERM mid-call cancels it and exits 0 within 2 s") {
  GatewaySession s;
  s.providers.push(testing::Provider::kOpenAI, testing::slow_script(5000));
  s.process.write(testing::initialize_line(0));
  REQUIRE(s.process.read_line(5s).has_value());
  s.process.write(testing::tool_call_line(1, "prompt", slow_prompt()));
  for (int i = 0; i < 500 && s.gateway.requests().empty(); ++i) {
    std::this_thread::sleep_for(10ms);  // until the call is in flight at the gateway
  }
  REQUIRE_FALSE(s.gateway.requests().empty());
  s.process.signal(SIGTERM);
  CHECK(s.process.wait(2s) == 0);
}

// A worker slow to stop: its answer, larger than the stdout pipe, is stuck in write() because
// the host stopped reading. The first SIGTERM waits up to 1.5 s for it; a second one means the
// host will not wait, so the process ends at once (tools.md 4).
TEST_CASE("binary: a second SIGTERM exits at once while the first waits for a stuck call") {
  GatewaySession s;
  s.process.write(testing::initialize_line(0));
  REQUIRE(s.process.read_line(5s).has_value());
  // A 200 with a body of 90,000 characters: the answer's line is larger than the pipe.
  const std::string large_body = Json{{"data", std::string(90000, 'x')}}.dump();
  s.providers.push(testing::Provider::kOpenAI, testing::status_script(200, large_body));
  s.process.write(testing::tool_call_line(
      1, "call", {{"url", "https://api.openai.com/v1/chat/completions"}, {"body", slow_prompt()}}));
  for (int i = 0; i < 500 && !s.process.stdout_pipe_full(); ++i) {
    std::this_thread::sleep_for(10ms);  // until the answer's write() blocks: nobody reads
  }
  REQUIRE(s.process.stdout_pipe_full());
  s.process.signal(SIGTERM);
  REQUIRE(s.process.wait(300ms) == std::nullopt);  // the first signal waits for the stuck worker
  s.process.signal(SIGTERM);
  CHECK(s.process.wait(700ms) == 0);  // the first alone would end the wait 1.5 s after it came
}

TEST_CASE("binary: SIGTERM ends the process with 0 within 2 s") {
  Binary b;
  b.initialize();
  b.process.signal(SIGTERM);
  CHECK(b.process.wait(2s) == 0);
}

TEST_CASE("binary: a closed stdout does not kill the server (SIGPIPE ignored)") {
  Binary b;
  b.initialize();
  b.process.close_stdout();
  b.process.write(R"({"jsonrpc":"2.0","id":1,"method":"ping"})"
                  "\n");
  CHECK(b.process.wait(300ms) == std::nullopt);  // still running after the failed write
  b.process.close_stdin();
  CHECK(b.process.wait(2s) == 0);
}

}  // namespace
}  // namespace lava_mcp
