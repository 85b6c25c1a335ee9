#include "gateway/config.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include "support/temp_dir.h"

namespace lava_mcp::gateway {
namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
  };
}

TEST_CASE("config: defaults") {
  auto config = resolve_config({}, env_of({}), std::nullopt, "/h");
  REQUIRE(config);
  CHECK(config->api_origin == "https://api.lava.so");
  CHECK(config->api_url() == "https://api.lava.so/v1");
  CHECK(config->app_origin == "https://www.lava.so");
  CHECK(config->timeout == std::chrono::milliseconds(60000));
  CHECK_FALSE(config->deadline.has_value());  // the host's default (tools/prompt/deadline.h)
  CHECK(config->secret_key.empty());
}

TEST_CASE("config: flag beats environment beats credentials file") {
  Credentials stored;
  stored.api_url = "https://stored.example";
  stored.secret_key = "aks_live_stored";
  stored.spend_key = "lava_sk_stored";
  auto from_file = resolve_config({}, env_of({}), stored, "/h");
  CHECK(from_file->api_origin == "https://stored.example");
  CHECK(from_file->secret_key == "aks_live_stored");
  auto from_env = resolve_config(
      {},
      env_of({{"LAVA_API_URL", "https://env.example/v1/"}, {"LAVA_SECRET_KEY", "aks_live_env"}}),
      stored, "/h");
  CHECK(from_env->api_origin == "https://env.example");
  CHECK(from_env->secret_key == "aks_live_env");
  CHECK(from_env->spend_key == "lava_sk_stored");
  ConfigFlags flags;
  flags.api_url = "http://127.0.0.1:9/";
  flags.timeout_ms = "1500";
  auto from_flag = resolve_config(
      flags, env_of({{"LAVA_API_URL", "https://env.example"}, {"LAVA_MCP_TIMEOUT_MS", "99"}}),
      stored, "/h");
  CHECK(from_flag->api_origin == "http://127.0.0.1:9");
  CHECK(from_flag->timeout == std::chrono::milliseconds(1500));
}

TEST_CASE("config: a test secret key selects the sandbox unless a URL is explicit") {
  auto sandbox =
      resolve_config({}, env_of({{"LAVA_SECRET_KEY", "aks_test_x"}}), std::nullopt, "/h");
  CHECK(sandbox->api_origin == "https://sandbox-api.lavapayments.com");
  auto explicit_url = resolve_config(
      {}, env_of({{"LAVA_SECRET_KEY", "aks_test_x"}, {"LAVA_API_URL", "https://api.lava.so"}}),
      std::nullopt, "/h");
  CHECK(explicit_url->api_origin == "https://api.lava.so");
  CHECK(explicit_url->ignored_stored_api_url.empty());
}

TEST_CASE("config: a stored api_url of the other environment than the key is reported, unused") {
  Credentials stored;
  stored.secret_key = "aks_test_stored";
  stored.api_url = "https://api.lava.so";
  auto test_key = resolve_config({}, env_of({}), stored, "/h");
  REQUIRE(test_key);
  CHECK(test_key->api_origin == "https://sandbox-api.lavapayments.com");
  CHECK(test_key->ignored_stored_api_url == "https://api.lava.so");

  stored.secret_key = "aks_live_stored";
  stored.api_url = "https://sandbox-api.lavapayments.com";
  auto live_key = resolve_config({}, env_of({}), stored, "/h");
  CHECK(live_key->api_origin == "https://api.lava.so");
  CHECK(live_key->ignored_stored_api_url == "https://sandbox-api.lavapayments.com");

  stored.api_url = "https://api.lavapayments.com";  // same environment: used
  CHECK(resolve_config({}, env_of({}), stored, "/h")->api_origin == "https://api.lavapayments.com");
  stored.secret_key = "aks_test_stored";
  stored.api_url = "http://127.0.0.1:8080";  // not a Lava host: its environment is unknown, kept
  auto local = resolve_config({}, env_of({}), stored, "/h");
  CHECK(local->api_origin == "http://127.0.0.1:8080");
  CHECK(local->ignored_stored_api_url.empty());
  // An explicit URL is the user's choice and is never second-guessed.
  stored.api_url = "https://api.lava.so";
  auto explicit_url =
      resolve_config({}, env_of({{"LAVA_API_URL", "https://api.lava.so"}}), stored, "/h");
  CHECK(explicit_url->api_origin == "https://api.lava.so");
  CHECK(explicit_url->ignored_stored_api_url.empty());
}

TEST_CASE("config: the login exchange host follows the app URL unless LAVA_API_URL is set") {
  CHECK(login_api_origin_for("https://www.lava.so") == "https://api.lava.so");
  CHECK(login_api_origin_for("https://sandbox.lava.so") == "https://sandbox-api.lavapayments.com");
  CHECK(login_api_origin_for("http://localhost:3000") == "http://localhost:3000");
  CHECK(login_api_origin_for("http://127.0.0.1:4000") == "http://127.0.0.1:4000");
  auto sandbox_app = resolve_config({}, env_of({{"LAVA_APP_URL", "https://sandbox.lava.so/"}}),
                                    std::nullopt, "/h");
  CHECK(sandbox_app->login_api_origin == "https://sandbox-api.lavapayments.com");
  CHECK(sandbox_app->api_origin == "https://api.lava.so");  // no key yet: production
  auto local_app =
      resolve_config({}, env_of({{"LAVA_APP_URL", "http://127.0.0.1:4000"}}), std::nullopt, "/h");
  CHECK(local_app->login_api_origin == "http://127.0.0.1:4000");
  auto explicit_api = resolve_config(
      {},
      env_of({{"LAVA_APP_URL", "https://sandbox.lava.so"}, {"LAVA_API_URL", "http://127.0.0.1:9"}}),
      std::nullopt, "/h");
  CHECK(explicit_api->login_api_origin == "http://127.0.0.1:9");
}

