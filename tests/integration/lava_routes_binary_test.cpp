// The installed binary against fake Lava gateways that accept spend keys on /v1/forward, refuse
// them there, or refuse every credential, and that answer each of Lava's own refusals: which
// credential each route gets, the one fallback to a forward token, and errors naming who refused.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeGateway;
using testing::Subprocess;
using Credentials = FakeGateway::Credentials;
using namespace std::chrono_literals;

constexpr const char* kSecret = "aks_live_ROUTESECRET0123456789";
constexpr const char* kSpend = "lava_sk_ROUTESPEND0123456789";

struct Session {
  Session(const FakeGateway& gateway, const std::string& home, bool with_secret = true)
      : process({LAVA_MCP_INSTALLED_BIN}, {{"LAVA_API_URL", gateway.origin()},
                                           {"LAVA_SECRET_KEY", with_secret ? kSecret : ""},
                                           {"LAVA_SPEND_KEY", kSpend},
                                           {"LAVA_MCP_HOME", home}}) {
    process.write(testing::initialize_line(0));
    REQUIRE(read().contains("result"));
  }
  Json read() {
    auto line = process.read_line(10s);
    REQUIRE_MESSAGE(line.has_value(), "stderr: " << process.stderr_text());
    return Json::parse(*line);
  }
  Json tool(int id, const char* name, const Json& arguments) {
    process.write(testing::tool_call_line(id, name, arguments));
    return read()["result"];
  }
  Subprocess process;
};

Json hello(const std::string& model) {
  return {{"model", model}, {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}};
}

std::string text_of(const Json& result) { return result["content"][0]["text"]; }

bool failed(const Json& result) { return result.value("isError", false); }

bool is_spend_key(const testing::GatewayRequest& request) { return request.bearer == kSpend; }

TEST_CASE("binary routes: a gateway that takes spend keys on forward gets only the spend key") {
  FakeGateway gateway;
  testing::FakeProviders providers(gateway);
  testing::TempDir home;
  Session session(gateway, home.path());
  const Json result = session.tool(1, "prompt", hello("gpt-4o-mini"));
  REQUIRE_FALSE(failed(result));
  CHECK(result["structuredContent"]["routing"]["served_by"]["auth"] == "spend_key");
  REQUIRE(gateway.requests().size() == 1);
  CHECK(is_spend_key(gateway.requests()[0]));
}

TEST_CASE("binary routes: forward refusing spend keys costs one extra round trip, once") {
  FakeGateway gateway;
  gateway.accept(Credentials::kNoSpendKeyOnForward);
  testing::FakeProviders providers(gateway);
  testing::TempDir home;
  Session session(gateway, home.path());
  const Json first = session.tool(1, "prompt", hello("gpt-4o-mini"));
  REQUIRE_MESSAGE(!failed(first), text_of(first));
  const Json& routing = first["structuredContent"]["routing"];
  CHECK(routing["served_by"]["auth"] == "forward_token");
  CHECK(routing["attempts"][0]["spend_key_refused"] == 401);
  auto requests = gateway.requests();
  REQUIRE(requests.size() == 2);
  CHECK(is_spend_key(requests[0]));
  CHECK(requests[1].token["secret_key"] == kSecret);
  CHECK(requests[0].body == requests[1].body);  // the same attempt, once more

  const Json second = session.tool(2, "prompt", hello("gpt-4o-mini"));  // remembered
  REQUIRE_FALSE(failed(second));
  requests = gateway.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[2].token["secret_key"] == kSecret);

  // The unified endpoint (a model no prefix names) still gets the spend key.
  const Json unified = session.tool(3, "prompt", hello("some-bare-model"));
  REQUIRE_MESSAGE(!failed(unified), text_of(unified));
  CHECK(unified["structuredContent"]["routing"]["served_by"]["auth"] == "spend_key");
  CHECK(is_spend_key(gateway.requests().back()));
}

