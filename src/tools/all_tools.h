// Registration of the product's tools, in the order tools/list shows them.
#pragma once

#include "gateway/catalog.h"
#include "gateway/config.h"
#include "gateway/docs_fetcher.h"
#include "gateway/http_client.h"
#include "gateway/key_models.h"
#include "gateway/login_flow.h"
#include "tools/registry.h"

namespace lava_mcp::tools {

// What the tools depend on; owned by the caller and outliving the registry.
struct ToolDeps {
  // Read when a call needs it: parsing the embedded catalog is a fifth of the work of starting.
  const gateway::Catalog& (*catalog)();
  const gateway::ConfigSource& config;
  gateway::HttpClient& http;
  gateway::LoginService& login;
  gateway::DocsFetcher& docs;
  gateway::KeyModels& key_models;
};

void register_all_tools(ToolRegistry& registry, const ToolDeps& deps);

void register_search(ToolRegistry& registry, const ToolDeps& deps);
void register_get_provider_docs(ToolRegistry& registry, const ToolDeps& deps);
void register_call(ToolRegistry& registry, const ToolDeps& deps);
void register_login(ToolRegistry& registry, const ToolDeps& deps);
void register_prompt(ToolRegistry& registry, const ToolDeps& deps);

}  // namespace lava_mcp::tools
