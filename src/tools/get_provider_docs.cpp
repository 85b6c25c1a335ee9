// The get_provider_docs tool: a provider's upstream API documentation as readable text.
#include <algorithm>
#include <ctime>
#include <sstream>

#include "base/json_writer.h"
#include "base/text_basics.h"
#include "docs/docs.h"
#include "gateway/docs_fetcher.h"
#include "gateway/live_catalog.h"
#include "tools/all_tools.h"
#include "tools/http_body.h"
#include "tools/result_budget.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

constexpr std::size_t kDefaultMaxChars = 20000;
constexpr auto kLiveBudget = std::chrono::seconds(3);

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_ids(const gateway::Catalog& catalog, const std::string& wanted) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& p : catalog.providers()) {
    const std::size_t by_id = edit_distance(ascii_lower(p.id), wanted);
    const std::size_t by_name = edit_distance(ascii_lower(p.name), wanted);
    const bool contains = ascii_lower(p.id).find(wanted) != std::string::npos ||
                          ascii_lower(p.name).find(wanted) != std::string::npos;
    scored.emplace_back(contains ? 0 : std::min(by_id, by_name), p.id);
  }
  std::sort(scored.begin(), scored.end());
  std::string out;
  for (std::size_t i = 0; i < std::min<std::size_t>(3, scored.size()); ++i) {
    out += (i ? ", " : "") + scored[i].second;
  }
  return out;
}

const gateway::Provider* match(const gateway::Catalog& catalog, const std::string& wanted) {
  const std::string key = ascii_lower(wanted);
  for (const auto& p : catalog.providers()) {
    if (ascii_lower(p.id) == key || ascii_lower(p.name) == key) {
      return &p;
    }
  }
  return nullptr;
}

// The URLs to try, best first: the live catalog's API reference (the current word), the
// machine-readable forms the embedded catalog lists, then its docs page.
std::vector<std::string> candidate_urls(const gateway::Provider& provider,
                                        const std::string& live_reference) {
  std::vector<std::string> urls;
  const auto add = [&urls](const std::string& url) {
    if (!url.empty() && std::find(urls.begin(), urls.end(), url) == urls.end()) {
      urls.push_back(url);
    }
  };
  add(live_reference);
  for (const char* key : {"markdown", "openapi", "llms_txt"}) {
    const auto it = provider.docs_alt.find(key);
    if (it != provider.docs_alt.end() && it->is_string()) {
      add(it->get<std::string>());
    }
  }
  add(provider.docs_url);
  return urls;
}

std::string readable(const gateway::FetchedDoc& doc) {
  switch (docs::detect_kind(doc.content_type, doc.url, doc.body)) {
    case docs::DocKind::kHtml:
      return docs::html_to_text(doc.body);
    case docs::DocKind::kOpenApi:
      if (auto summary = docs::openapi_summary(doc.body)) {
        return *summary;
      }
      return docs::markdown_passthrough(doc.body);
    case docs::DocKind::kMarkdown:
    case docs::DocKind::kText:
      break;
  }
  return docs::markdown_passthrough(doc.body);
}

std::string embedded_summary(const gateway::Provider& p) {
  std::ostringstream text;
  text << "# " << p.name << " API (offline summary)\n\n"
       << p.description << "\n\n"
       << "- Base URL: " << p.base_url << "\n"
       << "- Format: " << p.format << "\n"
       << "- Auth: " << (p.auth.empty() ? "provider key" : p.auth)
       << " (added by Lava's gateway: leave keys out of calls)\n";
  if (!p.docs_url.empty()) {
    text << "- Full documentation: " << p.docs_url << "\n";
  }
  if (!p.endpoints.empty()) {
    text << "\n## Endpoints\n\n";
    for (const auto& endpoint : p.endpoints) {
      text << "- " << endpoint.value("method", "") << " " << endpoint.value("path", "");
      const std::string about = endpoint.value("description", "");
      text << (about.empty() ? "" : ": " + about) << "\n";
    }
  }
  for (const auto& example : p.examples) {
    text << "\n## Example: " << example.title << "\n\n```json\n{\"tool\": \"" << example.tool
         << "\", \"arguments\": " << example.arguments.dump(2) << "}\n```\n";
  }
  return text.str();
}

std::string title_of(const std::string& text, const gateway::Provider& provider) {
  for (const auto& section : docs::split_sections(text)) {
    if (section.level > 0 && !section.heading.empty()) {
      return section.heading;
    }
  }
  return provider.name + " API documentation";
}

