#include <doctest/doctest.h>

#include <thread>

#include "gateway/catalog.h"
#include "gateway/curl_http_client.h"
#include "support/fake_upstream.h"
#include "support/null_context.h"
#include "support/test_services.h"
#include "tools/all_tools.h"
#include "tools/result_budget.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"
#include "tools/search_ranking.h"

namespace lava_mcp::tools {
namespace {

// The embedded catalog as it ships; these tests pin its behaviour, not a toy copy.
const gateway::Catalog& catalog() { return gateway::Catalog::embedded(); }

// The search tool with the live catalog at `api_origin` (a closed port: offline).
struct SearchTool {
  explicit SearchTool(std::string api_origin = "http://127.0.0.1:" +
                                               std::to_string(testing::refused_port()),
                      testing::Env extra = {})
      : services(testing::merged({{"LAVA_API_URL", std::move(api_origin)}}, extra)) {
    register_search(registry, services.deps());
  }
  ToolResult run(const Json& args) {
    testing::NullContext context;
    ToolResult result = run_tool(*registry.find("search"), args, context);
    if (!result.is_error) {
      const auto violation =
          validate_against_schema(schema("search.output.json"), result.structured);
      CHECK_MESSAGE(!violation, violation->message);
    }
    return result;
  }
  testing::TestServices services;
  ToolRegistry registry;
};

std::vector<std::string> ids(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (const auto& hit : hits) {
    out.push_back(hit.provider->id);
  }
  return out;
}

TEST_CASE("search: results stay within the result budget, the list shortened and saying so") {
  SearchTool wide;
  const ToolResult all = wide.run({{"query", "model"}, {"limit", 20}});
  CHECK(result_chars(all) <= gateway::kDefaultResultBudgetTokens * kCharsPerToken);
  CHECK(all.structured["results"].size() == 20);

  SearchTool tight("http://127.0.0.1:" + std::to_string(testing::refused_port()),
                   {{"LAVA_MCP_RESULT_BUDGET_TOKENS", "1000"}});
  const ToolResult cut = tight.run({{"query", "model"}, {"limit", 20}});
  CHECK(result_chars(cut) <= 1000 * kCharsPerToken);
  CHECK(cut.structured["results"].size() < 20);
  CHECK(cut.structured["results"].size() >= 1);
  CHECK(cut.content[0]["text"].get<std::string>().find("more results left out") !=
        std::string::npos);
}

TEST_CASE("tokenize: lower case, plural stripping, stop words, compounds") {
  CHECK(tokenize("The Web Searches API") == std::vector<std::string>{"web", "searche"});
  CHECK(tokenize("gpt-4o-mini") == std::vector<std::string>{"gpt", "4o", "mini", "gpt-4o-mini"});
  CHECK(tokenize("claude-3.5") == std::vector<std::string>{"claude", "3", "5", "claude-3-5"});
  CHECK(tokenize("  ").empty());
  CHECK(tokenize("grass") == std::vector<std::string>{"grass"});
}

TEST_CASE("ranking: exact id or name first, then relevance, deterministic") {
  CHECK(ids(rank_providers(catalog().providers(), "anthropic", "", 3)).front() == "anthropic");
  CHECK(ids(rank_providers(catalog().providers(), "ElevenLabs", "", 3)).front() == "elevenlabs");
  CHECK(ids(rank_providers(catalog().providers(), "  OpenAI ", "", 3)).front() == "openai");
  const auto first = rank_providers(catalog().providers(), "text to speech voice", "", 10);
  const auto second = rank_providers(catalog().providers(), "text to speech voice", "", 10);
  CHECK(ids(first) == ids(second));
  for (std::size_t i = 1; i < first.size(); ++i) {
    CHECK((first[i - 1].exact || first[i - 1].score >= first[i].score));
  }
}

TEST_CASE("ranking: capabilities find the providers that offer them") {
  const auto top3 = [](std::string_view query) {
    return ids(rank_providers(catalog().providers(), query, "", 3));
  };
  const auto contains = [](const std::vector<std::string>& list, const char* id) {
    return std::find(list.begin(), list.end(), id) != list.end();
  };
  CHECK(contains(top3("google search results"), "serper"));
  CHECK(contains(top3("scrape a web page to markdown"), "firecrawl"));
  CHECK(contains(top3("speech to text transcription"), "deepgram"));
  CHECK(contains(top3("text to speech"), "elevenlabs"));
  CHECK(contains(top3("embeddings"), "voyage"));
  CHECK(contains(top3("claude-haiku-4-5"), "anthropic"));
}

TEST_CASE("ranking: category filter, limit, and no match") {
  const auto hits = rank_providers(catalog().providers(), "search", "SEARCH", 20);
  REQUIRE_FALSE(hits.empty());
  for (const auto& hit : hits) {
    CHECK(hit.provider->category == "search");
  }
  CHECK(rank_providers(catalog().providers(), "model", "", 2).size() == 2);
  CHECK(rank_providers(catalog().providers(), "zzzqqqxxx", "", 5).empty());
  CHECK(rank_providers(catalog().providers(), "chat", "no-such-category", 5).empty());
}

TEST_CASE("search tool: output conforms to its schema, with examples and the embedded source") {
  SearchTool tool;
  const ToolResult result = tool.run({{"query", "web search"}, {"limit", 4}});
  REQUIRE_FALSE(result.is_error);
  CHECK(result.structured["source"] == "embedded");
  CHECK(result.structured["query"] == "web search");
  CHECK(result.structured["results"].size() == 4);
  for (const auto& item : result.structured["results"]) {
    CHECK_FALSE(item["examples"].empty());
  }
  REQUIRE(result.content.size() == 1);
  CHECK(result.content[0]["type"] == "text");
  CHECK(result.content[0]["text"].get<std::string>().find("serper") != std::string::npos);
}

TEST_CASE("search tool: no match is a helpful success - bad arguments are isError") {
  SearchTool tool;
  const ToolResult none = tool.run({{"query", "zzzqqqxxx"}});
  CHECK_FALSE(none.is_error);
  CHECK(none.structured["results"].empty());
  CHECK(none.content[0]["text"].get<std::string>().find("Categories:") != std::string::npos);
  for (const Json& bad :
       {Json::object(), Json{{"query", ""}}, Json{{"query", 5}},
        Json{{"query", "x"}, {"limit", 21}}, Json{{"query", "x"}, {"limit", 0}},
        Json{{"query", "x"}, {"extra", true}}, Json{{"query", std::string(501, 'a')}}}) {
    const ToolResult result = tool.run(bad);
    CHECK(result.is_error);
    CHECK(result.content[0]["text"].get<std::string>().find("Invalid arguments") == 0);
  }
}

}  // namespace
}  // namespace lava_mcp::tools

