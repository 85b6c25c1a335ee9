#include "wiring.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>

#include "base/log.h"
#include "gateway/catalog.h"
#include "tools/all_tools.h"
#include "transport/stdio_transport.h"

#ifndef LAVA_MCP_VERSION
#define LAVA_MCP_VERSION "0.0.0"
#endif

namespace lava_mcp {
namespace {

// Set while serve_stdio runs, so the signal handler can wake the reader.
transport::StdioTransport* g_serving = nullptr;
// SIGTERM and SIGINT seen; lock-free, so the handler may touch it.
std::atomic<int> g_stop_signals{0};

// The first signal stops reading and cancels the calls in flight; a second one means the person
// or host will not wait for that, so the process ends at once (_exit is async-signal-safe).
extern "C" void on_stop_signal(int) {
  if (g_stop_signals.fetch_add(1) > 0) {
    ::_exit(0);
  }
  if (g_serving != nullptr) {
    g_serving->stop();  // async-signal-safe: one write() to a pipe
  }
}

// After stdin EOF: the calls in flight finish within their own deadlines and their answers are
// written (tools.md 4), unless a signal asks to stop first. Polled, since a signal handler can
// only set a flag.
void finish_calls_in_flight(Server& server) {
  while (g_stop_signals.load() == 0 && !server.wait_idle(std::chrono::milliseconds(50))) {
  }
}

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
      registry, tools::ToolDeps{gateway::Catalog::embedded(), services.config, services.http,
                                services.login, services.docs});
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

int serve_stdio(Server& server, transport::StdioTransport& transport) {
  std::signal(SIGPIPE, SIG_IGN);
  g_serving = &transport;
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  const auto served = transport.serve(server);
  if (!served) {
    log::error("server", served.error().message);
  }
  if (served && g_stop_signals.load() == 0) {
    server.input_closed();
    finish_calls_in_flight(server);
  }
  const bool drained = server.shutdown(std::chrono::milliseconds(1500));
  g_serving = nullptr;
  if (!drained) {
    // A worker ignored its stop token; the host expects us gone within 2 s (mcp.md 2).
    log::warn("server", "tool calls still running at exit; leaving without waiting");
    std::_Exit(0);
  }
  return 0;
}

}  // namespace lava_mcp
