#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "base/base64.h"
#include "gateway/curl_http_client.h"
#include "gateway/lava_api.h"
#include "server.h"
#include "support/fake_gateway.h"
#include "support/fake_transport.h"
#include "support/null_context.h"
#include "support/test_services.h"
#include "tools/all_tools.h"
#include "tools/http_body.h"
#include "tools/result_budget.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

using testing::FakeGateway;
using testing::GatewayRequest;
using namespace std::chrono_literals;

using testing::Env;
constexpr const char* kSecret = "aks_live_CALLTESTSECRET0001";

struct CallFixture {
  explicit CallFixture(Env env = {})
      : services(testing::merged({{"LAVA_API_URL", gateway.origin()}, {"LAVA_SECRET_KEY", kSecret}},
                                 env)) {
    register_call(registry, services.deps());
  }
  ToolResult run(const Json& args, const std::string& version = "2025-11-25",
                 const std::string& client = "") {
    testing::NullContext context(version);
    context.set_client_name(client);
    ToolResult result = run_tool(*registry.find("call"), args, context);
    if (!result.structured.is_null()) {
      const auto violation = validate_against_schema(schema("call.output.json"), result.structured);
      CHECK_MESSAGE(!violation, violation->message);
    }
    return result;
  }
  GatewayRequest last() {
    auto all = gateway.requests();
    REQUIRE_FALSE(all.empty());
    return all.back();
  }
  static std::string text(const ToolResult& result) { return result.content[0]["text"]; }

  FakeGateway gateway;
  testing::TestServices services;
  ToolRegistry registry;
};

TEST_CASE("call: GET through the forward endpoint with a minted token and filtered headers") {
  CallFixture f;
  f.gateway.on_upstream([](const GatewayRequest& request, httplib::Response& res) {
    res.set_header("x-lava-request-id", "req_42");
    res.set_header("x-ratelimit-remaining", "9");
    res.set_header("x-other", "hidden");
    res.set_content(FakeGateway::echo(request).dump(), "application/json");
  });
  const ToolResult result = f.run({{"url", "https://api.example.com/v1/items?a=1"},
                                   {"query", {{"q", "two words"}, {"n", 3}, {"flag", true}}},
                                   {"headers",
                                    {{"Accept", "application/json"},
                                     {"Authorization", "Bearer mine"},
                                     {"X-API-Key", "k"},
                                     {"x-goog-api-key", "g"},
                                     {"Connection", "close"}}}});
  REQUIRE_FALSE(result.is_error);
  const GatewayRequest request = f.last();
  CHECK(request.method == "GET");
  CHECK(request.path == "/v1/forward");
  CHECK(request.target == "https://api.example.com/v1/items?a=1&flag=true&n=3&q=two%20words");
  CHECK(request.token == Json{{"secret_key", kSecret}});
  CHECK(request.headers.count("X-API-Key") == 0);
  CHECK(request.headers.count("x-goog-api-key") == 0);
  CHECK(request.header("Accept") == "application/json");
  CHECK(request.body.empty());
  const Json& out = result.structured;
  CHECK(out["status"] == 200);
  CHECK(out["request_id"] == "req_42");
  CHECK(out["headers"]["x-ratelimit-remaining"] == "9");
  CHECK_FALSE(out["headers"].contains("x-other"));
  CHECK(out["body"]["method"] == "GET");
  CHECK(out["truncated"] == false);
  const std::string text = CallFixture::text(result);
  CHECK(text.find("HTTP 200") == 0);
  CHECK(text.find("Authorization") != std::string::npos);  // named among the dropped headers
}

TEST_CASE("call: bodies, methods and content types") {
  CallFixture f;
  const ToolResult json_body = f.run({{"url", "https://api.example.com/x"}, {"body", {{"k", 1}}}});
  REQUIRE_FALSE(json_body.is_error);
  CHECK(f.last().method == "POST");
  CHECK(f.last().body == R"({"k":1})");
  CHECK(f.last().header("Content-Type") == "application/json");

  f.run({{"url", "https://api.example.com/x"},
         {"method", "PUT"},
         {"body", "raw text"},
         {"headers", {{"Content-Type", "text/csv"}}}});
  CHECK(f.last().method == "PUT");
  CHECK(f.last().body == "raw text");
  CHECK(f.last().header("Content-Type") == "text/csv");

  f.run({{"url", "https://api.example.com/x"}, {"method", "DELETE"}});
  CHECK(f.last().method == "DELETE");
  const ToolResult head = f.run({{"url", "https://api.example.com/x"}, {"method", "HEAD"}});
  CHECK_FALSE(head.is_error);
  CHECK(f.last().method == "HEAD");
}

