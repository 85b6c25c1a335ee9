// The provider catalog: what search ranks, what prompt routes by model prefix, and what
// get_provider_docs falls back to offline. The embedded copy is compiled from data/catalog.json.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "embedded_file.h"
#include "expected.h"

namespace lava_mcp::gateway {

struct CatalogExample {
  std::string title;
  std::string tool;  // "call" or "prompt"
  nlohmann::json arguments;
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
  std::string chat_url;                                 // scheme-less; LLM providers only
  std::vector<std::string> model_prefixes;
  std::vector<std::string> models;
  nlohmann::json endpoints = nlohmann::json::array();
  std::vector<CatalogExample> examples;
};

// Immutable after construction; safe to share across threads.
class Catalog {
 public:
  // Errors name the failing path, e.g. "providers[3].id: expected a non-empty string".
  static Expected<Catalog> parse(std::string_view json_text);

  // The compiled-in catalog, parsed on first use.
  static const Catalog& embedded();

  const std::vector<Provider>& providers() const { return providers_; }
  const Provider* find(std::string_view id) const;

  // The provider whose longest model prefix starts `model`, or null.
  const Provider* route_model(std::string_view model) const;

 private:
  std::vector<Provider> providers_;
};

// Generated at build time from src/gateway/data/*.json.
std::span<const EmbeddedFile> catalog_files();

}  // namespace lava_mcp::gateway
