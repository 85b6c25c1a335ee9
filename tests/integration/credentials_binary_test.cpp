// The installed binary with an odd credentials file: refused with a message, never a hang.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "integration/built_binaries.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::Subprocess;
using namespace std::chrono_literals;

TEST_CASE("binary credentials: a FIFO credentials file hangs neither startup nor a tool call") {
  testing::TempDir home;
  const std::string path = home.path() + "/credentials.json";
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);  // no writer ever opens it
  Subprocess server({testing::installed_binary()}, {{"LAVA_MCP_HOME", home.path()}});
  server.write(testing::initialize_line("init"));
  auto initialized = server.read_line(10s);
  REQUIRE_MESSAGE(initialized.has_value(), "stderr: " << server.stderr_text());
  CHECK(Json::parse(*initialized).contains("result"));
  for (const std::string tool : {"call", "login"}) {
    const Json arguments =
        tool == "call" ? Json{{"url", "https://api.example.com/"}} : Json::object();
    server.write(testing::tool_call_line(tool, tool, arguments));
    auto line = server.read_line(10s);
    REQUIRE_MESSAGE(line.has_value(), tool << " hung; stderr: " << server.stderr_text());
    const Json reply = Json::parse(*line);
    CHECK(reply["id"] == tool);
    CHECK(reply["result"]["isError"] == true);
    const std::string text = reply["result"]["content"][0]["text"];
    CHECK_MESSAGE(text.find(path) != std::string::npos, text);
    CHECK_MESSAGE(text.find("a FIFO") != std::string::npos, text);
  }
  server.write(R"({"jsonrpc":"2.0","id":"still","method":"ping"})"
               "\n");
  auto pong = server.read_line(10s);
  REQUIRE(pong.has_value());
  CHECK(Json::parse(*pong)["id"] == "still");
  server.close_stdin();
  CHECK(server.wait(5s) == 0);
}

}  // namespace
}  // namespace lava_mcp
