#include "cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <optional>
#include <stop_token>
#include <string>

#include "base/log.h"
#include "commands.h"
#include "platform/executable_path.h"
#include "platform/host_system.h"
#include "transport/jsonrpc.h"
#include "transport/stdio_session.h"
#include "transport/stdio_transport.h"
#include "wiring.h"

namespace lava_mcp {
namespace {

constexpr int kUsageError = 2;

struct CliOptions {
  gateway::ConfigFlags config;
  std::string log_level;
  std::string tool;
  std::string tool_args = "{}";
  bool force = false;
};

void print_host_hint() {
  const std::string self = platform::executable_path().value_or("lava-mcp");
  std::cerr << "lava-mcp speaks MCP on stdin/stdout; add it to a host with: claude mcp add lava -- "
            << self << "  (Ctrl-D to quit)\n";
  const auto env = gateway::process_env();
  if (const auto desktop = platform::claude_desktop_config_file(
          platform::this_host_system(), env("HOME"), env("XDG_CONFIG_HOME"))) {
    std::cerr << "or, for Claude Desktop, under \"mcpServers\" in " << *desktop
              << ": \"lava\": {\"command\": \"" << self << "\"}\n";
  }
}

int run_serve(ProductServices& services) {
  tools::ToolRegistry registry;
  register_product_tools(registry, services);
  transport::StdioTransport transport(STDIN_FILENO, STDOUT_FILENO);
  Server server(transport, registry, product_server_options(registry));
  add_product_resources(server, services);
  if (::isatty(STDIN_FILENO) != 0) {
    print_host_hint();
  }
  return transport::serve_session(transport, server);
}

// Parses argv; an exit code when the process should end now: 0 after --help or --version,
// 2 on a usage error (a command-line tool's convention, where CLI11 would exit with its own
// codes such as 109), with one line on stderr that says what was wrong and where help is.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::Success& e) {  // --help or --version: printed by CLI11, exit 0
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    std::cerr << "lava-mcp: " << what << " (see lava-mcp --help)\n";
    return kUsageError;
  }
}

}  // namespace

int run_cli(int argc, char** argv) {
  // Everything the commands print (results, errors, CLI11's messages) passes the redactor.
  const log::RedactedStandardStreams redacted_streams;
  try {
    CLI::App app{"lava-mcp: an MCP server for Lava's AI gateway (https://lava.so)"};
    app.set_version_flag("--version", LAVA_MCP_VERSION);
    CliOptions options;
    app.add_option("--log-level", options.log_level,
                   "stderr log level: error, warn, info, debug (env LAVA_MCP_LOG; default warn)");
    app.add_option("--api-url", options.config.api_url,
                   "API origin (env LAVA_API_URL; default https://api.lava.so)");
    app.add_option("--app-url", options.config.app_url,
                   "web app origin for login (env LAVA_APP_URL; default https://www.lava.so)");
    app.add_option("--home", options.config.home,
                   "folder for credentials.json and cache/ (env LAVA_MCP_HOME)");
    app.add_option("--timeout-ms", options.config.timeout_ms,
                   "prompt: the longest an attempt's upstream may stay silent, in ms; call: its "
                   "whole timeout (env LAVA_MCP_TIMEOUT_MS; 60000)");
    app.add_option("--deadline-ms", options.config.deadline_ms,
                   "prompt: when the whole call must answer, in ms; 0 = none (env "
                   "LAVA_MCP_DEADLINE_MS; default per host, see the README)");
    app.add_option("--result-budget-tokens", options.config.result_budget_tokens,
                   "largest tool result, in tokens of 4 characters (env "
                   "LAVA_MCP_RESULT_BUDGET_TOKENS; 25000)");
    app.add_subcommand("serve", "Speak MCP on stdin/stdout (the default)");
    auto* call = app.add_subcommand("call", "Run one tool and print its result (debugging)");
    call->add_option("tool", options.tool,
                     "Tool name: login, prompt, call, search or get_provider_docs")
        ->required();
    call->add_option("--args", options.tool_args, "Tool arguments as a JSON object");
    auto* login = app.add_subcommand("login", "Sign in to Lava in the browser and store the keys");
    login->add_flag("--force", options.force, "Sign in again even when keys are stored");
    auto* logout = app.add_subcommand("logout", "Delete the stored credentials");
    auto* status = app.add_subcommand("status", "Show the configuration, with key hints only");
    app.require_subcommand(0, 1);
    if (const auto usage = parse_command_line(app, argc, argv)) {
      return *usage;
    }

    std::string level = options.log_level;
    if (level.empty()) {
      const char* env = std::getenv("LAVA_MCP_LOG");
      level = env != nullptr ? env : "warn";
    }
    if (const auto parsed = log::parse_level(level)) {
      log::set_level(*parsed);
    } else {
      std::cerr << "lava-mcp: unknown log level \"" << level
                << "\"; use error, warn, info, debug\n";
      return kUsageError;
    }
    ProductServices services(options.config);
    if (call->parsed()) {
      return run_tool_command(services, options.tool, options.tool_args);
    }
    if (login->parsed()) {
      return run_login_command(services, options.force);
    }
    if (logout->parsed()) {
      return run_logout_command(services);
    }
    if (status->parsed()) {
      return run_status_command(services);
    }
    return run_serve(services);
  } catch (const std::exception& e) {
    std::cerr << "lava-mcp: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "lava-mcp: unexpected failure\n";
  }
  return 1;
}

}  // namespace lava_mcp
