// The installed binary running `call` against a fake gateway; secret hygiene with sentinel keys.
#include <doctest/doctest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "integration/built_binaries.h"
#include "support/binary_session.h"
#include "support/fake_gateway.h"
#include "support/fake_lava.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeGateway;
using testing::Subprocess;
using namespace std::chrono_literals;

constexpr const char* kSecretSentinel = "aks_live_SENTINELSECRET0123456789";
constexpr const char* kProviderSentinel = "sk-SENTINELPROVIDERKEY0123456789";

struct Session : testing::BinarySession {
  Session(const FakeGateway& gateway, const std::string& home, const std::string& log_level)
      : BinarySession({testing::installed_binary(), "--log-level", log_level},
                      {{"LAVA_API_URL", gateway.origin()},
                       {"LAVA_SECRET_KEY", kSecretSentinel},
                       {"LAVA_MCP_HOME", home}}) {}
  Json call(int id, const Json& arguments) { return tool_call(id, "call", arguments); }
};

TEST_CASE("binary call: the request reaches the gateway and the result comes back") {
  FakeGateway gateway;
  testing::TempDir home;
  Session session(gateway, home.path(), "warn");
  const Json reply =
      session.call(1, {{"url", "https://google.serper.dev/search"}, {"body", {{"q", "lava"}}}});
  REQUIRE(reply["result"]["structuredContent"]["status"] == 200);
  const auto requests = gateway.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "https://google.serper.dev/search");
  CHECK(requests[0].token["secret_key"] == kSecretSentinel);
}

TEST_CASE("binary call: no sentinel key reaches stdout or stderr, even when echoed back") {
  FakeGateway gateway;  // echoes every header (Authorization included) and the decoded token
  testing::TempDir home;
  Session session(gateway, home.path(), "debug");
  session.call(1, {{"url", "https://api.example.com/echo"},
                   {"provider_key", kProviderSentinel},
                   {"headers", {{"X-Debug", kSecretSentinel}}}});
  session.call(2, {{"url", "https://api.example.com/echo"}, {"customer_id", "c"}});
  gateway.on_upstream([](const testing::GatewayRequest& request, httplib::Response& res) {
    res.status = 500;
    res.set_content("upstream failed for " + request.bearer + " " + kSecretSentinel, "text/plain");
  });
  session.call(3, {{"url", "https://api.example.com/fail"}});
  session.process.close_stdin();
  CHECK(session.process.wait(3s) == 0);
  REQUIRE(gateway.requests().size() == 2);
  CHECK(gateway.requests()[0].token["provider_key"] == kProviderSentinel);  // it did travel
  const std::string everything = session.stdout_text + session.process.stderr_text();
  CHECK(everything.find("SENTINELSECRET") == std::string::npos);
  CHECK(everything.find("SENTINELPROVIDERKEY") == std::string::npos);
  CHECK(everything.find(gateway.requests()[0].bearer) == std::string::npos);
  CHECK(session.stdout_text.find("aks_live_…6789") != std::string::npos);  // shown as a hint
}

TEST_CASE(
    "binary call: a 3 MiB body comes back once, within the result budget, as text and for Claude "
    "Code") {
  FakeGateway gateway;
  gateway.on_upstream([](const testing::GatewayRequest&, httplib::Response& res) {
    res.set_content(std::string(3u << 20, 'b'), "text/plain");
  });
  testing::TempDir home;
  const Json big = {{"url", "https://api.example.com/big"}, {"max_response_bytes", 4 << 20}};
  for (const std::string client : {"t", "claude-code"}) {
    Subprocess process({testing::installed_binary()}, {{"LAVA_API_URL", gateway.origin()},
                                                       {"LAVA_SECRET_KEY", kSecretSentinel},
                                                       {"LAVA_MCP_HOME", home.path()}});
    Json init = Json::parse(testing::initialize_line(0));
    init["params"]["clientInfo"]["name"] = client;
    process.write(init.dump() + "\n" + testing::tool_call_line(1, "call", big));
    REQUIRE(process.read_line(10s).has_value());
    const auto line = process.read_line(10s);
    REQUIRE(line.has_value());
    const Json result = Json::parse(*line)["result"];
    const std::size_t chars =
        result["content"].dump().size() + result["structuredContent"].dump().size();
    CHECK(chars <= 100000);
    const std::string body = std::string(1000, 'b');
    const bool in_text =
        result["content"][0]["text"].get<std::string>().find(body) != std::string::npos;
    const bool in_structured = result["structuredContent"].contains("body_text");
    CHECK(in_text != in_structured);  // once
    CHECK(in_structured == (client == "claude-code"));
    CHECK(result["structuredContent"]["truncated"] == true);
    CHECK(result["content"][0]["text"].get<std::string>().find("[cut: the body") !=
          std::string::npos);
  }

  // The budget is configurable: flag over environment.
  Subprocess small({testing::installed_binary(), "--result-budget-tokens", "2000"},
                   {{"LAVA_API_URL", gateway.origin()},
                    {"LAVA_SECRET_KEY", kSecretSentinel},
                    {"LAVA_MCP_HOME", home.path()},
                    {"LAVA_MCP_RESULT_BUDGET_TOKENS", "50000"}});
  small.write(testing::initialize_line(0) + testing::tool_call_line(1, "call", big));
  REQUIRE(small.read_line(10s).has_value());
  const Json result = Json::parse(small.read_line(10s).value_or("{}"))["result"];
  CHECK(result["content"].dump().size() + result["structuredContent"].dump().size() <= 8000);
}

