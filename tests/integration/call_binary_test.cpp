// The installed binary running `call` against a fake gateway; secret hygiene with sentinel keys.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/fake_gateway.h"
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

struct Session {
  Session(const FakeGateway& gateway, const std::string& home, const std::string& log_level)
      : process({LAVA_MCP_INSTALLED_BIN, "--log-level", log_level},
                {{"LAVA_API_URL", gateway.origin()},
                 {"LAVA_SECRET_KEY", kSecretSentinel},
                 {"LAVA_MCP_HOME", home}}) {
    process.write(testing::initialize_line(0));
    REQUIRE(read().contains("result"));
  }
  Json read() {
    auto line = process.read_line(10s);
    REQUIRE_MESSAGE(line.has_value(), "stderr: " << process.stderr_text());
    stdout_text += *line + "\n";
    return Json::parse(*line);
  }
  Json call(int id, const Json& arguments) {
    process.write(testing::tool_call_line(id, "call", arguments));
    return read();
  }
  Subprocess process;
  std::string stdout_text;
};

TEST_CASE("binary call: the request reaches the gateway and the result comes back") {
  FakeGateway gateway;
  testing::TempDir home;
  Session session(gateway, home.path(), "warn");
  const Json reply = session.call(1, {{"url", "https://google.serper.dev/search"}, {"body", {{"q", "lava"}}}});
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
  session.call(1, {{"url", "https://api.example.com/echo"}, {"provider_key", kProviderSentinel},
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
    Subprocess process({LAVA_MCP_INSTALLED_BIN}, {{"LAVA_API_URL", gateway.origin()},
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
  Subprocess small({LAVA_MCP_INSTALLED_BIN, "--result-budget-tokens", "2000"},
                   {{"LAVA_API_URL", gateway.origin()},
                    {"LAVA_SECRET_KEY", kSecretSentinel},
                    {"LAVA_MCP_HOME", home.path()},
                    {"LAVA_MCP_RESULT_BUDGET_TOKENS", "50000"}});
  small.write(testing::initialize_line(0) + testing::tool_call_line(1, "call", big));
  REQUIRE(small.read_line(10s).has_value());
  const Json result = Json::parse(small.read_line(10s).value_or("{}"))["result"];
  CHECK(result["content"].dump().size() + result["structuredContent"].dump().size() <= 8000);
}

}  // namespace
}  // namespace lava_mcp
