#include <doctest/doctest.h>

#include "gateway/catalog.h"
#include "tools/all_tools.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"
#include "tools/search_ranking.h"
#include "support/null_context.h"

namespace lava_mcp::tools {
namespace {

// The embedded catalog as it ships; these tests pin its behaviour, not a toy copy.
const gateway::Catalog& catalog() { return gateway::Catalog::embedded(); }

std::vector<std::string> ids(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (const auto& hit : hits) {
    out.push_back(hit.provider->id);
  }
  return out;
}


TEST_CASE("tokenize: lower case, plural stripping, stop words, compounds") {
  CHECK(tokenize("The Web Searches API") == std::vector<std::string>{"web", "searche"});
  CHECK(tokenize("gpt-4o-mini") == std::vector<std::string>{"gpt", "4o", "mini", "gpt-4o-mini"});
  CHECK(tokenize("claude-3.5") == std::vector<std::string>{"claude", "3", "5", "claude-3-5"});
  CHECK(tokenize("  ") .empty());
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
  ToolRegistry registry;
  register_search(registry, catalog());
  testing::NullContext context;
  const ToolResult result =
      run_tool(*registry.find("search"), {{"query", "web search"}, {"limit", 4}}, context);
  REQUIRE_FALSE(result.is_error);
  CHECK_FALSE(validate_against_schema(schema("search.output.json"), result.structured).has_value());
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

TEST_CASE("search tool: no match is a helpful success; bad arguments are isError") {
  ToolRegistry registry;
  register_search(registry, catalog());
  testing::NullContext context;
  const auto& spec = *registry.find("search");
  const ToolResult none = run_tool(spec, {{"query", "zzzqqqxxx"}}, context);
  CHECK_FALSE(none.is_error);
  CHECK(none.structured["results"].empty());
  CHECK(none.content[0]["text"].get<std::string>().find("Categories:") != std::string::npos);
  for (const Json& bad : {Json::object(), Json{{"query", ""}}, Json{{"query", 5}},
                          Json{{"query", "x"}, {"limit", 21}}, Json{{"query", "x"}, {"limit", 0}},
                          Json{{"query", "x"}, {"extra", true}},
                          Json{{"query", std::string(501, 'a')}}}) {
    const ToolResult result = run_tool(spec, bad, context);
    CHECK(result.is_error);
    CHECK(result.content[0]["text"].get<std::string>().find("Invalid arguments") == 0);
  }
}

}  // namespace
}  // namespace lava_mcp::tools
