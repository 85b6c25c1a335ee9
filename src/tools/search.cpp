// The search tool: find providers in the catalog, with ready-to-run call/prompt examples.
#include <algorithm>
#include <sstream>

#include "tools/all_tools.h"
#include "tools/schemas.h"
#include "tools/search_ranking.h"
#include "transport/jsonrpc.h"

namespace lava_mcp::tools {
namespace {

constexpr std::size_t kDefaultLimit = 5;

Json example_json(const gateway::CatalogExample& example) {
  return {{"title", example.title}, {"tool", example.tool}, {"arguments", example.arguments}};
}

Json hit_json(const SearchHit& hit) {
  const gateway::Provider& p = *hit.provider;
  Json out = {{"id", p.id},
              {"name", p.name},
              {"description", p.description},
              {"category", p.category},
              {"managed", p.managed},
              {"format", p.format},
              {"base_url", p.base_url},
              {"score", hit.score},
              {"examples", Json::array()}};
  if (!p.docs_url.empty()) {
    out["docs_url"] = p.docs_url;
  }
  for (const auto& example : p.examples) {
    out["examples"].push_back(example_json(example));
  }
  return out;
}

std::string categories_of(const gateway::Catalog& catalog) {
  std::vector<std::string> names;
  for (const auto& p : catalog.providers()) {
    if (std::find(names.begin(), names.end(), p.category) == names.end()) {
      names.push_back(p.category);
    }
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& name : names) {
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

std::string render_text(const std::string& query, const std::vector<SearchHit>& hits) {
  std::ostringstream text;
  text << "Found " << hits.size() << (hits.size() == 1 ? " provider" : " providers")
       << " for \"" << query << "\" (embedded catalog):\n";
  int rank = 1;
  for (const auto& hit : hits) {
    const gateway::Provider& p = *hit.provider;
    text << "\n" << rank++ << ". " << p.name << " (id: " << p.id << ", category: " << p.category
         << ", format: " << p.format << ", score " << hit.score << ")\n   " << p.description
         << "\n   base_url: " << p.base_url;
    if (!p.docs_url.empty()) {
      text << "  docs: " << p.docs_url;
    }
    text << "\n";
    for (const auto& example : p.examples) {
      text << "   Example, " << example.title << ": " << example.tool << " "
           << transport::dump_compact(example.arguments) << "\n";
    }
  }
  text << "\nRun an example with the tool it names; use get_provider_docs for full documentation.";
  return text.str();
}

ToolResult run_search(const Json& args, const gateway::Catalog& catalog) {
  const std::string query = args.at("query").get<std::string>();
  const std::string category = args.value("category", "");
  const auto limit = args.value("limit", kDefaultLimit);
  const auto hits = rank_providers(catalog.providers(), query, category, limit);
  Json results = Json::array();
  for (const auto& hit : hits) {
    results.push_back(hit_json(hit));
  }
  Json structured = {{"query", query}, {"source", "embedded"}, {"results", std::move(results)}};
  if (hits.empty()) {
    std::string text = "No provider matched \"" + query + "\"";
    text += category.empty() ? "" : " in category \"" + category + "\"";
    text += ". Try other or fewer words (a capability such as \"text to speech\", a provider or "
            "model name). Categories: " + categories_of(catalog) + ".";
    return ToolResult::success(std::move(text), std::move(structured));
  }
  return ToolResult::success(render_text(query, hits), std::move(structured));
}

}  // namespace

void register_search(ToolRegistry& registry, const gateway::Catalog& catalog) {
  registry.add(ToolSpec{
      .name = "search",
      .title = "Search providers",
      .description =
          "Find AI models and API providers reachable through Lava's gateway (LLMs, web search, "
          "scraping, speech, images, embeddings, ...) from a plain-language query, ranked by "
          "relevance. Each result has the provider's base URL, format, docs URL and ready-to-run "
          "examples: pass an example's arguments to the tool it names (`prompt` for chat models, "
          "`call` for any other endpoint). Use this first when you do not know which provider, "
          "model or URL to use; use get_provider_docs for a provider's full API documentation.",
      .input_schema = schema("search.input.json"),
      .output_schema = schema("search.output.json"),
      // Reads only the embedded catalog today, so it touches nothing outside the process.
      .annotations = {.read_only = true, .destructive = false, .idempotent = true,
                      .open_world = false},
      .run = [&catalog](const Json& args, RequestContext&) { return run_search(args, catalog); },
  });
}

}  // namespace lava_mcp::tools