TEST_CASE("call: format uses the rewrite endpoint - metadata becomes x-lava-metadata") {
  CallFixture f;
  f.run({{"url", "https://api.anthropic.com/v1/messages"},
         {"format", "openai"},
         {"body", {{"model", "claude-x"}}},
         {"metadata", {{"run_id", "r1"}, {"team", "core"}}}});
  const GatewayRequest request = f.last();
  CHECK(request.path == "/v1/rewrite/openai/api.anthropic.com/v1/messages");
  CHECK(request.format == "openai");
  CHECK(Json::parse(request.header("x-lava-metadata")) == Json{{"run_id", "r1"}, {"team", "core"}});
  const ToolResult bad = f.run({{"url", "https://x.com/"}, {"metadata", {{"bad key!", "v"}}}});
  CHECK(bad.is_error);
  CHECK(CallFixture::text(bad).find("bad key!") != std::string::npos);
}

TEST_CASE("call: billing fields go into the token, and their rules are input errors") {
  CallFixture f;
  const ToolResult ok = f.run({{"url", "https://x.com/"},
                               {"customer_id", "cus_1"},
                               {"meter_slug", "m"},
                               {"disable_billing", true},
                               {"provider_key", "sk-own-provider-key"}});
  REQUIRE_FALSE(ok.is_error);
  CHECK(f.last().token == Json{{"secret_key", kSecret},
                               {"customer_id", "cus_1"},
                               {"meter_slug", "m"},
                               {"provider_key", "sk-own-provider-key"},
                               {"disable_billing", true}});
  const auto requests_before = f.gateway.requests().size();
  const ToolResult no_meter = f.run({{"url", "https://x.com/"}, {"customer_id", "cus_1"}});
  CHECK(no_meter.is_error);
  CHECK(CallFixture::text(no_meter).find("meter_slug") != std::string::npos);
  CHECK(f.run({{"url", "https://x.com/"}, {"disable_billing", true}}).is_error);
  CHECK(f.gateway.requests().size() == requests_before);  // refused before any request
}

TEST_CASE("call: spend key as bearer - no credentials is a clear isError") {
  CallFixture spend(Env{{"LAVA_SECRET_KEY", ""}, {"LAVA_SPEND_KEY", "lava_sk_SPENDKEY0001"}});
  REQUIRE_FALSE(spend.run({{"url", "https://x.com/"}}).is_error);
  CHECK(spend.last().bearer == "lava_sk_SPENDKEY0001");
  CHECK(spend.run({{"url", "https://x.com/"}, {"meter_slug", "m"}}).is_error);

  CallFixture none(Env{{"LAVA_SECRET_KEY", ""}});
  const ToolResult result = none.run({{"url", "https://x.com/"}});
  CHECK(result.is_error);
  CHECK(CallFixture::text(result).find("login") != std::string::npos);
}

TEST_CASE("call: text, binary, image and audio bodies") {
  CallFixture f;
  std::string kind;
  f.gateway.on_upstream([&kind](const GatewayRequest&, httplib::Response& res) {
    if (kind == "text") res.set_content("hello", "text/plain; charset=utf-8");
    if (kind == "png") res.set_content(std::string("\x89PNG\r\n\x1a\n\0\x01", 10), "image/png");
    if (kind == "mp3") res.set_content(std::string("ID3\x03\0\0", 6), "audio/mpeg");
    if (kind == "bin") res.set_content(std::string("\0\xff\xfe", 3), "application/octet-stream");
  });
  kind = "text";
  ToolResult text = f.run({{"url", "https://x.com/"}});
  CHECK(text.structured["body_text"] == "hello");
  CHECK(text.structured["content_type"] == "text/plain; charset=utf-8");
  kind = "png";
  ToolResult png = f.run({{"url", "https://x.com/"}});
  CHECK(*base64_decode(png.structured["body_base64"].get<std::string>()) ==
        std::string("\x89PNG\r\n\x1a\n\0\x01", 10));
  REQUIRE(png.content.size() == 2);
  CHECK(png.content[1]["type"] == "image");
  CHECK(png.content[1]["mimeType"] == "image/png");
  kind = "mp3";
  CHECK(f.run({{"url", "https://x.com/"}}).content[1]["type"] == "audio");
  CHECK(f.run({{"url", "https://x.com/"}}, "2024-11-05").content.size() ==
        1);  // no audio blocks yet
  kind = "bin";
  ToolResult bin = f.run({{"url", "https://x.com/"}});
  CHECK(bin.structured["body_base64"] == "AP/+");
  CHECK(bin.content.size() == 1);
  CHECK(bin.structured["bytes"] == 3);
}

