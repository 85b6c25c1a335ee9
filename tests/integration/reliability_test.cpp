// Reliability of the installed binary under load and hostile input (the short runs; the longer
// runs are described in docs/reliability.md).
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "integration/built_binaries.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/figures.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::Subprocess;
using namespace std::chrono_literals;

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

TEST_CASE("load: 1000 calls in one write are each answered once, ids intact, memory bounded") {
  testing::TempDir home;
  Subprocess server(
      {testing::installed_binary()},
      {{"LAVA_API_URL", "http://127.0.0.1:" + std::to_string(testing::refused_port())},
       {"LAVA_MCP_HOME", home.path()}});
  server.write(testing::initialize_line("init"));
  REQUIRE(server.read_line(10s));
  std::string batch;
  for (int i = 0; i < 1000; ++i) {
    const Json id = i % 2 == 0 ? Json(i) : Json("id-" + std::to_string(i));
    batch += testing::tool_call_line(
        id, "search", {{"query", "web search " + std::to_string(i % 7)}, {"limit", 2}});
  }
  const auto started = std::chrono::steady_clock::now();
  server.write(batch);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto line = server.read_line(30s);
    REQUIRE_MESSAGE(line.has_value(), "stopped after " << i << " replies");
    const Json reply = Json::parse(*line);
    REQUIRE(reply.contains("result"));
    CHECK_FALSE(reply["result"].contains("isError"));
    CHECK(seen.insert(reply["id"].dump()).second);  // exactly once
  }
  for (int i = 0; i < 1000; ++i) {
    const Json id = i % 2 == 0 ? Json(i) : Json("id-" + std::to_string(i));
    CHECK(seen.count(id.dump()) == 1);
  }
  testing::record_figure("load: 1000 search calls in one write, all answered",
                         testing::elapsed_ms(started), "ms");
  const long rss = rss_kib(server.pid());
  testing::record_figure("load: resident memory after the 1000 calls", rss / 1024.0, "MiB");
#ifndef __SANITIZE_ADDRESS__  // ASan's shadow memory and quarantine make RSS meaningless
  CHECK(rss < 64 * 1024);
#endif
  server.close_stdin();
  CHECK(server.wait(3s) == 0);
}

