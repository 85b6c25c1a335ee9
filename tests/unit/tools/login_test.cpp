#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "gateway/curl_http_client.h"
#include "gateway/login_flow.h"
#include "platform/crypto.h"
#include "support/fake_lava.h"
#include "support/null_context.h"
#include "support/test_services.h"
#include "tools/all_tools.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

using testing::Env;
using testing::FakeLava;
using namespace std::chrono_literals;

struct LoginFixture {
  explicit LoginFixture(Env extra = {},
                        std::chrono::milliseconds lifetime = gateway::kLoginLifetime,
                        std::string listen_host = "127.0.0.1")
      : services(testing::merged({{"LAVA_API_URL", lava.origin()},
                                  {"LAVA_APP_URL", lava.origin()},
                                  {"BROWSER", LAVA_MCP_FOLLOW_URL}},
                                 extra),
                 lifetime, std::move(listen_host)) {
    services.env["LAVA_MCP_HOME"] = services.home.path() + "/home";
    register_login(registry, services.deps());
  }
  ToolResult run(const Json& args, testing::NullContext& context) {
    ToolResult result = run_tool(*registry.find("login"), args, context);
    if (!result.is_error) {
      const auto violation =
          validate_against_schema(schema("login.output.json"), result.structured);
      CHECK_MESSAGE(!violation, violation->message);
    }
    return result;
  }
  ToolResult run(const Json& args = Json::object()) {
    testing::NullContext context;
    return run(args, context);
  }
  std::string file() const { return services.home.path() + "/home/credentials.json"; }
  bool file_exists() const { return std::filesystem::exists(file()); }
  Json stored() const {
    std::ifstream in(file());
    return Json::parse(in);
  }
  static std::string text(const ToolResult& r) { return r.content[0]["text"]; }

  FakeLava lava;
  testing::TestServices services;
  ToolRegistry registry;
};

// Follows a login URL as a browser would, from another thread.
void click(const std::string& url) {
  std::thread([url] { std::system(("'" LAVA_MCP_FOLLOW_URL "' '" + url + "'").c_str()); }).detach();
}