TEST_CASE("call: an error status is isError and still carries the body") {
  CallFixture f;
  f.gateway.on_upstream([](const GatewayRequest&, httplib::Response& res) {
    res.status = 429;
    res.set_header("retry-after", "7");
    res.set_content(R"({"error":{"message":"slow down"}})", "application/json");
  });
  const ToolResult result = f.run({{"url", "https://x.com/"}});
  CHECK(result.is_error);
  CHECK(result.structured["status"] == 429);
  CHECK(result.structured["body"]["error"]["message"] == "slow down");
  CHECK(result.structured["headers"]["retry-after"] == "7");
  CHECK(CallFixture::text(result).find("Rate limited") != std::string::npos);
}

TEST_CASE("call: max_response_bytes truncates the response and says so") {
  CallFixture f;
  f.gateway.on_upstream([](const GatewayRequest&, httplib::Response& res) {
    res.set_content(std::string(300000, 'a'), "text/plain");
  });
  const ToolResult small = f.run({{"url", "https://x.com/"}, {"max_response_bytes", 100}});
  CHECK(small.structured["truncated"] == true);
  CHECK(small.structured["bytes"] == 100);
  CHECK(small.structured["body_text"] == std::string(100, 'a'));  // small: on both sides
  CHECK(CallFixture::text(small).find(std::string(100, 'a')) != std::string::npos);
}

// A text body of `size` characters from the fake upstream.
ToolResult call_with_body(CallFixture& f, std::size_t size, const std::string& client = "") {
  f.gateway.on_upstream([size](const GatewayRequest&, httplib::Response& res) {
    res.set_content(std::string(size, 'a'), "text/plain");
  });
  return f.run({{"url", "https://x.com/big"}, {"max_response_bytes", 4 << 20}}, "2025-11-25",
               client);
}

std::size_t count_of(const std::string& text, char c) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), c));
}

TEST_CASE(
    "call: a body over the result budget is carried once, cut, and says how to get the rest") {
  CallFixture f;
  const std::size_t budget = gateway::kDefaultResultBudgetTokens * kCharsPerToken;
  const ToolResult big = call_with_body(f, 3u << 20);  // the issue's 3 MiB text body
  CHECK(result_chars(big) <= budget);
  CHECK(result_chars(big) > budget - 2000);  // the room is used, not thrown away
  CHECK_FALSE(big.structured.contains("body_text"));
  CHECK(big.structured["payload_in"] == "content");
  CHECK(big.structured["truncated"] == true);
  const std::string text = CallFixture::text(big);
  CHECK(text.find("[cut: the body is 3145728 characters") != std::string::npos);
  CHECK(text.find("Range") != std::string::npos);

  // Claude Code hands its model structuredContent alone: the body goes there, once.
  const ToolResult for_claude_code = call_with_body(f, 3u << 20, "claude-code");
  CHECK(result_chars(for_claude_code) <= budget);
  CHECK(count_of(CallFixture::text(for_claude_code), 'a') < 100);
  CHECK(for_claude_code.structured["body_text"].get<std::string>().size() > budget - 4000);
  CHECK(CallFixture::text(for_claude_code).find("[cut: the body") != std::string::npos);
}

TEST_CASE("call: an error body over the budget goes in the text, for Claude Code too") {
  CallFixture f;
  const std::size_t budget = gateway::kDefaultResultBudgetTokens * kCharsPerToken;
  f.gateway.on_upstream([](const GatewayRequest&, httplib::Response& res) {
    res.status = 500;
    res.set_content(std::string(3u << 20, 'e'), "text/plain");
  });
  const ToolResult failed = f.run({{"url", "https://x.com/big"}, {"max_response_bytes", 4 << 20}},
                                  "2025-11-25", "claude-code");
  CHECK(failed.is_error);
  CHECK(result_chars(failed) <= budget);
  CHECK(count_of(CallFixture::text(failed), 'e') > budget - 4000);  // where its model reads it
  CHECK_FALSE(failed.structured.contains("body_text"));             // once
}

