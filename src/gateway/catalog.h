// The provider catalog: what search ranks, what prompt routes by model prefix, and what
// get_provider_docs falls back to offline. The embedded copy is compiled from data/catalog.json.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/embedded_file.h"
#include "base/expected.h"

namespace lava_mcp::gateway {

struct CatalogExample {
  std::string title;
  std::string tool;  // "call" or "prompt"
  nlohmann::json arguments;
};

// A model the provider still serves but has announced for shutdown: kept findable, never used
// in an example.
struct DeprecatedModel {
  std::string id;
  std::string shutdown;  // YYYY-MM-DD, as the provider announced it
};

struct Provider {
  std::string id;
  std::string name;
  std::string description;
  std::string category;
  std::vector<std::string> tags;
  std::string base_url;
  std::string format;  // openai, openai-compatible, anthropic, gemini, native
  std::string auth;
  bool managed = true;
  std::string docs_url;
  nlohmann::json docs_alt = nlohmann::json::object();  // llms_txt, markdown, openapi
  std::string chat_url;                                // scheme-less; LLM providers only
  std::vector<std::string> model_prefixes;
  std::vector<std::string> models;
  std::vector<DeprecatedModel> deprecated_models;
  nlohmann::json endpoints = nlohmann::json::array();
  std::vector<CatalogExample> examples;
  std::string verified;              // YYYY-MM-DD of the last review against `sources`
  std::vector<std::string> sources;  // the provider pages that review read
};

// Immutable after construction; safe to share across threads.
class Catalog {
 public:
  // Errors name the failing path, e.g. "providers[3].id: expected a non-empty string".
  static Expected<Catalog> parse(std::string_view json_text);

  // The compiled-in catalog, parsed on first use.
  static const Catalog& embedded();

  const std::vector<Provider>& providers() const { return providers_; }
  // The date of the catalog's last review (docs/catalog-review.md), YYYY-MM-DD; may be empty.
  const std::string& verified() const { return verified_; }
  const Provider* find(std::string_view id) const;

  // The provider whose longest model prefix starts `model`, or null.
  const Provider* route_model(std::string_view model) const;

 private:
  std::vector<Provider> providers_;
  std::string verified_;
};

// Generated at build time from src/gateway/data/*.json.
std::span<const EmbeddedFile> catalog_files();

}  // namespace lava_mcp::gateway
