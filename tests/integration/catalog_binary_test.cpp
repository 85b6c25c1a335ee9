// The installed binary and the catalog: `status` tells how old the embedded catalog is, an
// offline search says so too, and a catalog example whose primary model has been retired still
// succeeds on its cross-provider fallback.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "integration/built_binaries.h"
#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::Subprocess;
using namespace std::chrono_literals;

const std::regex kReviewDate("verified 20[0-9]{2}-[0-9]{2}-[0-9]{2}");

Json reply_to(Subprocess& server, int id) {
  for (;;) {
    auto line = server.read_line(20s);
    REQUIRE_MESSAGE(line.has_value(), "stderr: " << server.stderr_text());
    const Json reply = Json::parse(*line);
    if (reply.contains("id") && reply["id"] == id) {
      return reply;
    }
  }
}

TEST_CASE("binary: status prints the date the embedded catalog was reviewed") {
  testing::TempDir home;
  Subprocess status({testing::installed_binary(), "status"}, {{"LAVA_MCP_HOME", home.path()}});
  status.close_stdin();
  std::string out;
  while (auto line = status.read_line(10s)) {
    out += *line + "\n";
  }
  CHECK(status.wait(10s) == 0);
  CHECK_MESSAGE(
      std::regex_search(out, std::regex("catalog: +[0-9]+ providers, verified 20[0-9]{2}-")), out);
}

TEST_CASE("binary: offline search names the review date - a retired primary falls back") {
  testing::FakeGateway gateway;  // no catalog routes: Lava's live catalog does not answer
  testing::FakeProviders providers(gateway);
  testing::TempDir home;
  Subprocess server({testing::installed_binary()}, {{"LAVA_API_URL", gateway.origin()},
                                                    {"LAVA_SECRET_KEY", "aks_test_CATALOGBINARY01"},
                                                    {"LAVA_MCP_HOME", home.path()}});
  server.write(testing::initialize_line(0));
  reply_to(server, 0);

  server.write(testing::tool_call_line(1, "search", {{"query", "anthropic claude"}, {"limit", 1}}));
  const Json found = reply_to(server, 1)["result"];
  const std::string text = found["content"][0]["text"];
  CHECK_MESSAGE(std::regex_search(text, kReviewDate), text);
  Json example;
  for (const auto& candidate : found["structuredContent"]["results"][0]["examples"]) {
    if (candidate["tool"] == "prompt" && candidate["arguments"].contains("fallbacks")) {
      example = candidate["arguments"];
    }
  }
  REQUIRE_MESSAGE(example.is_object(), found.dump());

  // The primary is gone the way Anthropic says it: 404 not_found_error naming the model.
  providers.push(
      testing::Provider::kAnthropic,
      testing::status_script(
          404, R"({"type":"error","error":{"type":"not_found_error","message":"model: )" +
                   example["model"].get<std::string>() +
                   R"("},"request_id":"req_011CatalogBinary"})"));
  server.write(testing::tool_call_line(2, "prompt", example));
  const Json reply = reply_to(server, 2);
  REQUIRE_MESSAGE(reply.contains("result"), reply.dump());
  REQUIRE_MESSAGE(reply["result"].value("isError", false) == false, reply.dump());
  const Json& attempts = reply["result"]["structuredContent"]["routing"]["attempts"];
  CHECK(attempts[0]["status"] == 404);
  CHECK(attempts[0]["reason"] == "model not served");
  CHECK(reply["result"]["structuredContent"]["routing"]["served_by"]["attempt"] == 2);
  CHECK(reply["result"]["structuredContent"]["routing"]["served_by"]["format"] != "anthropic");
  server.close_stdin();
  CHECK(server.wait(5s) == 0);
}

}  // namespace
}  // namespace lava_mcp
