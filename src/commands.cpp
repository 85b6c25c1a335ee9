#include "commands.h"

#include <ctime>
#include <iostream>

#include "base/bounded_json.h"
#include "base/json_writer.h"
#include "base/log.h"
#include "base/secrets.h"
#include "gateway/account_status.h"
#include "gateway/catalog.h"
#include "gateway/credentials.h"
#include "protocol/features.h"
#include "transport/jsonrpc.h"

namespace lava_mcp {
namespace {

// A RequestContext for a tool run from a terminal: no MCP client; notices and progress go to
// stderr, where the person running the command sees them.
class TerminalContext final : public tools::RequestContext {
 public:
  const std::string& protocol_version() const override { return version_; }
  const Json& client_capabilities() const override { return capabilities_; }
  std::stop_token stop_token() const override { return {}; }
  void progress(double, std::optional<double>, std::string) override {}
  void log(tools::McpLogLevel level, std::string_view, const Json& data) override {
    if (level >= tools::McpLogLevel::kNotice) {
      std::cerr << (data.is_string() ? data.get<std::string>() : compact_json(data)) << "\n";
    }
  }
  void notify_client(std::string_view, const Json&) override {}
  Expected<Json> request_client(std::string_view method, Json, std::chrono::milliseconds) override {
    return fail(error_code::kMethodNotFound, std::string(method) + ": no client in a terminal");
  }

 private:
  std::string version_{protocol::kBaselineVersion};
  Json capabilities_ = Json::object();
};

tools::ToolResult run_named_tool(ProductServices& services, const std::string& name,
                                 const Json& arguments) {
  tools::ToolRegistry registry;
  register_product_tools(registry, services);
  TerminalContext context;
  return tools::run_tool(*registry.find(name), arguments, context);
}

std::string first_text(const tools::ToolResult& result) {
  return result.content.empty() ? "" : result.content[0].value("text", "");
}

std::string key_line(const std::string& label, const std::string& env_value,
                     const std::string& file_value) {
  if (!env_value.empty()) {
    return label + secrets::hint(env_value) + " (from the environment)";
  }
  if (!file_value.empty()) {
    return label + secrets::hint(file_value) + " (from the credentials file)";
  }
  return label + "none";
}

}  // namespace

int run_login_command(ProductServices& services, bool force) {
  Json arguments = {{"force", force}, {"wait_seconds", 300}};
  for (;;) {  // a pending answer means "still waiting": join the same flow until it ends
    const tools::ToolResult result = run_named_tool(services, "login", arguments);
    if (result.is_error || result.structured.value("status", "") != "pending") {
      (result.is_error ? std::cerr : std::cout) << first_text(result) << "\n";
      return result.is_error ? 1 : 0;
    }
    arguments["force"] = false;
  }
}

int run_logout_command(ProductServices& services) {
  auto home = services.config.home();
  if (!home) {
    std::cerr << home.error().message << "\n";
    return 1;
  }
  auto removed = gateway::delete_credentials(*home);
  if (!removed) {
    std::cerr << removed.error().message << "\n";
    return 1;
  }
  std::cout << (*removed ? "Removed " : "No stored credentials at ")
            << gateway::credentials_path(*home) << "\n";
  for (const char* name : {"LAVA_SECRET_KEY", "LAVA_SPEND_KEY"}) {
    if (services.config.env(name)) {
      std::cout << name
                << " is set in the environment and still applies; unset it to sign out "
                   "completely.\n";
    }
  }
  return 0;
}

int run_status_command(ProductServices& services) {
  auto home = services.config.home();
  if (!home) {
    std::cerr << home.error().message << "\n";
    return 1;
  }
  const std::string path = gateway::credentials_path(*home);
  auto config = services.config.current();
  if (!config) {
    std::cout << "credentials file: " << path << "\n" << config.error().message << "\n";
    return 1;
  }
  const gateway::Credentials stored = config->stored.value_or(gateway::Credentials{});
  std::cout << "API:              " << config->api_origin << "\n"
            << "web app:          " << config->app_origin << "\n"
            << "credentials file: " << path << (config->stored ? "" : " (none)") << "\n"
            << key_line("secret key:       ", services.config.env("LAVA_SECRET_KEY").value_or(""),
                        stored.secret_key)
            << "\n"
            << key_line("spend key:        ", services.config.env("LAVA_SPEND_KEY").value_or(""),
                        stored.spend_key)
            << "\n";
  if (!stored.merchant_id.empty()) {
    std::cout << "merchant:         " << stored.merchant_id << "\n";
  }
  std::cout << "timeout:          " << config->timeout.count() << " ms\n";
  const gateway::Catalog& catalog = gateway::Catalog::embedded();
  std::cout << "catalog:          " << catalog.providers().size() << " providers, verified "
            << catalog.verified() << " (docs/catalog-review.md)\n";
  if (!config->ignored_stored_api_url.empty()) {
    std::cout << "stored api_url:   " << config->ignored_stored_api_url
              << " not used: it is for the other Lava environment than the secret key\n";
  }
  if (config->secret_key.empty() && config->spend_key.empty()) {
    std::cout << "Not signed in: run `lava-mcp login` or set LAVA_SECRET_KEY.\n";
    return 0;
  }
  const gateway::AccountStatus lava =
      gateway::fetch_account_status(services.http, *config, std::time(nullptr), {});
  for (const std::string& line : gateway::account_status_lines(lava)) {
    std::cout << line << "\n";
  }
  return 0;
}

int run_tool_command(ProductServices& services, const std::string& tool,
                     const std::string& arguments_json) {
  tools::ToolRegistry registry;
  register_product_tools(registry, services);
  const tools::ToolSpec* spec = registry.find(tool);
  if (spec == nullptr) {
    std::cerr
        << "lava-mcp: unknown tool \"" << tool
        << "\"; the tools are login, prompt, call, search and get_provider_docs (see lava-mcp "
           "call --help)\n";
    return 2;
  }
  const Json arguments = parse_bounded_json(arguments_json);
  if (arguments.is_discarded() || !arguments.is_object()) {
    std::cerr << "lava-mcp: --args must be a JSON object (see lava-mcp call --help)\n";
    return 2;
  }
  TerminalContext context;
  const tools::ToolResult result = tools::run_tool(*spec, arguments, context);
  Json out = {{"content", result.content}, {"isError", result.is_error}};
  if (!result.structured.is_null()) {
    out["structuredContent"] = result.structured;
  }
  // Redacted on its way out (cli.cpp installs the redacting streams).
  std::cout << out.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  return result.is_error ? 1 : 0;
}

}  // namespace lava_mcp