TEST_CASE("call: at the edge of the budget a body is whole on one side, and small ones on both") {
  CallFixture f;
  const std::size_t budget = gateway::kDefaultResultBudgetTokens * kCharsPerToken;
  const ToolResult fits = call_with_body(f, budget - 1000);
  CHECK(result_chars(fits) <= budget);
  CHECK(fits.structured["truncated"] == false);
  CHECK(count_of(CallFixture::text(fits), 'a') >= budget - 1000);
  CHECK_FALSE(fits.structured.contains("body_text"));

  const ToolResult over = call_with_body(f, budget);
  CHECK(result_chars(over) <= budget);
  CHECK(over.structured["truncated"] == true);

  const ToolResult quarter =
      call_with_body(f, budget / 4 - 100);  // carried twice: every host sees it
  CHECK(quarter.structured["body_text"].get<std::string>().size() == budget / 4 - 100);
  CHECK(count_of(CallFixture::text(quarter), 'a') >= budget / 4 - 100);

  CallFixture configured(Env{{"LAVA_MCP_RESULT_BUDGET_TOKENS", "2000"}});
  CHECK(result_chars(call_with_body(configured, 20000)) <= 8000);
}

TEST_CASE("call: network failures and timeouts are isError with what to do") {
  CallFixture refused(
      Env{{"LAVA_API_URL", "http://127.0.0.1:" + std::to_string(testing::refused_port())}});
  const ToolResult result = refused.run({{"url", "https://x.com/"}});
  CHECK(result.is_error);
  CHECK(CallFixture::text(result).find("could not connect") != std::string::npos);

  CallFixture slow;
  slow.gateway.on_upstream([](const GatewayRequest&, httplib::Response& res) {
    std::this_thread::sleep_for(1500ms);
    res.set_content("late", "text/plain");
  });
  const ToolResult timed_out = slow.run({{"url", "https://x.com/"}, {"timeout_ms", 200}});
  CHECK(timed_out.is_error);
  CHECK(CallFixture::text(timed_out).find("200 ms") != std::string::npos);
}

TEST_CASE("call: bad arguments are isError naming the field") {
  CallFixture f;
  for (const Json& bad : {Json{{"url", "http://plain.example.com/"}}, Json::object(),
                          Json{{"url", "https://x.com/"}, {"method", "TRACE"}},
                          Json{{"url", "https://x.com/"}, {"headers", {{"a", 1}}}},
                          Json{{"url", "https://x.com/"}, {"format", "xml"}}}) {
    const ToolResult result = f.run(bad);
    CHECK(result.is_error);
    CHECK(CallFixture::text(result).find("Invalid arguments") == 0);
  }
  CHECK(f.gateway.requests().empty());
}

// Without shutdown(), which would cancel the call itself: the cancel alone must abort the
// transfer (the upstream sees its client leave) and suppress the reply.
TEST_CASE("call: cancellation through the server aborts the request and sends no reply") {
  CallFixture f;
  std::atomic<bool> client_left{false};
  std::atomic<bool> answer_done{false};
  // 30 bytes, one every 20 ms: the answer takes 600 ms unless the client goes away.
  const auto trickle = [&](std::size_t offset, httplib::DataSink& sink) {
    if (offset >= 30) {
      answer_done = true;
      sink.done();
      return true;
    }
    std::this_thread::sleep_for(20ms);
    if (!sink.is_writable() || !sink.write("x", 1)) {
      client_left = true;
      return false;
    }
    return true;
  };
  f.gateway.on_upstream([&](const GatewayRequest&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", trickle);
  });
  testing::FakeTransport fake;
  Server server(fake, f.registry, ServerOptions{});
  fake.initialize(server);
  const Json id = fake.request(server, "tools/call",
                               {{"name", "call"}, {"arguments", {{"url", "https://x.com/"}}}});
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (f.gateway.requests().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  server.on_notification("notifications/cancelled", {{"requestId", id}});
  CHECK_FALSE(fake.await_reply(id, 1200ms).has_value());  // twice the answer's 600 ms
  CHECK(client_left);
  CHECK_FALSE(answer_done);
}

}  // namespace
}  // namespace lava_mcp::tools