namespace lava_mcp::tools {
namespace {

struct FakeCatalog {
  FakeCatalog() {
    server.routes().Get("/v1/services/providers",
                        [this](const httplib::Request& req, httplib::Response& res) {
                          last_query = req.get_param_value("query");
                          std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
                          res.set_content(R"({"results":[
        {"id":"serper","label":"Serper","api_reference":"https://serper.dev/live-docs","managed":false,"entry_count":1},
        {"id":"newsearchco","label":"NewSearchCo","managed":true,"entry_count":1}]})",
                                          "application/json");
                        });
    server.routes().Get("/v1/services", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("provider") != "newsearchco") {
        res.set_content(R"({"object":"list","data":[]})", "application/json");
        return;
      }
      res.set_content(
          R"({"object":"list","data":[{"id":"newsearch-web","object":"model","provider":"newsearchco",
        "endpoint":"https://api.newsearch.example/v1/search","method":"post","example_body":{"q":"lava"},
        "service_type":"search","managed":true}]})",
          "application/json");
    });
    server.routes().Get("/v1/models", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          R"({"object":"list","data":[{"id":"serper-deep-9","object":"model","owned_by":"serper"}]})",
          "application/json");
    });
  }
  testing::FakeUpstream server;
  std::string last_query;
  int delay_ms = 0;
};

const Json* result_with_id(const Json& results, const std::string& id) {
  for (const auto& item : results) {
    if (item["id"] == id) return &item;
  }
  return nullptr;
}

TEST_CASE("search: the live catalog is merged with the embedded one by id") {
  FakeCatalog live;
  SearchTool tool(live.server.base_url());
  const ToolResult result = tool.run({{"query", "web search"}, {"limit", 10}});
  REQUIRE_FALSE(result.is_error);
  CHECK(live.last_query == "web search");
  CHECK(result.structured["source"] == "live+embedded");
  const Json* serper = result_with_id(result.structured["results"], "serper");
  REQUIRE(serper != nullptr);
  CHECK((*serper)["docs_url"] == "https://serper.dev/live-docs");
  CHECK((*serper)["managed"] == false);
  const Json* fresh = result_with_id(result.structured["results"], "newsearchco");
  REQUIRE(fresh != nullptr);
  CHECK((*fresh)["name"] == "NewSearchCo");
  CHECK((*fresh)["base_url"] == "https://api.newsearch.example");
  REQUIRE((*fresh)["examples"].size() == 1);
  const Json& example = (*fresh)["examples"][0];
  CHECK(example["tool"] == "call");
  CHECK(example["arguments"] == Json{{"url", "https://api.newsearch.example/v1/search"},
                                     {"method", "POST"},
                                     {"body", {{"q", "lava"}}}});
  CHECK_FALSE(validate_against_schema(schema("call.input.json"), example["arguments"]).has_value());
  // A model id from /v1/models makes its owner findable by that id.
  const ToolResult by_model = tool.run({{"query", "serper-deep-9"}});
  CHECK(by_model.structured["results"][0]["id"] == "serper");
}

TEST_CASE("search: offline, or past the 3 s budget, the embedded catalog answers alone") {
  SearchTool offline;
  const auto started = std::chrono::steady_clock::now();
  CHECK(offline.run({{"query", "web search"}}).structured["source"] == "embedded");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));

  FakeCatalog slow;
  slow.delay_ms = 4500;
  SearchTool tool(slow.server.base_url());
  const auto slow_started = std::chrono::steady_clock::now();
  const ToolResult result = tool.run({{"query", "web search"}});
  CHECK(result.structured["source"] == "embedded");
  CHECK(std::chrono::steady_clock::now() - slow_started < std::chrono::milliseconds(4300));
}

}  // namespace
}  // namespace lava_mcp::tools