ToolResult shaped(const gateway::Provider& provider, std::string text, const std::string& url,
                  const std::string& source, std::time_t fetched_at, const Json& args,
                  const ResultBudget& budget) {
  const std::string title = title_of(text, provider);
  if (const std::string topic = args.value("topic", ""); !topic.empty()) {
    text = docs::select_for_topic(docs::split_sections(text), topic);
  }
  const std::size_t max_chars = args.value("max_chars", kDefaultMaxChars);
  const std::string note =
      "\n\n[truncated: more documentation at " + url +
      "; pass a topic to get the relevant sections first, or a larger max_chars]";
  docs::Cut cut = docs::cut_at_boundary(text, max_chars);
  if (cut.truncated) {
    cut = docs::cut_at_boundary(text,
                                max_chars > note.size() ? max_chars - note.size() : max_chars / 2);
    cut.text += note;
  }
  Json out = {{"provider", provider.id},
              {"title", title},
              {"url", url},
              {"source", source},
              {"fetched_at", iso8601_utc(fetched_at)},
              {"chars", cut.text.size()},
              {"truncated", cut.truncated}};
  ToolResult result = ToolResult::success("", std::move(out));
  Payload doc;
  doc.what = "the documentation";
  doc.how_to_get_more =
      "Pass a topic to get the relevant sections first, or a smaller max_chars; "
      "the whole page is at " +
      url + ".";
  doc.key = "/text";
  doc.text = std::move(cut.text);
  if (const Placed placed = place_payload(result, std::move(doc), budget); placed.cut) {
    result.structured["truncated"] = true;
    result.structured["chars"] = placed.kept;
  }
  return result;
}

ToolResult run_docs(const Json& args, RequestContext& context, const ToolDeps& deps) {
  const std::string wanted = args.at("provider").get<std::string>();
  auto config = deps.config.current();
  const ResultBudget budget = result_budget(
      context, config ? config->result_budget_tokens : gateway::kDefaultResultBudgetTokens);
  const gateway::Provider* known = match(deps.catalog(), wanted);
  gateway::Provider provider = known ? *known : gateway::Provider{};
  std::string live_reference;
  if (config) {
    // The live catalog knows the current API reference, and providers we do not embed.
    gateway::LiveCatalog live(deps.http, config->api_origin);
    const auto id = known ? known->id : ascii_lower(wanted);
    auto found =
        live.provider(id, std::chrono::steady_clock::now() + kLiveBudget, context.stop_token());
    if (found && (!found->api_reference.empty() || known)) {
      live_reference = found->api_reference;
      gateway::Provider merged = gateway::merge_provider(known, *found, {});
      merged.docs_url = known && !known->docs_url.empty() ? known->docs_url : live_reference;
      provider = std::move(merged);
      known = &provider;
    }
  }
  if (known == nullptr) {
    return ToolResult::error("No provider matches \"" + wanted + "\". Closest ids: " +
                             closest_ids(deps.catalog(), ascii_lower(wanted)) +
                             ". Use search to find the provider's id.");
  }
  if (config) {
    gateway::DocsFetcher& fetcher = deps.docs;
    for (const std::string& url : candidate_urls(provider, live_reference)) {
      if (context.stop_token().stop_requested()) {
        break;
      }
      auto doc =
          fetcher.fetch(url, config->home, config->untrusted_peer_policy, context.stop_token());
      if (doc) {
        return shaped(provider, readable(*doc), doc->url, doc->source, doc->fetched_at, args,
                      budget);
      }
      context.log(McpLogLevel::kInfo, "get_provider_docs",
                  "could not fetch " + url + ": " + doc.error().message);
    }
  }
  return shaped(provider, embedded_summary(provider),
                live_reference.empty() ? provider.docs_url : live_reference, "embedded",
                deps.docs.now(), args, budget);
}

}  // namespace

void register_get_provider_docs(ToolRegistry& registry, const ToolDeps& deps) {
  registry.add(ToolSpec{
      .name = "get_provider_docs",
      .title = "Provider API docs",
      .description =
          "Fetch a provider's upstream API documentation as readable text (HTML cleaned, "
          "markdown as is, OpenAPI summarised as endpoints), to learn endpoints, parameters and "
          "request bodies before using call. Give the provider id or name from search; topic "
          "puts the most relevant sections first (\"streaming\", \"rate limits\"). Cached for "
          "24 h; offline it answers with a short built-in summary. Use search to find providers.",
      .input_schema = schema("get_provider_docs.input.json"),
      .output_schema = schema("get_provider_docs.output.json"),
      .annotations =
          {.read_only = true, .destructive = false, .idempotent = true, .open_world = true},
      .run = [deps](const Json& args,
                    RequestContext& context) { return run_docs(args, context, deps); },
  });
}

}  // namespace lava_mcp::tools
