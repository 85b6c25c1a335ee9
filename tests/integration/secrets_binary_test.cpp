// Every tool through the installed binary, at debug log level, against the whole fake Lava
// (tests/fake_services) whose gateway echoes the headers it receives: no key, spend key,
// provider key or forward token may appear on stdout, on stderr or in any file the server
// writes, except credentials.json.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/fake_lava.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeLava;
using testing::Subprocess;
using namespace std::chrono_literals;

constexpr const char* kProviderKey = "sk-SENTINELPROVIDERKEY9876543210";
// base64 of {"secret_key":" : the start of every forward token, whatever the key.
constexpr const char* kForwardTokenStart = "eyJzZWNyZXRfa2V5Ijoi";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Server {
  Server(const std::string& origin, const std::string& home)
      : process({LAVA_MCP_INSTALLED_BIN, "--log-level", "debug"},
                {{"LAVA_API_URL", origin},
                 {"LAVA_APP_URL", origin},
                 {"LAVA_MCP_HOME", home},
                 {"BROWSER", LAVA_MCP_FOLLOW_URL},
                 {"LAVA_MCP_ALLOW_LOOPBACK_FETCH", "1"}}) {
    request("initialize", {{"protocolVersion", "2025-11-25"}, {"capabilities", Json::object()},
                           {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
    request("logging/setLevel", {{"level", "debug"}});
  }
  Json request(const std::string& method, const Json& params) {
    const int id = ++last_id;
    process.write(Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump() + "\n");
    for (;;) {
      const auto line = process.read_line(30s);
      REQUIRE_MESSAGE(line.has_value(), "stderr: " << process.stderr_text());
      stdout_text += *line + "\n";
      const Json message = Json::parse(*line);
      if (message.value("id", Json()) == id) {
        return message;
      }
    }
  }
  Json call(const std::string& tool, const Json& arguments) {
    const Json reply = request("tools/call", {{"name", tool}, {"arguments", arguments}});
    REQUIRE_MESSAGE(reply.contains("result"), reply.dump());
    return reply["result"];
  }
  Subprocess process;
  std::string stdout_text;
  int last_id = 0;
};

TEST_CASE("secrets: every tool at debug level leaks no key, token or provider key") {
  Subprocess fake({LAVA_MCP_FAKE_SERVICES}, {});
  const auto banner = fake.read_line(10s);
  REQUIRE(banner.has_value());
  const std::string origin = banner->substr(banner->find("http://"));
  testing::TempDir home;
  Server server(origin, home.path());

  const Json login = server.call("login", {{"wait_seconds", 20}});
  REQUIRE_MESSAGE(!login.value("isError", false), login.dump());
  const Json prompt = server.call(
      "prompt", {{"model", "gpt-4o-mini"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                 {"fallbacks", {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-4-5"}}}}});
  CHECK_MESSAGE(!prompt.value("isError", false), prompt.dump());
  // The gateway echoes the Authorization header and the decoded forward token back.
  const Json call = server.call("call", {{"url", "https://api.example.com/v1/echo"},
                                         {"headers", {{"Authorization", std::string("Bearer ") + kProviderKey}}},
                                         {"provider_key", kProviderKey}, {"body", {{"q", "lava"}}}});
  CHECK(call.contains("content"));
  const Json failing = server.call("call", {{"url", "http://127.0.0.1:1/unreachable"}, {"provider_key", kProviderKey}});
  CHECK(failing.value("isError", false));
  CHECK_FALSE(server.call("search", {{"query", "acme"}}).value("isError", false));
  CHECK_FALSE(server.call("get_provider_docs", {{"provider", "acme"}}).value("isError", false));
  server.process.close_stdin();
  CHECK(server.process.wait(5s) == 0);

  const std::string credentials = read_file(home.path() + "/credentials.json");
  REQUIRE(credentials.find(FakeLava::kSecretKey) != std::string::npos);  // the keys were in use
  REQUIRE(credentials.find(FakeLava::kSpendKey) != std::string::npos);
  std::vector<std::pair<std::string, std::string>> outputs = {{"stdout", server.stdout_text},
                                                              {"stderr", server.process.stderr_text()}};
  for (const auto& entry : std::filesystem::recursive_directory_iterator(home.path())) {
    if (entry.is_regular_file() && entry.path().filename() != "credentials.json") {
      outputs.emplace_back(entry.path().string(), read_file(entry.path()));
    }
  }
  CHECK(outputs.size() > 2);  // the docs cache wrote files too
  for (const auto& [where, text] : outputs) {
    for (const char* secret : {FakeLava::kSecretKey, FakeLava::kSpendKey, kProviderKey, kForwardTokenStart}) {
      CHECK_MESSAGE(text.find(secret) == std::string::npos, secret << " leaked into " << where);
    }
  }
  CHECK_MESSAGE(login.dump().find("0123") != std::string::npos, login.dump());  // a hint, not the key
}

}  // namespace
}  // namespace lava_mcp
