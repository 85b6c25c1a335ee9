#include "wiring.h"

#include "gateway/catalog.h"
#include "resources/account.h"
#include "tools/all_tools.h"

#ifndef LAVA_MCP_VERSION
#define LAVA_MCP_VERSION "0.0.0"
#endif

namespace lava_mcp {
namespace {

constexpr std::pair<std::string_view, std::string_view> kToolHints[] = {
    {"login", "login: sign in to Lava in the browser once; keys are stored for later calls."},
    {"search", "search: find a provider or model for a task, with ready-to-run examples."},
    {"prompt", "prompt: chat completion with any model in OpenAI format, with fallbacks."},
    {"call", "call: any HTTP API through the gateway; auth is added for you."},
    {"get_provider_docs", "get_provider_docs: a provider's API documentation as text."},
};

}  // namespace

void register_product_tools(tools::ToolRegistry& registry, ProductServices& services) {
  tools::register_all_tools(
      registry, tools::ToolDeps{&gateway::Catalog::embedded, services.config, services.http,
                                services.login, services.docs, services.key_models});
}

void add_product_resources(Server& server, ProductServices& services) {
  server.add_capability("resources", Json::object());
  server.add_method("resources/list", [](const Json&, const SessionView&) -> Expected<Json> {
    return Json{{"resources", Json::array({resources::describe_account()})}};
  });
  // Declaring resources obliges the templates list too; lava-mcp's one resource has a fixed URI.
  server.add_method("resources/templates/list", [](const Json&, const SessionView&) {
    return Expected<Json>(Json{{"resourceTemplates", Json::array()}});
  });
  // Reading the account waits on Lava (its requests, each with a timeout): on a worker.
  server.add_method(
      "resources/read",
      [&services](const Json& params, const SessionView&) {
        return resources::read_account(params, services.http, services.config);
      },
      Server::MethodThread::kWorker);
}

ServerOptions product_server_options(const tools::ToolRegistry& registry) {
  ServerOptions options;
  options.version = LAVA_MCP_VERSION;
  options.instructions =
      "lava-mcp reaches AI models and APIs through Lava's gateway (lava.so). Start with search "
      "when you do not know which provider or model fits; its examples are ready to run.";
  for (const auto& [name, hint] : kToolHints) {
    if (registry.find(name) != nullptr) {
      options.instructions += "\n- " + std::string(hint);
    }
  }
  return options;
}

}  // namespace lava_mcp
