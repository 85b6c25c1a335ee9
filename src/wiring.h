// Wiring shared by the CLI and the test fixtures: server options, the product's tools and its
// resource.
#pragma once

#include <string>

#include "gateway/config.h"
#include "gateway/docs_fetcher.h"
#include "gateway/key_models.h"
#include "gateway/login_flow.h"
#include "gateway/system_http_client.h"
#include "server.h"
#include "tools/registry.h"

namespace lava_mcp {

// What the product's tools share for the life of the process.
struct ProductServices {
  explicit ProductServices(gateway::ConfigFlags flags,
                           gateway::EnvLookup env = gateway::process_env())
      : config(std::move(flags), std::move(env)), login(http), docs(http), key_models(http) {}
  gateway::ConfigSource config;
  gateway::SystemHttpClient http;
  gateway::LoginService login;
  gateway::DocsFetcher docs;
  gateway::KeyModels key_models;
};

// The product's tools, registered in their fixed order; `services` must outlive `registry`.
void register_product_tools(tools::ToolRegistry& registry, ProductServices& services);

// The product's one resource, lava://account (resources/account.h): the resources capability
// (no subscribe, no listChanged: the resource is fixed and not watched), resources/list and
// resources/read; `services` must outlive `server`.
void add_product_resources(Server& server, ProductServices& services);

// Server options for the product: name, version and the instructions for the model.
ServerOptions product_server_options(const tools::ToolRegistry& registry);

}  // namespace lava_mcp