TEST_CASE("binary routes: a gateway refusing both credentials says Lava refused, and login") {
  FakeGateway gateway;
  gateway.accept(Credentials::kNone);
  testing::FakeProviders providers(gateway);
  testing::TempDir home;
  Session session(gateway, home.path());
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {{{"url", "api.mistral.ai/v1/chat/completions"}, {"model", "mistral-small"}}};
  const Json result = session.tool(1, "prompt", args);
  CHECK(failed(result));
  const std::string text = text_of(result);
  CHECK(text.find("Lava refused the request (HTTP 401)") == 0);
  CHECK(text.find("call the login tool") != std::string::npos);
  CHECK(text.find("provider rejected") == std::string::npos);
  CHECK(gateway.requests().size() == 2);  // spend key, token; the fallback would meet the same
  CHECK(providers.seen().empty());

  // Next time forward still tries the spend key first: nothing was learnt from a double refusal.
  session.tool(2, "prompt", hello("gpt-4o-mini"));
  REQUIRE(gateway.requests().size() == 4);
  CHECK(is_spend_key(gateway.requests()[2]));
}

TEST_CASE(
    "binary routes: balance and limits stop the chain, a model the key may not use does not") {
  FakeGateway gateway;
  testing::FakeProviders providers(gateway);
  testing::TempDir home;
  Session session(gateway, home.path());
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {{{"url", "api.mistral.ai/v1/chat/completions"}, {"model", "mistral-small"}}};

  gateway.refuse(402, R"({"error":"Insufficient balance"})");
  Json result = session.tool(1, "prompt", args);
  CHECK(failed(result));
  CHECK(text_of(result).find("add funds") != std::string::npos);
  CHECK(gateway.requests().size() == 1);  // no fallback, no token retry

  gateway.refuse(403, R"({"error":"Service key spend limit exceeded."})");
  result = session.tool(2, "prompt", args);
  CHECK(text_of(result).find("spend limit") != std::string::npos);
  CHECK(text_of(result).find("raise the limit") != std::string::npos);
  CHECK(gateway.requests().size() == 2);  // the token would bypass the key's limit: not tried

  gateway.refuse(429, R"({"error":"Too many requests"})", {{"Retry-After", "30"}});
  result = session.tool(3, "prompt", args);
  CHECK(text_of(result).find("rate limit") != std::string::npos);
  CHECK(gateway.requests().size() == 3);

  gateway.refuse(403, R"({"error":"Model gpt-4o-mini is not allowed for this spend key"})");
  result = session.tool(4, "prompt", args);
  CHECK(failed(result));  // the fake refuses every model
  const Json attempts =
      Json::parse(text_of(result).substr(text_of(result).find("attempts: ") + 10));
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0]["reason"] == "not allowed for the spend key");
  CHECK(attempts[0]["refused_by"] == "lava");
  CHECK(gateway.requests().size() == 5);  // both attempts, each once, with the spend key
  CHECK(is_spend_key(gateway.requests()[4]));

  gateway.refuse(0, "");
  CHECK_FALSE(failed(session.tool(5, "prompt", args)));
}

TEST_CASE("binary routes: the provider's own 401 is the provider's, not Lava's") {
  FakeGateway gateway;
  testing::FakeProviders providers(gateway);
  providers.push(
      testing::Provider::kOpenAI,
      testing::status_script(
          401,
          R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}})"));
  testing::TempDir home;
  Session session(gateway, home.path(), false);  // a spend key alone: no token to fall back to
  const Json result = session.tool(1, "prompt", hello("gpt-4o-mini"));
  CHECK(failed(result));
  CHECK(text_of(result).find("The provider rejected the request (HTTP 401)") == 0);
  CHECK(gateway.requests().size() == 1);
}

TEST_CASE(
    "binary routes: call with only a spend key that forward refuses says a secret key is needed") {
  FakeGateway gateway;
  gateway.accept(Credentials::kNoSpendKeyOnForward);
  testing::TempDir home;
  Session session(gateway, home.path(), false);
  const Json result = session.tool(
      1, "call", {{"url", "https://google.serper.dev/search"}, {"body", {{"q", "lava"}}}});
  CHECK(failed(result));
  const std::string text = text_of(result);
  CHECK(text.find("Lava refused the request (HTTP 401)") != std::string::npos);
  CHECK(text.find("Only a spend key is configured") != std::string::npos);
  CHECK(text.find("LAVA_SECRET_KEY") != std::string::npos);
  REQUIRE(gateway.requests().size() == 1);
  CHECK(is_spend_key(gateway.requests()[0]));

  gateway.refuse(402, R"({"error":"Insufficient balance"})");
  gateway.accept(Credentials::kAll);
  const Json broke = session.tool(2, "call", {{"url", "https://google.serper.dev/search"}});
  CHECK(text_of(broke).find("add funds") != std::string::npos);
}

}  // namespace
}  // namespace lava_mcp
