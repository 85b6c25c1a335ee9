// The terminal commands of the installed binary: login, logout, status, --version.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "integration/built_binaries.h"
#include "support/fake_lava.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using testing::FakeLava;
using testing::Subprocess;
using namespace std::chrono_literals;

struct Run {
  std::string out;
  std::string err;
  int code = -1;
};

Run run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {testing::installed_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  Subprocess process(argv, env);
  process.close_stdin();
  Run result;
  while (auto line = process.read_line(30s)) {
    result.out += *line + "\n";
  }
  result.code = process.wait(10s).value_or(-1);
  result.err = process.stderr_text();
  return result;
}

TEST_CASE("cli: --version") {
  const Run r = run({"--version"}, {});
  CHECK(r.code == 0);
  CHECK(r.out.find('.') != std::string::npos);
}

TEST_CASE("cli: login runs the browser flow, status shows hints, logout removes the file") {
  FakeLava lava;
  testing::TempDir home;
  const std::map<std::string, std::string> env = {{"LAVA_API_URL", lava.origin()},
                                                  {"LAVA_APP_URL", lava.origin()},
                                                  {"LAVA_MCP_HOME", home.path()},
                                                  {"BROWSER", LAVA_MCP_FOLLOW_URL}};
  const Run before = run({"status"}, env);
  CHECK(before.code == 0);
  CHECK(before.out.find("Not signed in") != std::string::npos);

  const Run login = run({"login"}, env);
  CHECK_MESSAGE(login.code == 0, login.err);
  CHECK(login.out.find("Signed in") != std::string::npos);
  CHECK(login.err.find("/auth/connect?state=") != std::string::npos);  // the URL was shown
  CHECK(std::filesystem::exists(home.path() + "/credentials.json"));

  const Run status = run({"status"}, env);
  CHECK(status.code == 0);
  CHECK(status.out.find("aks_test_…0123 (from the credentials file)") != std::string::npos);
  CHECK(status.out.find("lava_sk_…0456") != std::string::npos);
  const std::string all = login.out + login.err + status.out + status.err;
  CHECK(all.find(FakeLava::kSecretKey) == std::string::npos);
  CHECK(all.find(FakeLava::kSpendKey) == std::string::npos);

  auto with_env_key = env;
  with_env_key["LAVA_SECRET_KEY"] = "aks_live_FROMENVIRONMENT0001";
  const Run logout = run({"logout"}, with_env_key);
  CHECK(logout.code == 0);
  CHECK(logout.out.find("Removed") != std::string::npos);
  CHECK(logout.out.find("LAVA_SECRET_KEY is set in the environment") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(home.path() + "/credentials.json"));
  CHECK(run({"logout"}, env).out.find("No stored credentials") != std::string::npos);
}

TEST_CASE(
    "cli: with no LAVA_API_URL a loopback app's login exchanges there, and status asks Lava") {
  FakeLava lava;
  testing::TempDir home;
  const std::map<std::string, std::string> env = {{"LAVA_APP_URL", lava.origin()},
                                                  {"LAVA_MCP_HOME", home.path()},
                                                  {"BROWSER", LAVA_MCP_FOLLOW_URL}};
  const Run login = run({"login"}, env);
  REQUIRE_MESSAGE(login.code == 0, login.err);
  CHECK(lava.exchanges == 1);
  CHECK(lava.spend_keys_created == 1);
  std::ifstream file(home.path() + "/credentials.json");
  CHECK(nlohmann::json::parse(file)["api_url"] == lava.origin());  // pinned for later runs

  const Run status = run({"status"}, env);
  CHECK(status.code == 0);
  CHECK(status.out.find("API:              " + lava.origin()) != std::string::npos);
  CHECK(status.out.find("Lava check:       the secret key works") != std::string::npos);
  CHECK(status.out.find("spend key use:    3.20 spent of 10.00 (monthly), 17 requests, active") !=
        std::string::npos);
  CHECK(status.out.find("this month:       42 requests, 12345 tokens, cost 1.25, charged 1.50") !=
        std::string::npos);
  CHECK(lava.last_usage_start().size() == 24);  // 2026-12-01T00:00:00.000Z
  CHECK(lava.last_usage_start().substr(7) == "-01T00:00:00.000Z");
  CHECK(status.out.find(FakeLava::kSecretKey) == std::string::npos);

  auto wrong_key = env;
  wrong_key["LAVA_SECRET_KEY"] = "aks_test_NOTTHISACCOUNT0001";
  const Run refused = run({"status"}, wrong_key);
  CHECK(refused.out.find("Lava check:       refused: Lava API Error: 401 - unauthorized") !=
        std::string::npos);

  const Run offline =
      run({"status"}, {{"LAVA_MCP_HOME", home.path()}, {"LAVA_API_URL", "http://127.0.0.1:1"}});
  CHECK(offline.code == 0);
  CHECK(offline.out.find("Lava check:       offline") != std::string::npos);
}

TEST_CASE("cli: a corrupt credentials file is reported, never deleted by status") {
  testing::TempDir home;
  std::ofstream(home.path() + "/credentials.json") << "[1,2";
  const Run status = run({"status"}, {{"LAVA_MCP_HOME", home.path()}});
  CHECK(status.code == 1);
  CHECK(status.out.find("corrupt") != std::string::npos);
  CHECK(std::filesystem::exists(home.path() + "/credentials.json"));
}

TEST_CASE("cli: a bad flag or log level is a usage error") {
  CHECK(run({"--no-such-flag"}, {}).code == 2);
  CHECK(run({"--log-level", "loud", "status"}, {}).code == 2);
}

// One line on stderr that names the problem and where help is; nothing on stdout.
void check_usage_error(const Run& r) {
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("lava-mcp: ") == 0);
  CHECK(r.err.find("--help") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("cli: usage errors exit 2 with a one-line hint on stderr") {
  check_usage_error(run({"bogus"}, {}));
  check_usage_error(run({"--no-such-flag"}, {}));
  check_usage_error(run({"call"}, {}));                    // the tool name is required
  check_usage_error(run({"login", "--force=maybe"}, {}));  // a flag that takes no value
  check_usage_error(run({"--timeout-ms"}, {}));            // an option without its value
  check_usage_error(run({"status", "logout"}, {}));        // one subcommand at a time
  check_usage_error(run({"call", "no_such_tool"}, {}));    // our own check, same shape
}

TEST_CASE("cli: --help and --version exit 0, and --help names every subcommand and setting") {
  const Run help = run({"--help"}, {});
  CHECK(help.code == 0);
  for (const char* word :
       {"serve", "call", "login", "logout", "status", "--api-url", "--app-url", "--home",
        "--log-level", "--timeout-ms", "--result-budget-tokens", "--version"}) {
    CHECK_MESSAGE(help.out.find(word) != std::string::npos, word);
  }
  CHECK(run({"call", "--help"}, {}).code == 0);
  const Run version = run({"--version"}, {});
  CHECK(version.code == 0);
  CHECK(version.err.empty());
}

}  // namespace
}  // namespace lava_mcp
