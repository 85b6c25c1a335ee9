// The installed binary against fake Lava gateways that accept spend keys on /v1/forward, refuse
// them there, or refuse every credential, and that answer each of Lava's own refusals: which
// credential each route gets, the one fallback to a forward token, and errors naming who refused.
#include <doctest/doctest.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "integration/built_binaries.h"
#include "support/binary_session.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeGateway;
using Credentials = FakeGateway::Credentials;

constexpr const char* kSecret = "aks_live_ROUTESECRET0123456789";
constexpr const char* kSpend = "lava_sk_ROUTESPEND0123456789";

struct Session : testing::BinarySession {
  Session(const FakeGateway& gateway, const std::string& home, bool with_secret = true)
      : BinarySession({testing::installed_binary()},
                      {{"LAVA_API_URL", gateway.origin()},
                       {"LAVA_SECRET_KEY", with_secret ? kSecret : ""},
                       {"LAVA_SPEND_KEY", kSpend},
                       {"LAVA_MCP_HOME", home}}) {}
  Json tool(int id, const char* name, const Json& arguments) {
    return tool_call(id, name, arguments)["result"];
  }
};

// The fake gateway accepting `credentials`, the fake providers behind it, and a session on it
// with both keys.
struct Routes {
  explicit Routes(Credentials credentials = Credentials::kAll) { gateway.accept(credentials); }
  FakeGateway gateway;
  testing::FakeProviders providers{gateway};
  testing::TempDir home;
  Session session{gateway, home.path()};
};

Json hello(const std::string& model) {
  return {{"model", model}, {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}};
}

std::string text_of(const Json& result) { return result["content"][0]["text"]; }

bool failed(const Json& result) { return result.value("isError", false); }

bool is_spend_key(const testing::GatewayRequest& request) { return request.bearer == kSpend; }

TEST_CASE("binary routes: a gateway that takes spend keys on forward gets only the spend key") {
  Routes routes;
  const Json result = routes.session.tool(1, "prompt", hello("gpt-4o-mini"));
  REQUIRE_FALSE(failed(result));
  CHECK(result["structuredContent"]["routing"]["served_by"]["auth"] == "spend_key");
  REQUIRE(routes.gateway.requests().size() == 1);
  CHECK(is_spend_key(routes.gateway.requests()[0]));
}

TEST_CASE("binary routes: forward refusing spend keys costs one extra round trip, once") {
  Routes routes(Credentials::kNoSpendKeyOnForward);
  const Json first = routes.session.tool(1, "prompt", hello("gpt-4o-mini"));
  REQUIRE_MESSAGE(!failed(first), text_of(first));
  const Json& routing = first["structuredContent"]["routing"];
  CHECK(routing["served_by"]["auth"] == "forward_token");
  CHECK(routing["attempts"][0]["spend_key_refused"] == 401);
  auto requests = routes.gateway.requests();
  REQUIRE(requests.size() == 2);
  CHECK(is_spend_key(requests[0]));
  CHECK(requests[1].token["secret_key"] == kSecret);
  CHECK(requests[0].body == requests[1].body);  // the same attempt, once more

  const Json second = routes.session.tool(2, "prompt", hello("gpt-4o-mini"));  // remembered
  REQUIRE_FALSE(failed(second));
  requests = routes.gateway.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[2].token["secret_key"] == kSecret);

  // The unified endpoint (a model no prefix names) still gets the spend key.
  const Json unified = routes.session.tool(3, "prompt", hello("some-bare-model"));
  REQUIRE_MESSAGE(!failed(unified), text_of(unified));
  CHECK(unified["structuredContent"]["routing"]["served_by"]["auth"] == "spend_key");
  CHECK(is_spend_key(routes.gateway.requests().back()));
}

TEST_CASE("binary routes: a gateway refusing both credentials says Lava refused, and login") {
  Routes routes(Credentials::kNone);
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {{{"url", "api.mistral.ai/v1/chat/completions"}, {"model", "mistral-small"}}};
  const Json result = routes.session.tool(1, "prompt", args);
  CHECK(failed(result));
  const std::string text = text_of(result);
  CHECK(text.find("Lava refused the request (HTTP 401)") == 0);
  CHECK(text.find("call the login tool") != std::string::npos);
  CHECK(text.find("provider rejected") == std::string::npos);
  CHECK(routes.gateway.requests().size() ==
        2);  // spend key, token; the fallback would meet the same
  CHECK(routes.providers.seen().empty());

  // Next time forward still tries the spend key first: nothing was learnt from a double refusal.
  routes.session.tool(2, "prompt", hello("gpt-4o-mini"));
  REQUIRE(routes.gateway.requests().size() == 4);
  CHECK(is_spend_key(routes.gateway.requests()[2]));
}