TEST_CASE("config: keys are trimmed, and a key that is not printable ASCII is refused unseen") {
  auto trimmed =
      resolve_config({}, env_of({{"LAVA_SECRET_KEY", " aks_live_abc\n"}}), std::nullopt, "/h");
  REQUIRE(trimmed);
  CHECK(trimmed->secret_key == "aks_live_abc");

  const std::string bad_key = "aks_live_\xC3\x28sentinel";
  auto from_env = resolve_config({}, env_of({{"LAVA_SECRET_KEY", bad_key}}), std::nullopt, "/h");
  REQUIRE_FALSE(from_env);
  CHECK(from_env.error().message.find("LAVA_SECRET_KEY") != std::string::npos);
  CHECK(from_env.error().message.find("sentinel") == std::string::npos);

  Credentials stored;
  stored.spend_key = "lava_sk with space";
  auto from_file = resolve_config({}, env_of({}), stored, "/h");
  REQUIRE_FALSE(from_file);
  CHECK(from_file.error().message.find("\"spend_key\" in credentials.json") != std::string::npos);
  CHECK(from_file.error().message.find("with space") == std::string::npos);
}

TEST_CASE("config: origin normalisation and clear errors") {
  CHECK(*normalize_origin("https://api.lava.so/", "X") == "https://api.lava.so");
  CHECK(*normalize_origin("https://api.lava.so/v1", "X") == "https://api.lava.so");
  CHECK(*normalize_origin("https://api.lava.so/v1/", "X") == "https://api.lava.so");
  auto bad = resolve_config({}, env_of({{"LAVA_API_URL", "api.lava.so"}}), std::nullopt, "/h");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("LAVA_API_URL") != std::string::npos);
  auto bad_timeout =
      resolve_config({}, env_of({{"LAVA_MCP_TIMEOUT_MS", "soon"}}), std::nullopt, "/h");
  REQUIRE_FALSE(bad_timeout);
  CHECK(bad_timeout.error().message.find("soon") != std::string::npos);
}

TEST_CASE("config: LAVA_MCP_DEADLINE_MS is 0 (none) or milliseconds, the flag first") {
  auto none = resolve_config({}, env_of({{"LAVA_MCP_DEADLINE_MS", "0"}}), std::nullopt, "/h");
  REQUIRE(none);
  CHECK(none->deadline == std::chrono::milliseconds(0));
  ConfigFlags flags;
  flags.deadline_ms = "2500";
  auto flagged =
      resolve_config(flags, env_of({{"LAVA_MCP_DEADLINE_MS", "9000"}}), std::nullopt, "/h");
  REQUIRE(flagged);
  CHECK(flagged->deadline == std::chrono::milliseconds(2500));
  for (const std::string bad : {"-1", "soon", "3600001", "1.5"}) {
    CAPTURE(bad);
    auto refused = resolve_config({}, env_of({{"LAVA_MCP_DEADLINE_MS", bad}}), std::nullopt, "/h");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("LAVA_MCP_DEADLINE_MS") != std::string::npos);
    CHECK(refused.error().message.find(bad) != std::string::npos);
  }
}

TEST_CASE("config: home from flag, LAVA_MCP_HOME, XDG_CONFIG_HOME, HOME") {
  ConfigFlags flags;
  flags.home = "/flag";
  CHECK(*resolve_home(flags, env_of({{"LAVA_MCP_HOME", "/env"}})) == "/flag");
  CHECK(*resolve_home({}, env_of({{"LAVA_MCP_HOME", "/env"}, {"HOME", "/u"}})) == "/env");
  CHECK(*resolve_home({}, env_of({{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/u"}})) ==
        "/xdg/lava-mcp");
  CHECK(*resolve_home({}, env_of({{"HOME", "/u"}})) == "/u/.config/lava-mcp");
  CHECK_FALSE(resolve_home({}, env_of({})));
}

TEST_CASE("config source: the credentials file is read again whenever it changes") {
  testing::TempDir home;
  const ConfigSource source({}, env_of({{"LAVA_MCP_HOME", home.path()}}));
  REQUIRE(source.current());
  CHECK(source.current()->secret_key.empty());

  Credentials stored;
  stored.secret_key = "aks_live_first000000001";
  REQUIRE(save_credentials(home.path(), stored));
  CHECK(source.current()->secret_key == "aks_live_first000000001");
  CHECK(source.current()->secret_key == "aks_live_first000000001");  // the cached read

  stored.secret_key = "aks_live_second00000002";
  REQUIRE(save_credentials(home.path(), stored));
  CHECK(source.current()->secret_key == "aks_live_second00000002");

  std::ofstream(credentials_path(home.path())) << "{ torn";
  CHECK_FALSE(source.current());  // errors are never cached
  CHECK_FALSE(source.current());
  REQUIRE(delete_credentials(home.path()));
  REQUIRE(source.current());
  CHECK(source.current()->secret_key.empty());
}

}  // namespace
}  // namespace lava_mcp::gateway
