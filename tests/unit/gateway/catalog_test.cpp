#include "gateway/catalog.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace lava_mcp::gateway {
namespace {

// Lava SDK 11.2.0's provider list (lava.providers), one catalog id each.
const std::set<std::string> kSdkProviders = {
    "openai",    "anthropic", "google",    "google-openai", "mistral",  "deepseek", "xai",
    "groq",      "together",  "cohere",    "hyperbolic",    "sambanova", "deepinfra", "cerebras",
    "fireworks", "nebius",    "inference", "novita",        "elevenlabs", "vercel",  "kluster",
    "parasail",  "targon",    "gmicloud",  "chutes",        "baseten",  "embercloud", "moonshot"};

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
  const std::pair<const char*, const char*> routes[] = {
      {"claude-haiku-4-5", "anthropic"}, {"gpt-4o-mini", "openai"}, {"o3-mini", "openai"},
      {"o4-mini", "openai"},             {"chatgpt-4o-latest", "openai"},
      {"gemini-2.5-flash", "google"},    {"grok-4", "xai"},       {"mistral-large-latest", "mistral"},
      {"codestral-latest", "mistral"},   {"deepseek-chat", "deepseek"}};
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

TEST_CASE("catalog: parse reports the failing path") {
  CHECK_FALSE(Catalog::parse("not json").has_value());
  CHECK_FALSE(Catalog::parse(R"({"providers": 3})").has_value());
  auto missing = Catalog::parse(R"({"providers": [{"id": "x"}]})");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("providers[0].name") != std::string::npos);
}

}  // namespace
}  // namespace lava_mcp::gateway