TEST_CASE(
    "binary routes: balance and limits stop the chain, a model the key may not use does not") {
  Routes routes;
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {{{"url", "api.mistral.ai/v1/chat/completions"}, {"model", "mistral-small"}}};

  routes.gateway.refuse(402, R"({"error":"Insufficient balance"})");
  Json result = routes.session.tool(1, "prompt", args);
  CHECK(failed(result));
  CHECK(text_of(result).find("add funds") != std::string::npos);
  CHECK(routes.gateway.requests().size() == 1);  // no fallback, no token retry

  routes.gateway.refuse(403, R"({"error":"Service key spend limit exceeded."})");
  result = routes.session.tool(2, "prompt", args);
  CHECK(text_of(result).find("spend limit") != std::string::npos);
  CHECK(text_of(result).find("raise the limit") != std::string::npos);
  CHECK(routes.gateway.requests().size() ==
        2);  // the token would bypass the key's limit: not tried

  routes.gateway.refuse(429, R"({"error":"Too many requests"})", {{"Retry-After", "30"}});
  result = routes.session.tool(3, "prompt", args);
  CHECK(text_of(result).find("rate limit") != std::string::npos);
  CHECK(routes.gateway.requests().size() == 3);

  routes.gateway.refuse(403, R"({"error":"Model gpt-4o-mini is not allowed for this spend key"})");
  result = routes.session.tool(4, "prompt", args);
  CHECK(failed(result));  // the fake refuses every model
  const Json attempts =
      Json::parse(text_of(result).substr(text_of(result).find("attempts: ") + 10));
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0]["reason"] == "not allowed for the spend key");
  CHECK(attempts[0]["refused_by"] == "lava");
  CHECK(routes.gateway.requests().size() == 5);  // both attempts, each once, with the spend key
  CHECK(is_spend_key(routes.gateway.requests()[4]));

  routes.gateway.refuse(0, "");
  CHECK_FALSE(failed(routes.session.tool(5, "prompt", args)));
}

TEST_CASE("binary routes: a model the key may not use is answered with the models it may use") {
  Routes routes;
  std::vector<std::string> asked_with;
  std::mutex mutex;
  routes.gateway.routes().Get("/v1/models",
                              [&](const httplib::Request& req, httplib::Response& res) {
                                {
                                  std::lock_guard lock(mutex);
                                  asked_with.push_back(req.get_header_value("Authorization"));
                                }
                                res.set_content(R"({"object":"list","data":[
      {"id":"mistral-small-2506","object":"model","owned_by":"mistral"},
      {"id":"gpt-5-mini","object":"model","owned_by":"openai"}]})",
                                                "application/json");
                              });
  routes.gateway.refuse(403, R"({"error":"Model gpt-4o-mini is not allowed for this spend key"})");
  Json result = routes.session.tool(1, "prompt", hello("gpt-4o-mini"));
  CHECK(failed(result));
  CHECK(text_of(result).find("The key may use 2 models (GET /v1/models): mistral-small-2506, "
                             "gpt-5-mini") != std::string::npos);
  {
    std::lock_guard lock(mutex);
    REQUIRE(asked_with.size() == 1);
    CHECK(asked_with[0] == std::string("Bearer ") + kSpend);  // the key whose allow-list applies
  }

  // The list is kept: the next call notes an unlisted model before Lava answers, and a listed
  // one (by its undated alias) not; nothing is asked again.
  routes.gateway.refuse(0, "");
  Json args = hello("gpt-4o-mini");
  args["fallbacks"] = {{{"url", "api.mistral.ai/v1/chat/completions"}, {"model", "mistral-small"}}};
  routes.providers.push(testing::Provider::kOpenAI, testing::status_script(503));
  result = routes.session.tool(2, "prompt", args);
  REQUIRE_FALSE(failed(result));
  const Json& attempts = result["structuredContent"]["routing"]["attempts"];
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0]["notes"].dump().find(
            "gpt-4o-mini is not among the 2 models Lava lists for this key") != std::string::npos);
  CHECK_FALSE(attempts[1].contains("notes"));
  std::lock_guard lock(mutex);
  CHECK(asked_with.size() == 1);
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