TEST_CASE("load: 64 slow prompts in flight, half cancelled - the rest answered once") {
  testing::FakeGateway gateway;
  testing::FakeProviders providers(gateway);
  for (int i = 0; i < 64; ++i) {
    // Slow enough that the cancellations surely arrive first, even on a loaded machine.
    providers.push(testing::Provider::kOpenAI, testing::slow_script(2500));
  }
  testing::TempDir home;
  Subprocess server({testing::installed_binary()}, {{"LAVA_API_URL", gateway.origin()},
                                                    {"LAVA_SECRET_KEY", "aks_test_RELIABILITY0001"},
                                                    {"LAVA_MCP_HOME", home.path()}});
  server.write(testing::initialize_line("init"));
  REQUIRE(server.read_line(10s));
  const Json prompt = {{"model", "gpt-4o-mini"},
                       {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  std::string batch;
  for (int i = 0; i < 64; ++i) {
    batch += testing::tool_call_line(i, "prompt", prompt);
  }
  const auto started = std::chrono::steady_clock::now();
  server.write(batch);
  std::this_thread::sleep_for(100ms);
  std::string cancels;
  for (int i = 0; i < 64; i += 2) {
    cancels += Json{{"jsonrpc", "2.0"},
                    {"method", "notifications/cancelled"},
                    {"params", {{"requestId", i}, {"reason", "test"}}}}
                   .dump() +
               "\n";
  }
  server.write(cancels);
  std::set<int> answered;
  while (answered.size() < 32) {
    auto line = server.read_line(30s);
    REQUIRE_MESSAGE(line.has_value(), "only " << answered.size() << " replies");
    const Json reply = Json::parse(*line);
    if (!reply.contains("id")) continue;  // notifications
    const int id = reply["id"];
    CHECK_MESSAGE(id % 2 == 1, "a cancelled call was answered: " << *line);
    CHECK(answered.insert(id).second);
  }
  testing::record_figure("load: 64 prompts of 2500 ms each, 32 cancelled, the other 32 answered",
                         testing::elapsed_ms(started), "ms");
  server.write(R"({"jsonrpc":"2.0","id":"last","method":"ping"})"
               "\n");
  for (;;) {
    auto line = server.read_line(10s);
    REQUIRE(line.has_value());
    const Json reply = Json::parse(*line);
    if (reply.contains("id") && reply["id"] == "last") break;
    CHECK_FALSE(
        (reply.contains("id") && reply["id"].is_number() && reply["id"].get<int>() % 2 == 0));
  }
  server.close_stdin();
  CHECK(server.wait(3s) == 0);
}

TEST_CASE("bad input: every tool survives wrong types, huge strings, deep nesting, bad bytes") {
  testing::TempDir home;
  Subprocess server(
      {testing::installed_binary()},
      {{"LAVA_API_URL", "http://127.0.0.1:" + std::to_string(testing::refused_port())},
       {"LAVA_MCP_HOME", home.path()},
       {"BROWSER", "none"},
       // login then answers at once (provisioning fails: the API port is closed).
       {"LAVA_SECRET_KEY", "aks_test_BADINPUT00001"}});
  server.write(testing::initialize_line("init"));
  REQUIRE(server.read_line(10s));
  const std::string huge(10u << 20, 'x');
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  std::vector<std::string> lines;
  int id = 0;
  for (const std::string tool : {"login", "prompt", "call", "search", "get_provider_docs"}) {
    for (const Json& args :
         {Json{{"query", 5}, {"model", true}, {"url", Json::array()}, {"provider", nullptr}},
          Json::object(), Json{{"unexpected", 1}, {"force", "yes"}}, Json{{"query", huge}},
          Json{{"wait_seconds", -1}, {"limit", 1e300}, {"max_chars", 3.5}}}) {
      lines.push_back(testing::tool_call_line(++id, tool, args));
    }
    // Nested 500 deep, just under the limit: accepted, so the validator and the tool meet it.
    const Json nested = Json::parse(std::string(500, '[') + std::string(500, ']'));
    lines.push_back(testing::tool_call_line(++id, tool,
                                            {{"query", nested},
                                             {"body", nested},
                                             {"messages", nested},
                                             {"metadata", {{"deep", nested}}}}));
    // Nested 10,000 deep, as raw text: refused (-32600) before any recursion can overflow.
    lines.push_back(R"({"jsonrpc":"2.0","id":)" + std::to_string(++id) +
                    R"(,"method":"tools/call","params":{"name":")" + tool +
                    R"(","arguments":{"x":)" + deep + "}}}\n");
    // An escaped NUL inside strings: a valid request the tools must refuse cleanly.
    lines.push_back(testing::tool_call_line(
        ++id, tool, {{"query", std::string("a\0b", 3)}, {"provider", std::string("\0", 1)}}));
    // Invalid UTF-8 is not JSON: a -32700 with a null id, and the server reads on.
    lines.push_back(R"({"jsonrpc":"2.0","id":0,"method":"tools/call","params":{"name":")" + tool +
                    "\",\"arguments\":{\"query\":\"\xff\xfe\",\"model\":\"\xc3\"}}}\n");
  }
  lines.push_back(R"({"jsonrpc":"2.0","id":9999,"method":"ping"})" + std::string(1, '\0') +
                  "garbage\n");
  for (const auto& line : lines) {
    server.write(line);
  }
  // Lines that cannot be decoded are answered with a null id: the five invalid-UTF-8 lines and
  // the NUL line (-32700), and the five 10,000-deep lines (-32600).
  int replies = 0;
  int parse_errors = 0;
  while (replies < id - 5 || parse_errors < 11) {
    auto line = server.read_line(30s);
    REQUIRE_MESSAGE(line.has_value(), "after " << replies << " replies; stderr: "
                                               << server.stderr_text().substr(0, 2000));
    const Json reply = Json::parse(*line, nullptr, false);
    REQUIRE_FALSE(reply.is_discarded());
    if (reply.contains("id") && reply["id"].is_null()) {
      CHECK((reply["error"]["code"] == -32700 || reply["error"]["code"] == -32600));
      ++parse_errors;
      continue;
    }
    if (!reply.contains("id") || !reply["id"].is_number()) continue;
    ++replies;
    const bool is_error_result =
        reply.contains("result") && reply["result"].value("isError", false);
    CHECK_MESSAGE((is_error_result || reply.contains("error")), *line);
  }
  server.write(R"({"jsonrpc":"2.0","id":"alive","method":"ping"})"
               "\n");
  for (;;) {
    auto line = server.read_line(10s);
    REQUIRE(line.has_value());
    if (Json::parse(*line, nullptr, false).value("id", Json()) == "alive") break;
  }
  server.close_stdin();
  CHECK(server.wait(3s) == 0);
}

}  // namespace
}  // namespace lava_mcp
