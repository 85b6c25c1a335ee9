#include "gateway/catalog.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "gateway/live_catalog.h"
#include "gateway/url.h"

namespace lava_mcp::gateway {
namespace {

// Lava SDK 11.2.0's provider list (lava.providers), one catalog id each.
const std::set<std::string> kSdkProviders = {
    "openai",    "anthropic", "google",    "google-openai", "mistral",    "deepseek",   "xai",
    "groq",      "together",  "cohere",    "hyperbolic",    "sambanova",  "deepinfra",  "cerebras",
    "fireworks", "nebius",    "inference", "novita",        "elevenlabs", "vercel",     "kluster",
    "parasail",  "targon",    "gmicloud",  "chutes",        "baseten",    "embercloud", "moonshot"};

TEST_CASE("catalog: the embedded copy is the data file, complete and well formed") {
  std::ifstream file(LAVA_MCP_CATALOG_JSON);
  std::stringstream text;
  text << file.rdbuf();
  auto from_disk = Catalog::parse(text.str());
  REQUIRE(from_disk.has_value());
  const Catalog& embedded = Catalog::embedded();
  CHECK(embedded.providers().size() == from_disk->providers().size());

  std::set<std::string> ids;
  int api_providers = 0;
  for (const auto& p : embedded.providers()) {
    CHECK_MESSAGE(ids.insert(p.id).second, "duplicate id " << p.id);
    CHECK(!p.name.empty());
    CHECK(!p.description.empty());
    CHECK(!p.docs_url.empty());
    CHECK(p.base_url.rfind("https://", 0) == 0);
    api_providers += p.category != "llm" ? 1 : 0;
  }
  for (const auto& id : kSdkProviders) {
    CHECK_MESSAGE(ids.count(id) == 1, "missing SDK provider " << id);
  }
  CHECK(api_providers >= 12);
}

TEST_CASE("catalog: model prefixes route to one provider each") {
  const Catalog& c = Catalog::embedded();
  const std::pair<const char*, const char*> routes[] = {{"claude-haiku-4-5", "anthropic"},
                                                        {"gpt-6-luna", "openai"},
                                                        {"o3-mini", "openai"},
                                                        {"o4-mini", "openai"},
                                                        {"chatgpt-4o-latest", "openai"},
                                                        {"gemini-3.8-flash", "google"},
                                                        {"grok-4.3", "xai"},
                                                        {"mistral-large-latest", "mistral"},
                                                        {"codestral-latest", "mistral"},
                                                        {"deepseek-flash", "deepseek"}};
  for (const auto& [model, provider] : routes) {
    const Provider* routed = c.route_model(model);
    REQUIRE_MESSAGE(routed != nullptr, model);
    CHECK_MESSAGE(routed->id == provider, model);
  }
  CHECK(c.route_model("totally-unknown-model") == nullptr);
  std::set<std::string> prefixes;
  for (const auto& p : c.providers()) {
    for (const auto& prefix : p.model_prefixes) {
      CHECK_MESSAGE(prefixes.insert(prefix).second, "prefix under two providers: " << prefix);
    }
  }
}

const std::regex kDate("20[0-9]{2}-[01][0-9]-[0-3][0-9]");

std::string host_of(const std::string& url) {
  const auto parsed = parse_url(url.find("://") == std::string::npos ? "https://" + url : url);
  return parsed ? parsed->host : "";
}

// "api.tokenfactory.nebius.com" -> "tokenfactory.nebius.com": the product part of a host.
std::string site_of(const std::string& host) {
  const auto dots = std::count(host.begin(), host.end(), '.');
  return dots >= 2 ? host.substr(host.find('.') + 1) : host;
}

// "api.tokenfactory.nebius.com" -> "nebius.com"
std::string domain_of(const std::string& host) {
  const auto last = host.rfind('.');
  const auto second =
      last == std::string::npos || last == 0 ? std::string::npos : host.rfind('.', last - 1);
  return second == std::string::npos ? host : host.substr(second + 1);
}

bool lists(const Provider& provider, const std::string& model) {
  return std::find(provider.models.begin(), provider.models.end(), model) != provider.models.end();
}

TEST_CASE("catalog guard: every example's model is in its provider's model list") {
  const Catalog& catalog = Catalog::embedded();
  int checked = 0;
  for (const auto& provider : catalog.providers()) {
    for (const auto& example : provider.examples) {
      CAPTURE(provider.id);
      CAPTURE(example.title);
      std::vector<std::string> own = example_models(example);
      const auto fallbacks = example.arguments.find("fallbacks");
      std::vector<std::pair<std::string, std::string>> others;  // {url, model}
      if (fallbacks != example.arguments.end()) {
        for (const auto& fallback : *fallbacks) {
          const std::string model = fallback.at("model");
          others.emplace_back(fallback.at("url"), model);
          own.erase(std::find(own.begin(), own.end(), model));  // example_models lists them too
        }
      }
      for (const std::string& model : own) {
        CHECK_MESSAGE(lists(provider, model), model << " is not in " << provider.id << "'s models");
        for (const auto& deprecated : provider.deprecated_models) {
          CHECK_MESSAGE(deprecated.id != model, model << " is deprecated: no example may use it");
        }
        ++checked;
      }
      // A fallback names another provider's endpoint: that provider must list the model.
      for (const auto& [url, model] : others) {
        const bool served = std::any_of(
            catalog.providers().begin(), catalog.providers().end(), [&](const Provider& owner) {
              return !owner.chat_url.empty() && host_of(owner.chat_url) == host_of(url) &&
                     lists(owner, model);
            });
        CHECK_MESSAGE(served,
                      "fallback " << model << " at " << url << " is listed by no provider there");
        ++checked;
      }
    }
  }
  CHECK(checked >= 60);
}

TEST_CASE("catalog guard: no two places disagree on a provider's host") {
  // Every host the catalog names (base, chat, docs, examples), grouped by domain: one domain,
  // one product host. Nebius once had api.studio.nebius.com beside docs.tokenfactory.nebius.com.
  std::map<std::string, std::map<std::string, std::set<std::string>>>
      sites;  // domain -> site -> ids
  for (const auto& provider : Catalog::embedded().providers()) {
    std::vector<std::string> urls = {provider.base_url, provider.docs_url};
    if (!provider.chat_url.empty()) urls.push_back(provider.chat_url);
    for (const auto& [kind, url] : provider.docs_alt.items())
      urls.push_back(url.get<std::string>());
    for (const auto& example : provider.examples) {
      if (example.arguments.contains("url")) urls.push_back(example.arguments["url"]);
      if (const auto fallbacks = example.arguments.find("fallbacks");
          fallbacks != example.arguments.end()) {
        for (const auto& fallback : *fallbacks) urls.push_back(fallback["url"]);
      }
    }
    for (const auto& url : urls) {
      const std::string host = host_of(url);
      REQUIRE_MESSAGE(!host.empty(), provider.id << ": " << url);
      sites[domain_of(host)][site_of(host)].insert(provider.id);
    }
  }
  for (const auto& [domain, by_site] : sites) {
    std::string seen;
    for (const auto& [site, ids] : by_site) {
      seen += " " + site + " (" + *ids.begin() + ")";
    }
    CHECK_MESSAGE(by_site.size() == 1, domain << " is named as" << seen);
  }
}

TEST_CASE("catalog guard: the review is recorded - dates, sources and docs/catalog-review.md") {
  const Catalog& catalog = Catalog::embedded();
  REQUIRE(std::regex_match(catalog.verified(), kDate));
  const std::string root =
      std::string(LAVA_MCP_CATALOG_JSON)
          .substr(0, std::string(LAVA_MCP_CATALOG_JSON).find("/src/gateway/data/catalog.json"));
  std::ifstream file(root + "/docs/catalog-review.md");
  REQUIRE_MESSAGE(file.good(), "docs/catalog-review.md is missing");
  std::stringstream review;
  review << file.rdbuf();
  CHECK(review.str().find(catalog.verified()) != std::string::npos);
  for (const auto& provider : catalog.providers()) {
    CAPTURE(provider.id);
    CHECK_MESSAGE(review.str().find("| " + provider.id + " |") != std::string::npos,
                  "the review table has no row for " << provider.id);
    CHECK_MESSAGE(std::regex_match(provider.verified, kDate), "no verified date");
    CHECK(provider.verified <= catalog.verified());
    CHECK_MESSAGE(!provider.sources.empty(), "no sources");
    for (const auto& source : provider.sources) {
      CHECK(source.rfind("https://", 0) == 0);
    }
  }
}

TEST_CASE("catalog guard: every prompt example falls back on another provider") {
  // One retirement, or one provider down, must never break an example whole.
  int checked = 0;
  for (const auto& provider : Catalog::embedded().providers()) {
    for (const auto& example : provider.examples) {
      if (example.tool != "prompt") continue;
      CAPTURE(provider.id);
      CAPTURE(example.title);
      const std::string primary = example.arguments.contains("url")
                                      ? host_of(example.arguments["url"])
                                      : host_of(provider.chat_url);
      REQUIRE_FALSE(primary.empty());
      const auto fallbacks = example.arguments.find("fallbacks");
      const bool crosses =
          fallbacks != example.arguments.end() &&
          std::any_of(fallbacks->begin(), fallbacks->end(), [&](const nlohmann::json& fallback) {
            return domain_of(host_of(fallback.at("url"))) != domain_of(primary);
          });
      CHECK_MESSAGE(crosses, "no fallback on another provider than " << primary);
      ++checked;
    }
  }
  CHECK(checked >= 29);  // the prompt examples of this review: none may drop out unseen
}

TEST_CASE("catalog: parse reports the failing path") {
  CHECK_FALSE(Catalog::parse("not json").has_value());
  CHECK_FALSE(Catalog::parse(R"({"providers": 3})").has_value());
  auto missing = Catalog::parse(R"({"providers": [{"id": "x"}]})");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("providers[0].name") != std::string::npos);
}

}  // namespace
}  // namespace lava_mcp::gateway