// Every request line the fake's HTTP server parsed, whatever its route: a smuggled request would
// show up here even if no route took it. Lava's own API (/v1/spend_keys, ...) shares the origin.
struct ServerLog {
  explicit ServerLog(FakeGateway& gateway) : lava(gateway.routes(), gateway.origin()) {
    gateway.routes().set_logger([this](const httplib::Request& req, const httplib::Response&) {
      std::lock_guard lock(mutex);
      lines.push_back(req.method + " " + req.path);
    });
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mutex);
    return lines;
  }
  // httplib logs a request after it has written the response, so the client may read the answer
  // before the line is here: wait for `count` lines (up to 2 s), then what was seen.
  std::vector<std::string> seen_at_least(std::size_t count) {
    for (int i = 0; i < 200 && seen().size() < count; ++i) {
      std::this_thread::sleep_for(10ms);
    }
    return seen();
  }
  testing::FakeLava lava;
  std::mutex mutex;
  std::vector<std::string> lines;
};

std::string text_of(const Json& reply) { return reply.at("result").at("content").at(0).at("text"); }
bool is_error(const Json& reply) { return reply.at("result").value("isError", false); }

TEST_CASE(
    "binary call: a header with CR LF is refused naming it, and nothing reaches the gateway") {
  FakeGateway gateway;
  ServerLog log(gateway);
  testing::TempDir home;
  Session session(gateway, home.path(), "warn");
  const Json reply = session.call(
      1, {{"url", "https://api.example.com/echo"},
          {"headers", {{"X-A", "b\r\nAuthorization: Bearer attacker\r\nHost: evil.example"}}}});
  CHECK(is_error(reply));
  CHECK(text_of(reply).find("headers[\"X-A\"]: the value holds CR") == 0);
  CHECK(log.seen().empty());
  CHECK(gateway.requests().empty());
}

TEST_CASE(
    "binary call: a smuggled second request is never sent, and the next call gets its own answer") {
  FakeGateway gateway;
  ServerLog log(gateway);
  testing::TempDir home;
  Session session(gateway, home.path(), "warn");
  const std::string smuggled =
      "b\r\n\r\nPOST /v1/spend_keys HTTP/1.1\r\nHost: api.lava.so\r\nContent-Type: "
      "application/json\r\n"
      "Content-Length: 2\r\n\r\n{}";
  const Json refused = session.call(1, {{"url", "https://api.example.com/first"},
                                        {"method", "POST"},
                                        {"headers", {{"X-A", smuggled}}},
                                        {"body", {{"n", 1}}}});
  CHECK(is_error(refused));
  CHECK(text_of(refused).find("headers[\"X-A\"]") == 0);
  const Json next = session.call(2, {{"url", "https://api.example.com/second"}});
  REQUIRE(!is_error(next));
  CHECK(next["result"]["structuredContent"]["body"]["target"] == "https://api.example.com/second");
  CHECK(log.seen_at_least(1) == std::vector<std::string>{"GET /v1/forward"});
  CHECK(log.lava.last_spend_key_body().empty());
}

TEST_CASE("binary call: control characters in query and metadata are refused naming the field") {
  FakeGateway gateway;
  ServerLog log(gateway);
  testing::TempDir home;
  Session session(gateway, home.path(), "warn");
  const Json key =
      session.call(1, {{"url", "https://api.example.com/q"}, {"query", {{"a\r\nb", "1"}}}});
  CHECK(text_of(key).find("query[\"a\\r\\nb\"]: the key holds CR") == 0);
  const Json value =
      session.call(2, {{"url", "https://api.example.com/q"}, {"query", {{"a", "1\n2"}}}});
  CHECK(text_of(value).find("query[\"a\"]: the value holds LF") == 0);
  const Json metadata = session.call(
      3, {{"url", "https://api.example.com/q"}, {"metadata", {{"run", "x\r\nX-B: 1"}}}});
  CHECK(text_of(metadata).find("metadata[\"run\"]: the value holds CR") == 0);
  for (const Json& reply : {key, value, metadata}) {
    CHECK(is_error(reply));
  }
  CHECK(log.seen().empty());
}

TEST_CASE(
    "binary call: a rewrite path's dot segments are removed, and one that climbs out is refused") {
  FakeGateway gateway;
  ServerLog log(gateway);
  testing::TempDir home;
  Session session(gateway, home.path(), "warn");
  const Json body = {{"model", "m"}, {"messages", Json::array()}};
  int id = 0;  // one id per call: a reply goes out just before its id is released
  for (const char* escape :
       {"https://t/../../../../v1/spend_keys", "https://t/%2e%2e/%2e%2e/%2e%2e/v1/spend_keys",
        "https://t/..%2f..%2f..%2f..%2fv1/spend_keys"}) {
    const Json reply = session.call(++id, {{"url", escape}, {"format", "openai"}, {"body", body}});
    CHECK_MESSAGE(is_error(reply), escape);
    CHECK(text_of(reply).find("url: the path") == 0);
  }
  CHECK(log.seen().empty());
  const Json kept = session.call(
      ++id, {{"url", "https://t/v1/a/./../chat"}, {"format", "openai"}, {"body", body}});
  REQUIRE(!is_error(kept));
  CHECK(log.seen_at_least(1) == std::vector<std::string>{"POST /v1/rewrite/openai/t/v1/chat"});
  CHECK(log.lava.last_spend_key_body().empty());
}

}  // namespace
}  // namespace lava_mcp
