// Live data first (tools.md 3.4): when Lava's model list answers, the model ids search shows come
// from it (asked with the user's key), and live service entries replace embedded examples for the
// same endpoint.
#include <doctest/doctest.h>

#include <mutex>

#include "gateway/live_catalog.h"
#include "support/fake_upstream.h"
#include "support/null_context.h"
#include "support/test_services.h"
#include "tools/all_tools.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

constexpr const char* kSpendKey = "lava_sk_LIVEMODELSTEST0001";

// Lava's catalog and model list, as lava-api.md 6 and 7.3 describe them.
struct FakeLavaCatalog {
  // models_answer: false makes GET /v1/models fail as an unreachable list does (503).
  explicit FakeLavaCatalog(bool models_answer = true) {
    server.routes().Get(
        "/v1/services/providers", [](const httplib::Request& req, httplib::Response& res) {
          const bool groq = req.get_param_value("query").find("groq") != std::string::npos;
          res.set_content(groq ? R"({"results":[{"id":"groq","label":"Groq","entry_count":1}]})"
                               : R"({"results":[]})",
                          "application/json");
        });
    server.routes().Get("/v1/services", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("provider") != "groq") {
        res.set_content(R"({"object":"list","data":[]})", "application/json");
        return;
      }
      res.set_content(
          R"({"object":"list","data":[{"id":"openai/gpt-oss-20b","object":"model","provider":"groq",
        "endpoint":"https://api.groq.com/openai/v1/chat/completions","method":"POST","service_type":"llm"}]})",
          "application/json");
    });
    server.routes().Get(
        "/v1/models", [this, models_answer](const httplib::Request& req, httplib::Response& res) {
          if (!models_answer) {
            res.status = 503;
            res.set_content(R"({"error":{"message":"upstream unavailable"}})", "application/json");
            return;
          }
          {
            std::lock_guard lock(mutex);
            authorization = req.get_header_value("Authorization");
          }
          res.set_content(R"({"object":"list","data":[
        {"id":"gpt-6-luna","object":"model","owned_by":"openai"},
        {"id":"gpt-7-nova","object":"model","owned_by":"openai"},
        {"id":"claude-haiku-5-5","object":"model","owned_by":"anthropic"},
        {"id":"openai/gpt-oss-120b","object":"model","owned_by":"groq"},
        {"id":"openai/gpt-oss-20b","object":"model","owned_by":"groq"}]})",
                          "application/json");
        });
  }
  std::string seen_authorization() {
    std::lock_guard lock(mutex);
    return authorization;
  }
  testing::FakeUpstream server;
  std::mutex mutex;
  std::string authorization;
};

struct Search {
  explicit Search(testing::Env env) : services(std::move(env)) {
    register_search(registry, services.deps());
  }
  ToolResult run(const Json& args) {
    testing::NullContext context;
    ToolResult result = run_tool(*registry.find("search"), args, context);
    REQUIRE_FALSE(result.is_error);
    const auto violation = validate_against_schema(schema("search.output.json"), result.structured);
    CHECK_MESSAGE(!violation, violation->message);
    return result;
  }
  testing::TestServices services;
  ToolRegistry registry;
};

const Json& result_with_id(const Json& structured, const std::string& id) {
  for (const auto& item : structured["results"]) {
    if (item["id"] == id) return item;
  }
  FAIL("no result " << id << " in " << structured.dump());
  static const Json none;
  return none;
}

TEST_CASE(
    "search: with Lava's model list, only listed model ids are shown, asked with the spend key") {
  FakeLavaCatalog lava;
  Search search({{"LAVA_API_URL", lava.server.base_url()}, {"LAVA_SPEND_KEY", kSpendKey}});
  const ToolResult result = search.run({{"query", "openai"}, {"limit", 3}});
  CHECK(lava.seen_authorization() == std::string("Bearer ") + kSpendKey);
  const std::string text = result.content[0]["text"];
  CHECK(text.find("model ids from Lava's live model list") != std::string::npos);
  // Embedded ids Lava does not list are gone from the text and from the examples.
  CHECK(text.find("gpt-6.2-sol") == std::string::npos);
  CHECK(text.find("text-embedding-3-small") == std::string::npos);
  const Json& openai = result_with_id(result.structured, "openai");
  REQUIRE_FALSE(openai["examples"].empty());
  for (const auto& example : openai["examples"]) {
    const std::string dumped = example["arguments"].dump();
    CHECK_MESSAGE(dumped.find("gpt-6-luna") != std::string::npos, dumped);
  }
  // A model only the live list knows makes its owner the exact match.
  const ToolResult by_new_model = search.run({{"query", "gpt-7-nova"}});
  CHECK(by_new_model.structured["results"][0]["id"] == "openai");
}

TEST_CASE("search: live catalog without the model list says the embedded ids' verified date") {
  FakeLavaCatalog lava(false);
  Search search({{"LAVA_API_URL", lava.server.base_url()}, {"LAVA_SPEND_KEY", kSpendKey}});
  const ToolResult result = search.run({{"query", "groq"}, {"limit", 3}});
  CHECK(result.structured["source"] == "live+embedded");
  const std::string text = result.content[0]["text"];
  CHECK_MESSAGE(
      text.find("verified " + gateway::Catalog::embedded().verified()) != std::string::npos, text);
  CHECK(text.find("live model list did not answer") != std::string::npos);
  CHECK(text.find("model ids from Lava's live model list") == std::string::npos);
}

TEST_CASE("search: a live service entry replaces embedded examples for the same endpoint") {
  FakeLavaCatalog lava;
  Search search({{"LAVA_API_URL", lava.server.base_url()}});
  const ToolResult result = search.run({{"query", "groq"}, {"limit", 3}});
  CHECK(lava.seen_authorization().empty());  // no key known: the public list
  const Json& groq = result_with_id(result.structured, "groq");
  REQUIRE(groq["examples"].size() == 1);
  CHECK(groq["examples"][0]["tool"] == "prompt");
  CHECK(groq["examples"][0]["arguments"]["model"] == "openai/gpt-oss-20b");
  CHECK(groq["examples"][0]["arguments"]["url"] == "api.groq.com/openai/v1/chat/completions");
}

TEST_CASE("live models: unlisted fallbacks are dropped, unlisted primaries drop the example") {
  gateway::Provider provider = *gateway::Catalog::embedded().find("anthropic");
  gateway::keep_listed_models(provider, {"claude-haiku-5-5", "gemini-3.8-flash"});
  CHECK(provider.models == std::vector<std::string>{"claude-haiku-5-5"});
  REQUIRE_FALSE(provider.examples.empty());
  for (const auto& example : provider.examples) {
    for (const std::string& model : gateway::example_models(example)) {
      CHECK_MESSAGE((model == "claude-haiku-5-5" || model == "gemini-3.8-flash"), model);
    }
  }
  gateway::keep_listed_models(provider, {"some-other-model"});
  CHECK(provider.examples.empty());
  gateway::add_listed_models(provider, {"claude-new-1"});
  REQUIRE(provider.examples.size() == 1);
  CHECK(provider.examples[0].arguments["model"] == "claude-new-1");
  CHECK(provider.examples[0].arguments["url"] == provider.chat_url);
}

}  // namespace
}  // namespace lava_mcp::tools
