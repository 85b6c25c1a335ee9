// The search tool: find providers in the catalog, with ready-to-run call/prompt examples.
#include <algorithm>
#include <future>
#include <set>
#include <sstream>

#include "base/json_writer.h"
#include "gateway/live_catalog.h"
#include "tools/all_tools.h"
#include "tools/result_budget.h"
#include "tools/schemas.h"
#include "tools/search_ranking.h"

namespace lava_mcp::tools {
namespace {

constexpr std::size_t kDefaultLimit = 5;
constexpr auto kLiveBudget = std::chrono::seconds(3);  // tools.md 3.4

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

std::string render_text(const std::string& query, const std::vector<SearchHit>& hits,
                        const std::string& source_note) {
  std::ostringstream text;
  text << "Found " << hits.size() << (hits.size() == 1 ? " provider" : " providers") << " for \""
       << query << "\" (" << source_note << "):\n";
  int rank = 1;
  for (const auto& hit : hits) {
    const gateway::Provider& p = *hit.provider;
    text << "\n"
         << rank++ << ". " << p.name << " (id: " << p.id << ", category: " << p.category
         << ", format: " << p.format << ", score " << hit.score << ")\n   " << p.description
         << "\n   base_url: " << p.base_url;
    if (!p.docs_url.empty()) {
      text << "  docs: " << p.docs_url;
    }
    text << "\n";
    if (!p.deprecated_models.empty()) {
      text << "   Deprecated (avoid; served until shutdown):";
      for (const auto& model : p.deprecated_models) {
        text << " " << model.id << " (shutdown " << model.shutdown << ")";
      }
      text << "\n";
    }
    for (const auto& example : p.examples) {
      text << "   Example, " << example.title << ": " << example.tool << " "
           << compact_json(example.arguments) << "\n";
    }
  }
  text << "\nRun an example with the tool it names; use get_provider_docs for full documentation.";
  return text.str();
}

// What answered a search: which providers Lava's live catalog returned, and whether Lava's live
// model list (GET /v1/models) answered with any model.
struct Sources {
  std::vector<std::string> live_ids;
  bool live_answered = false;
  bool models_listed = false;
};

// The providers to rank: the embedded catalog, merged by id with what the live catalog found
// for this query within the budget; when Lava's model list answered, the model ids shown are
// the listed ones (tools.md 3.4: live data first).
std::vector<gateway::Provider> merged_pool(const std::string& query, const std::string& category,
                                           std::size_t limit, const ToolDeps& deps,
                                           std::stop_token stop, Sources* sources) {
  std::vector<gateway::Provider> pool = deps.catalog().providers();
  auto config = deps.config.current();
  if (!config) {
    return pool;
  }
  const gateway::Deadline deadline = std::chrono::steady_clock::now() + kLiveBudget;
  gateway::LiveCatalog live(deps.http, config->api_origin);
  const std::string key = gateway::model_list_key(*config);
  auto models = std::async(std::launch::async, [&] {
    return deps.key_models.fetch(config->api_origin, key, deadline, stop);
  });
  auto found = live.search_providers(query, category, deadline, stop);
  sources->live_answered = found.has_value();
  std::vector<std::future<Expected<std::vector<gateway::LiveService>>>> services;
  const std::size_t take = found ? std::min(found->size(), limit) : 0;
  for (std::size_t i = 0; i < take; ++i) {
    services.push_back(std::async(
        std::launch::async, [&, i] { return live.services((*found)[i].id, deadline, stop); }));
  }
  // An empty list says nothing a user could call, so it filters nothing (docs/decisions.md).
  const auto listed = models.get();
  sources->models_listed = listed && !listed->empty();
  if (sources->models_listed) {
    std::set<std::string> ids;
    for (const auto& [model, owner] : *listed) {
      ids.insert(model);
    }
    for (gateway::Provider& provider : pool) {
      gateway::keep_listed_models(provider, ids);
    }
  }
  if (found) {
    const std::vector<std::string> query_terms = tokenize(query);
    for (std::size_t i = 0; i < found->size(); ++i) {
      const gateway::LiveProvider& item = (*found)[i];
      std::vector<gateway::LiveService> entries;
      if (i < take) {
        auto answer = services[i].get();
        entries = answer ? std::move(*answer) : entries;
      }
      auto existing = std::find_if(pool.begin(), pool.end(),
                                   [&](const gateway::Provider& p) { return p.id == item.id; });
      gateway::Provider merged =
          gateway::merge_provider(existing == pool.end() ? nullptr : &*existing, item, entries);
      // Lava's catalog matched this provider to the query: let the ranking know.
      merged.tags.insert(merged.tags.end(), query_terms.begin(), query_terms.end());
      if (existing == pool.end()) {
        pool.push_back(std::move(merged));
      } else {
        *existing = std::move(merged);
      }
      sources->live_ids.push_back(item.id);
    }
  }
  if (sources->models_listed) {
    for (gateway::Provider& provider : pool) {
      std::vector<std::string> owned;
      for (const auto& [model, owner] : *listed) {
        if (owner == provider.id) {
          owned.push_back(model);
        }
      }
      gateway::add_listed_models(provider, owned);
    }
  }
  return pool;
}

std::string source_of(const std::vector<SearchHit>& hits, const Sources& sources,
                      const gateway::Catalog& catalog) {
  bool live = false;
  bool embedded = !sources.live_answered;
  for (const auto& hit : hits) {
    const std::string& id = hit.provider->id;
    live = live || std::find(sources.live_ids.begin(), sources.live_ids.end(), id) !=
                       sources.live_ids.end();
    embedded = embedded || catalog.find(id) != nullptr;
  }
  if (live && embedded) {
    return "live+embedded";
  }
  return live ? "live" : "embedded";
}

// Which source answered, in words: the live list's model ids, or how old the embedded model ids
// are whenever they are the ones shown (offline, or Lava's model list did not answer).
std::string source_note(const std::string& source, const Sources& sources,
                        const gateway::Catalog& catalog) {
  std::string note = source + " catalog";
  if (sources.models_listed) {
    return note + "; model ids from Lava's live model list";
  }
  note += ", verified " +
          (catalog.verified().empty() ? std::string("on an unknown date") : catalog.verified());
  return note +
         (sources.live_answered
              ? "; Lava's live model list did not answer: model ids from the embedded catalog"
              : "; Lava's live catalog did not answer");
}

// The results as a model reads them and as structuredContent carries them; both sides carry
// the list (it is what every host must show its model), so the list is what gets shortened.
ToolResult found_result(const std::string& query, std::vector<SearchHit> hits,
                        const std::string& source, const std::string& source_note,
                        const ResultBudget& budget) {
  const std::size_t found = hits.size();
  for (;;) {
    Json results = Json::array();
    for (const auto& hit : hits) {
      results.push_back(hit_json(hit));
    }
    ToolResult result = ToolResult::success(
        render_text(query, hits, source_note),
        {{"query", query}, {"source", source}, {"results", std::move(results)}});
    if (hits.size() < found) {
      result.content[0]["text"] = result.content[0]["text"].get<std::string>() +
                                  "\n[cut: " + std::to_string(found - hits.size()) +
                                  " more results left out to stay within the host's result "
                                  "limit; ask with a lower limit, a narrower query or a category]";
    }
    if (hits.size() <= 1 || result_chars(result) <= budget.chars) {
      return result;
    }
    hits.pop_back();
  }
}

ToolResult run_search(const Json& args, const ToolDeps& deps, const RequestContext& context) {
  const std::stop_token stop = context.stop_token();
  const std::string query = args.at("query").get<std::string>();
  const std::string category = args.value("category", "");
  const auto limit = args.value("limit", kDefaultLimit);
  Sources sources;
  const std::vector<gateway::Provider> pool =
      merged_pool(query, category, limit, deps, stop, &sources);
  const auto hits = rank_providers(pool, query, category, limit);
  const std::string source = source_of(hits, sources, deps.catalog());
  if (hits.empty()) {
    Json structured = {{"query", query}, {"source", source}, {"results", Json::array()}};
    std::string text = "No provider matched \"" + query + "\"";
    text += category.empty() ? "" : " in category \"" + category + "\"";
    text += " (" + source_note(source, sources, deps.catalog()) + ")";
    text +=
        ". Try other or fewer words (a capability such as \"text to speech\", a provider or "
        "model name). Categories: " +
        categories_of(deps.catalog()) + ".";
    return ToolResult::success(std::move(text), std::move(structured));
  }
  auto config = deps.config.current();
  return found_result(query, hits, source, source_note(source, sources, deps.catalog()),
                      result_budget(context, config ? config->result_budget_tokens
                                                    : gateway::kDefaultResultBudgetTokens));
}

}  // namespace

void register_search(ToolRegistry& registry, const ToolDeps& deps) {
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
      .annotations =
          {.read_only = true, .destructive = false, .idempotent = true, .open_world = true},
      .run = [deps](const Json& args,
                    RequestContext& context) { return run_search(args, deps, context); },
  });
}

}  // namespace lava_mcp::tools