namespace lava_mcp::tools {
namespace {

TEST_CASE(
    "call: CR, LF and control characters in headers, query and metadata are input errors naming "
    "the field") {
  CallFixture f;
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"headers", {{"X-A", "b\r\nAuthorization: Bearer attacker\r\nHost: evil.example"}}}},
       "headers[\"X-A\"]: the value holds CR (byte 2)"},
      {{{"headers", {{"X-A", "b\nc"}}}}, "headers[\"X-A\"]: the value holds LF (byte 2)"},
      {{{"headers", {{"X-A", std::string("b\0c", 3)}}}}, "headers[\"X-A\"]: the value holds NUL"},
      {{{"headers", {{"X-A", "b\x7f"}}}}, "headers[\"X-A\"]: the value holds DEL"},
      {{{"headers", {{"X-A\r\nHost", "evil"}}}}, "headers[\"X-A\\r\\nHost\"]: the name holds CR"},
      {{{"headers", {{"X A", "v"}}}}, "headers[\"X A\"]: the name holds a space"},
      {{{"headers", {{"", "v"}}}}, "headers[\"\"]: the name is empty"},
      // Even a header the tool drops is refused: the input is an attack, not a mistake.
      {{{"headers", {{"Authorization", "Bearer x\r\nX: y"}}}},
       "headers[\"Authorization\"]: the value holds CR"},
      {{{"query", {{"q\r\n", "v"}}}}, "query[\"q\\r\\n\"]: the key holds CR"},
      {{{"query", {{"q", "v\r\n\r\nGET / HTTP/1.1"}}}}, "query[\"q\"]: the value holds CR"},
      {{{"metadata", {{"run", "r\r\nX-Injected: 1"}}}}, "metadata[\"run\"]: the value holds CR"},
      {{{"metadata", {{"run", "r\x7f"}}}}, "metadata[\"run\"]: the value holds DEL"},
  };
  for (const auto& [extra, message] : cases) {
    Json args = extra;
    args["url"] = "https://api.example.com/v1/x";
    const ToolResult result = f.run(args);
    CHECK_MESSAGE(result.is_error, message);
    CHECK_MESSAGE(CallFixture::text(result).find(message) == 0, CallFixture::text(result));
    CHECK(CallFixture::text(result).find("attacker") == std::string::npos);
  }
  CHECK(f.gateway.requests().empty());
  const ToolResult tab =
      f.run({{"url", "https://api.example.com/v1/x"}, {"headers", {{"X-Tab", "a\tb"}}}});
  CHECK_FALSE(tab.is_error);
  CHECK(f.last().header("X-Tab") == "a\tb");
}

TEST_CASE(
    "call: dot segments are removed before the gateway path is built - an escape is refused") {
  CallFixture f;
  REQUIRE_FALSE(f.run({{"url", "https://api.example.com/v1/a/../b/./c"},
                       {"format", "openai"},
                       {"body", {{"model", "m"}}}})
                    .is_error);
  CHECK(f.last().path == "/v1/rewrite/openai/api.example.com/v1/b/c");
  REQUIRE_FALSE(f.run({{"url", "https://api.example.com/v1/%2e%2E/x y"}}).is_error);
  CHECK(f.last().target == "https://api.example.com/x%20y");
  const std::size_t sent = f.gateway.requests().size();
  for (const char* escape :
       {"https://t/../../../../v1/spend_keys", "https://t/%2e%2e/%2E%2E/v1/spend_keys",
        "https://t/a/../../v1/spend_keys"}) {
    for (const char* format : {"openai", ""}) {
      Json args = {{"url", escape}, {"body", {{"model", "m"}}}};
      if (*format != '\0') {
        args["format"] = format;
      }
      const ToolResult result = f.run(args);
      CHECK_MESSAGE(result.is_error, escape);
      CHECK(CallFixture::text(result).find("url: the path climbs above the host's root") == 0);
    }
  }
  const ToolResult hidden = f.run({{"url", "https://t/..%2f..%2f..%2fv1/spend_keys"},
                                   {"format", "openai"},
                                   {"body", {{"model", "m"}}}});
  CHECK(CallFixture::text(hidden).find("url: the path hides") == 0);
  const ToolResult host = f.run({{"url", "https://../v1/spend_keys"}, {"format", "openai"}});
  CHECK(host.is_error);
  CHECK(f.gateway.requests().size() == sent);
}

}  // namespace
}  // namespace lava_mcp::tools
