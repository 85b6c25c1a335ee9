// The installed binary's lava://account resource against a fake Lava: announced in the
// capabilities, listed, read with what Lava says of the keys, spend and usage (hints only).
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "integration/built_binaries.h"
#include "support/binary_session.h"
#include "support/fake_lava.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeLava;

struct Session : testing::BinarySession {
  Session(const std::string& api, const std::string& home)
      : BinarySession({testing::installed_binary()},
                      {{"LAVA_API_URL", api}, {"LAVA_MCP_HOME", home}}) {}
};

void store_login(const std::string& home, const std::string& api) {
  std::ofstream(home + "/credentials.json") << Json{
      {"secret_key", FakeLava::kSecretKey},
      {"spend_key", FakeLava::kSpendKey},
      {"spend_key_id", "spk_1"},
      {"api_url", api}}.dump();
}

TEST_CASE("binary account: lava://account is announced, listed and read from Lava") {
  FakeLava lava;
  testing::TempDir home;
  store_login(home.path(), lava.origin());
  Session session(lava.origin(), home.path());
  CHECK(session.initialized["result"]["capabilities"].contains("resources"));

  const Json list = session.request(1, "resources/list", Json::object());
  REQUIRE(list["result"]["resources"].size() == 1);
  CHECK(list["result"]["resources"][0]["uri"] == "lava://account");
  CHECK(list["result"]["resources"][0]["mimeType"] == "application/json");

  const Json read = session.request(2, "resources/read", {{"uri", "lava://account"}});
  const Json& content = read["result"]["contents"][0];
  CHECK(content["uri"] == "lava://account");
  const Json status = Json::parse(content["text"].get<std::string>());
  CHECK(status["check"] == "ok");
  CHECK(status["secret_key_hint"] == "aks_test_…0123");
  CHECK(status["spend_key"]["current_spend"] == "3.20");
  CHECK(status["spend_key"]["spend_limit"]["amount"] == "10.00");
  CHECK(status["usage_this_month"]["total_charge"] == "1.50");
  CHECK(read.dump().find(FakeLava::kSecretKey) == std::string::npos);
  CHECK(read.dump().find(FakeLava::kSpendKey) == std::string::npos);

  const Json unknown = session.request(3, "resources/read", {{"uri", "lava://nothing"}});
  CHECK(unknown["error"]["code"] == -32002);
  CHECK(session.request(4, "ping", Json::object())["result"] == Json::object());  // still serving
}

TEST_CASE("binary account: offline, the resource says so instead of failing") {
  testing::TempDir home;
  store_login(home.path(), "http://127.0.0.1:1");
  Session session("http://127.0.0.1:1", home.path());
  const Json read = session.request(1, "resources/read", {{"uri", "lava://account"}});
  const Json status = Json::parse(read["result"]["contents"][0]["text"].get<std::string>());
  CHECK(status["check"] == "offline");
  CHECK(status.contains("detail"));
}

}  // namespace
}  // namespace lava_mcp