TEST_CASE("login: the whole flow stores credentials 0600 and answers with hints only") {
  LoginFixture f;
  testing::NullContext context;
  const ToolResult result = f.run({{"wait_seconds", 20}}, context);
  REQUIRE_MESSAGE(!result.is_error, LoginFixture::text(result));
  CHECK(result.structured["status"] == "authenticated");
  CHECK(result.structured["api_url"] == f.lava.origin());
  CHECK(result.structured["account"]["merchant_id"] == "mer_1");
  CHECK(result.structured["account"]["secret_key_hint"] == "aks_test_…0123");
  CHECK(result.structured["account"]["spend_key_preview"] == "lava_sk_FAKE****");
  const std::string everything = result.structured.dump() + LoginFixture::text(result);
  CHECK(everything.find(FakeLava::kSecretKey) == std::string::npos);
  CHECK(everything.find(FakeLava::kSpendKey) == std::string::npos);
  const Json stored = f.stored();
  CHECK(stored["secret_key"] == FakeLava::kSecretKey);
  CHECK(stored["spend_key"] == FakeLava::kSpendKey);
  CHECK(stored["spend_key_id"] == "spk_1");
  CHECK(stored["wallet_id"] == "wal_1");
  CHECK(stored["api_url"] == f.lava.origin());
  struct stat info {};
  REQUIRE(::stat(f.file().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  const Json spend_request = Json::parse(f.lava.last_spend_key_body());
  CHECK(spend_request["request_shape"] == "openai");
  CHECK(spend_request["name"].get<std::string>().rfind("lava-mcp (", 0) == 0);
  CHECK(context.progress_count >= 0);
}

TEST_CASE("login: already authenticated answers at once, provisioning a missing spend key") {
  LoginFixture f(Env{{"LAVA_SECRET_KEY", FakeLava::kSecretKey}});
  const ToolResult first = f.run();
  REQUIRE_MESSAGE(!first.is_error, LoginFixture::text(first));
  CHECK(first.structured["status"] == "already_authenticated");
  CHECK(f.lava.spend_keys_created == 1);
  CHECK(f.stored()["spend_key"] == FakeLava::kSpendKey);
  CHECK_FALSE(f.stored().contains("secret_key"));  // an env key is never written to the file
  const ToolResult second = f.run();
  CHECK(second.structured["status"] == "already_authenticated");
  CHECK(f.lava.spend_keys_created == 1);
  CHECK(f.lava.exchanges == 0);
  // What Lava says of the account, for the agent: the key checked, spend against the limit.
  const Json& lava = second.structured["account_status"];
  CHECK(lava["check"] == "ok");
  CHECK(lava["spend_key"]["current_spend"] == "3.20");
  CHECK(lava["spend_key"]["spend_limit"] == Json{{"amount", "10.00"}, {"cycle", "monthly"}});
  CHECK(lava["usage_this_month"]["total_requests"] == 42);
  CHECK(LoginFixture::text(second).find("3.20 spent of 10.00 (monthly)") != std::string::npos);
  CHECK(second.structured.dump().find(FakeLava::kSecretKey) == std::string::npos);
}

TEST_CASE("login: pending, then a later call joins the same flow") {
  LoginFixture f(Env{{"BROWSER", "none"}});
  testing::NullContext context;
  const ToolResult first = f.run({{"wait_seconds", 1}}, context);
  REQUIRE_FALSE(first.is_error);
  CHECK(first.structured["status"] == "pending");
  const std::string url = first.structured["login_url"];
  CHECK(url.rfind(f.lava.origin() + "/auth/connect?state=", 0) == 0);
  CHECK(url.find("&port=") != std::string::npos);
  CHECK(first.structured["expires_in_s"].get<int>() > 500);
  CHECK(context.progress_count >= 1);
  CHECK_FALSE(f.file_exists());
  click(url);
  const ToolResult second = f.run({{"wait_seconds", 20}});
  REQUIRE_MESSAGE(!second.is_error, LoginFixture::text(second));
  CHECK(second.structured["status"] == "authenticated");
  CHECK(f.lava.exchanges == 1);
}

TEST_CASE("login: a state mismatch is refused and the flow keeps waiting for the right one") {
  LoginFixture f;
  f.lava.redirect = FakeLava::Redirect::kWrongState;
  const ToolResult first = f.run({{"wait_seconds", 2}});
  REQUIRE_MESSAGE(!first.is_error, LoginFixture::text(first));
  CHECK(first.structured["status"] == "pending");  // anyone can send a wrong state: it ends nothing
  CHECK_FALSE(f.file_exists());
  CHECK(f.lava.exchanges == 0);
  f.lava.redirect = FakeLava::Redirect::kGood;
  click(first.structured["login_url"]);
  const ToolResult done = f.run({{"wait_seconds", 20}});
  REQUIRE_MESSAGE(!done.is_error, LoginFixture::text(done));
  CHECK(done.structured["status"] == "authenticated");
  CHECK(f.lava.exchanges == 1);
}

TEST_CASE("login: a callback without code fails the flow and writes nothing") {
  LoginFixture f;
  f.lava.redirect = FakeLava::Redirect::kNoCode;
  const ToolResult result = f.run({{"wait_seconds", 20}});
  CHECK(result.is_error);
  CHECK(LoginFixture::text(result).find("no code") != std::string::npos);
  CHECK_FALSE(f.file_exists());
}

TEST_CASE("login: an expired or used code is a clear error and writes nothing") {
  LoginFixture f(Env{{"BROWSER", "none"}});
  const ToolResult pending = f.run({{"wait_seconds", 0}});
  const std::string url = pending.structured["login_url"];
  const std::string port = url.substr(url.find("&port=") + 6);
  const std::string state = url.substr(url.find("state=") + 6, 32);
  // The callback arrives with a code the API has never issued.
  httplib::Client browser("127.0.0.1", std::stoi(port));
  auto answer = browser.Get(("/callback?state=" + state + "&code=stale-code").c_str());
  REQUIRE(answer);
  CHECK(answer->status == 200);
  const ToolResult result = f.run({{"wait_seconds", 20}});
  CHECK(result.is_error);
  CHECK(LoginFixture::text(result).find("Invalid or expired code") != std::string::npos);
  CHECK(LoginFixture::text(result).find("work once") != std::string::npos);
  CHECK_FALSE(f.file_exists());
}

TEST_CASE("login: a spend-key failure keeps the secret key and says so") {
  LoginFixture f;
  f.lava.spend_keys_fail = true;
  const ToolResult result = f.run({{"wait_seconds", 20}});
  CHECK(result.is_error);
  CHECK(LoginFixture::text(result).find("spend keys are down") != std::string::npos);
  CHECK(LoginFixture::text(result).find(FakeLava::kSecretKey) == std::string::npos);
  CHECK(f.stored()["secret_key"] == FakeLava::kSecretKey);
  CHECK_FALSE(f.stored().contains("spend_key"));
  f.lava.spend_keys_fail = false;
  const ToolResult retry = f.run();  // step 1: secret key without spend key -> provision
  REQUIRE_FALSE(retry.is_error);
  CHECK(retry.structured["status"] == "already_authenticated");
  CHECK(f.stored()["spend_key"] == FakeLava::kSpendKey);
}

TEST_CASE("login: the callback listener follows the SDK's rules and only GET completes") {
  LoginFixture f(Env{{"BROWSER", "none"}});
  const ToolResult pending = f.run({{"wait_seconds", 0}});
  const std::string url = pending.structured["login_url"];
  const int port = std::stoi(url.substr(url.find("&port=") + 6));
  const std::string state = url.substr(url.find("state=") + 6, 32);
  httplib::Client browser("127.0.0.1", port);
  const auto posted = browser.Post("/callback", "", "text/plain");
  CHECK(posted->status == 405);
  CHECK(posted->get_header_value("Allow") == "GET");
  CHECK(browser.Get("/favicon.ico")->status == 404);
  CHECK(browser.Get("/callback?state=deadbeef&code=x")->status == 400);  // the flow goes on
  // cpp-httplib's Server answered HEAD with the GET handler: a HEAD completed the login.
  CHECK(browser.Head(("/callback?state=" + state + "&code=code-1").c_str())->status == 405);
  CHECK(f.run({{"wait_seconds", 0}}).structured["status"] == "pending");
  const auto good = browser.Get(("/callback?state=" + state + "&code=stale-code").c_str());
  CHECK(good->status == 200);
  CHECK(good->get_header_value("Content-Type").rfind("text/html", 0) == 0);
  const auto again = browser.Get(("/callback?state=" + state + "&code=again").c_str());
  CHECK((again == nullptr || again->status == 409));  // answered once, then the port closes
  const ToolResult result = f.run({{"wait_seconds", 10}});
  CHECK(result.is_error);  // the code was not one the API issued
  CHECK(f.lava.exchanges == 1);
}

TEST_CASE("login: force starts a new flow - the old link stops working") {
  LoginFixture f(Env{{"BROWSER", "none"}});
  const std::string first = f.run({{"wait_seconds", 0}}).structured["login_url"];
  const std::string joined = f.run({{"wait_seconds", 0}}).structured["login_url"];
  CHECK(joined == first);
  const std::string forced = f.run({{"wait_seconds", 0}, {"force", true}}).structured["login_url"];
  CHECK(forced != first);
}

TEST_CASE("login: the link expires with the flow") {
  LoginFixture f(Env{{"BROWSER", "none"}}, 300ms);
  CHECK(f.run({{"wait_seconds", 0}}).structured["status"] == "pending");
  std::this_thread::sleep_for(400ms);
  const ToolResult expired = f.run({{"wait_seconds", 0}});
  CHECK(expired.is_error);  // reported once...
  CHECK(LoginFixture::text(expired).find("expired") != std::string::npos);
  const ToolResult fresh = f.run({{"wait_seconds", 0}});
  CHECK(fresh.structured["status"] == "pending");  // ...then a new flow starts
  CHECK(f.lava.exchanges == 0);
}

TEST_CASE("login: a callback with the right state after the window is refused") {
  LoginFixture f(Env{{"BROWSER", "none"}}, 300ms);
  const std::string url = f.run({{"wait_seconds", 0}}).structured["login_url"];
  const int port = std::stoi(url.substr(url.find("&port=") + 6));
  const std::string state = url.substr(url.find("state=") + 6, 32);
  std::this_thread::sleep_for(400ms);
  httplib::Client late("127.0.0.1", port);
  const auto answer = late.Get(("/callback?state=" + state + "&code=code-1").c_str());
  CHECK((answer == nullptr || answer->status == 410));
  const ToolResult expired = f.run({{"wait_seconds", 0}});
  CHECK(expired.is_error);
  CHECK(LoginFixture::text(expired).find("expired") != std::string::npos);
  CHECK(f.lava.exchanges == 0);
  CHECK_FALSE(f.file_exists());
}

TEST_CASE("login: URL elicitation when the client declares it - decline ends the flow") {
  LoginFixture f(Env{{"BROWSER", "none"}});
  testing::NullContext context;
  context.set_capabilities({{"elicitation", {{"url", Json::object()}}}});
  Json asked;
  context.on_request = [&](std::string_view method, const Json& params) -> Expected<Json> {
    CHECK(method == "elicitation/create");
    asked = params;
    click(params["url"]);
    return Json{{"action", "accept"}};
  };
  const ToolResult result = f.run({{"wait_seconds", 20}}, context);
  REQUIRE_MESSAGE(!result.is_error, LoginFixture::text(result));
  CHECK(asked["mode"] == "url");
  CHECK(asked["elicitationId"].get<std::string>().rfind("lava-login-", 0) == 0);
  CHECK(context.notifications == std::vector<std::string>{"notifications/elicitation/complete"});

  LoginFixture g(Env{{"BROWSER", "none"}});
  testing::NullContext declining;
  declining.set_capabilities({{"elicitation", {{"url", Json::object()}}}});
  declining.on_request = [](std::string_view, const Json&) -> Expected<Json> {
    return Json{{"action", "decline"}};
  };
  const ToolResult declined = g.run({{"wait_seconds", 5}}, declining);
  CHECK(declined.is_error);
  CHECK(LoginFixture::text(declined).find("declined") != std::string::npos);
  CHECK_FALSE(g.file_exists());
}

TEST_CASE("login: an elicitation answer whose action is not a string lets the flow go on") {
  LoginFixture f(Env{{"BROWSER", "none"}});
  testing::NullContext context;
  context.set_capabilities({{"elicitation", {{"url", Json::object()}}}});
  context.on_request = [&](std::string_view, const Json& params) -> Expected<Json> {
    click(params["url"]);
    return Json{{"action", 5}};
  };
  const ToolResult result = f.run({{"wait_seconds", 20}}, context);
  REQUIRE_MESSAGE(!result.is_error, LoginFixture::text(result));
  CHECK(f.file_exists());
}

TEST_CASE("login: a listener that cannot bind is a clear error and writes nothing") {
  // 192.0.2.1 (TEST-NET-1) is on no interface here: bind() fails at once, nothing is sent.
  LoginFixture f(Env{{"BROWSER", "none"}}, gateway::kLoginLifetime, "192.0.2.1");
  const ToolResult result = f.run({{"wait_seconds", 1}});
  CHECK(result.is_error);
  CHECK(LoginFixture::text(result).find("cannot listen on 192.0.2.1") != std::string::npos);
  CHECK_FALSE(f.file_exists());
}

TEST_CASE("login: state is 32 hex characters and compared in constant time") {
  const std::string a = gateway::random_state();
  CHECK(a.size() == 32);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(a != gateway::random_state());
  CHECK(platform::constant_time_equal(a, a));
  CHECK_FALSE(platform::constant_time_equal(a, a.substr(1)));
  CHECK_FALSE(platform::constant_time_equal(a, std::string(32, '0')));
}

}  // namespace
}  // namespace lava_mcp::tools
