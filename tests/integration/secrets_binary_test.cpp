// Every tool through the installed binary, at debug log level, against the whole fake Lava
// (tests/fake_services) whose gateway echoes the headers it receives: no key, spend key,
// provider key or forward token may appear on stdout, on stderr or in any file the server
// writes, except credentials.json.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/base64.h"
#include "gateway/lava_api.h"
#include "integration/built_binaries.h"
#include "support/fake_gateway.h"
#include "support/fake_lava.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeGateway;
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
      : process({testing::installed_binary(), "--log-level", "debug"},
                {{"LAVA_API_URL", origin},
                 {"LAVA_APP_URL", origin},
                 {"LAVA_MCP_HOME", home},
                 {"BROWSER", LAVA_MCP_FOLLOW_URL},
                 {"LAVA_MCP_ALLOW_LOOPBACK_FETCH", "1"}}) {
    request("initialize", {{"protocolVersion", "2025-11-25"},
                           {"capabilities", Json::object()},
                           {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
    request("logging/setLevel", {{"level", "debug"}});
  }
  Json request(const std::string& method, const Json& params) {
    const int id = ++last_id;
    process.write(
        Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump() + "\n");
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
  Subprocess fake({testing::fake_services_binary()}, {});
  const auto banner = fake.read_line(10s);
  REQUIRE(banner.has_value());
  const std::string origin = banner->substr(banner->find("http://"));
  testing::TempDir home;
  Server server(origin, home.path());

  const Json login = server.call("login", {{"wait_seconds", 20}});
  REQUIRE_MESSAGE(!login.value("isError", false), login.dump());
  const Json prompt = server.call(
      "prompt",
      {{"model", "gpt-4o-mini"},
       {"messages", {{{"role", "user"}, {"content", "hi"}}}},
       {"fallbacks", {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-4-5"}}}}});
  CHECK_MESSAGE(!prompt.value("isError", false), prompt.dump());
  // The gateway echoes the Authorization header and the decoded forward token back.
  const Json call =
      server.call("call", {{"url", "https://api.example.com/v1/echo"},
                           {"headers", {{"Authorization", std::string("Bearer ") + kProviderKey}}},
                           {"provider_key", kProviderKey},
                           {"body", {{"q", "lava"}}}});
  CHECK(call.contains("content"));
  const Json failing = server.call(
      "call", {{"url", "http://127.0.0.1:1/unreachable"}, {"provider_key", kProviderKey}});
  CHECK(failing.value("isError", false));
  CHECK_FALSE(server.call("search", {{"query", "acme"}}).value("isError", false));
  CHECK_FALSE(server.call("get_provider_docs", {{"provider", "acme"}}).value("isError", false));
  server.process.close_stdin();
  CHECK(server.process.wait(5s) == 0);

  const std::string credentials = read_file(home.path() + "/credentials.json");
  REQUIRE(credentials.find(FakeLava::kSecretKey) != std::string::npos);  // the keys were in use
  REQUIRE(credentials.find(FakeLava::kSpendKey) != std::string::npos);
  std::vector<std::pair<std::string, std::string>> outputs = {
      {"stdout", server.stdout_text}, {"stderr", server.process.stderr_text()}};
  for (const auto& entry : std::filesystem::recursive_directory_iterator(home.path())) {
    if (entry.is_regular_file() && entry.path().filename() != "credentials.json") {
      outputs.emplace_back(entry.path().string(), read_file(entry.path()));
    }
  }
  CHECK(outputs.size() > 2);  // the docs cache wrote files too
  for (const auto& [where, text] : outputs) {
    for (const char* secret :
         {FakeLava::kSecretKey, FakeLava::kSpendKey, kProviderKey, kForwardTokenStart}) {
      CHECK_MESSAGE(text.find(secret) == std::string::npos, secret << " leaked into " << where);
    }
  }
  CHECK_MESSAGE(login.dump().find("0123") != std::string::npos,
                login.dump());  // a hint, not the key
}

TEST_CASE(
    "secrets: `lava-mcp login` in a terminal shows no key a failing spend-key creation echoes") {
  testing::FakeUpstream host;
  // Registered before FakeLava's own route, so it answers first: a 401 that echoes the key.
  host.routes().Post("/v1/spend_keys", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 401;
    res.set_content(
        Json{{"error", "invalid key in " + req.get_header_value("Authorization")}}.dump(),
        "application/json");
  });
  FakeLava lava(host.routes(), host.base_url());
  testing::TempDir home;
  Subprocess login({testing::installed_binary(), "login"}, {{"LAVA_API_URL", lava.origin()},
                                                            {"LAVA_APP_URL", lava.origin()},
                                                            {"LAVA_MCP_HOME", home.path()},
                                                            {"BROWSER", LAVA_MCP_FOLLOW_URL}});
  login.close_stdin();
  std::string out;
  while (auto line = login.read_line(30s)) {
    out += *line + "\n";
  }
  CHECK(login.wait(10s) == 1);
  const std::string err = login.stderr_text();
  REQUIRE(lava.exchanges == 1);  // the code was exchanged: the key was in hand
  CHECK_MESSAGE(err.find("invalid key in Bearer aks_test_…0123") != std::string::npos, err);
  CHECK(err.find(FakeLava::kSecretKey) == std::string::npos);
  CHECK(out.find(FakeLava::kSecretKey) == std::string::npos);
}

// A binary body holding the keys as bytes (plain, and UTF-16LE in the image), returned as
// application/octet-stream and as image/png: the base64 in body_base64 and in the image block
// decodes to no key.
TEST_CASE(
    "secrets: binary bodies that hold the spend key and the provider key come back without them") {
  constexpr const char* kSpendKey = "lava_sk_BINARYSPENDKEY0123456789";
  constexpr const char* kSecretKey = "aks_live_BINARYSECRETKEY0123456789";
  FakeGateway gateway;
  gateway.on_upstream([&](const testing::GatewayRequest& request, httplib::Response& res) {
    const std::string provider_key = request.token.value("provider_key", "");
    std::string utf16;
    for (const char c : std::string(kSpendKey) + " " + provider_key) {
      utf16 += std::string{c, '\0'};
    }
    const bool image = request.target.find("image") != std::string::npos;
    const std::string body = std::string("\x89PNG\r\n\x1a\n\0\x01") + kSpendKey + "\xff\xfe" +
                             provider_key + "\0" + (image ? utf16 : std::string(kSecretKey));
    res.set_content(body, image ? "image/png" : "application/octet-stream");
  });
  testing::TempDir home;
  Subprocess server({testing::installed_binary()}, {{"LAVA_API_URL", gateway.origin()},
                                                    {"LAVA_SECRET_KEY", kSecretKey},
                                                    {"LAVA_SPEND_KEY", kSpendKey},
                                                    {"LAVA_MCP_HOME", home.path()}});
  server.write(testing::initialize_line(0));
  REQUIRE(server.read_line(10s).has_value());
  std::vector<std::string> decoded_bodies;
  int id = 0;
  for (const char* url : {"https://files.example/blob", "https://files.example/image.png"}) {
    server.write(
        testing::tool_call_line(++id, "call", {{"url", url}, {"provider_key", kProviderKey}}));
    const auto line = server.read_line(10s);
    REQUIRE_MESSAGE(line.has_value(), server.stderr_text());
    const Json result = Json::parse(*line)["result"];
    REQUIRE_MESSAGE(result["structuredContent"].contains("body_base64"), *line);
    for (const std::string& base64 : {result["structuredContent"]["body_base64"].get<std::string>(),
                                      result["content"].back().value("data", std::string())}) {
      const auto decoded = base64_decode(base64);
      REQUIRE(decoded.has_value());
      decoded_bodies.push_back(*decoded);
      decoded_bodies.back().erase(
          std::remove(decoded_bodies.back().begin(), decoded_bodies.back().end(), '\0'),
          decoded_bodies.back().end());
    }
    CHECK(line->find(kSpendKey) == std::string::npos);
  }
  CHECK(decoded_bodies[1].empty());               // octet-stream: no image block
  CHECK(decoded_bodies[2] == decoded_bodies[3]);  // the image block carries body_base64
  REQUIRE(gateway.requests().size() == 2);
  CHECK(gateway.requests()[1].token["provider_key"] == kProviderKey);  // it did travel
  for (const std::string& body : decoded_bodies) {
    for (const char* secret : {kSpendKey, kSecretKey, kProviderKey}) {
      CHECK_MESSAGE(body.find(std::string(secret).substr(8)) == std::string::npos,
                    secret << " in " << body);
    }
  }
  CHECK(decoded_bodies[0].find("\x89PNG") == 0);  // the rest of the body is intact
  CHECK(decoded_bodies[0].find("lava_sk_…6789") != std::string::npos);
  server.close_stdin();
  CHECK(server.wait(5s) == 0);
}

TEST_CASE("secrets: the running server cannot write a core file") {
  testing::TempDir home;
  Subprocess server(
      {testing::installed_binary()},
      {{"LAVA_SECRET_KEY", "aks_live_COREDUMPKEY0123456789"}, {"LAVA_MCP_HOME", home.path()}});
  server.write(testing::initialize_line(0));
  REQUIRE(server.read_line(10s).has_value());
  std::ifstream limits("/proc/" + std::to_string(server.pid()) + "/limits");
  std::string core_line;
  for (std::string line; std::getline(limits, line);) {
    if (line.rfind("Max core file size", 0) == 0) {
      core_line = line;
    }
  }
  std::istringstream fields(core_line.substr(std::string("Max core file size").size()));
  std::string soft, hard;
  fields >> soft >> hard;
  CHECK_MESSAGE(soft == "0", core_line);
  CHECK_MESSAGE(hard == "0", core_line);
  server.close_stdin();
  CHECK(server.wait(5s) == 0);
}

}  // namespace
}  // namespace lava_mcp
