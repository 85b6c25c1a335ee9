// conformance_fixture_server: lava-mcp's server and stdio transport with the conformance suite's
// fixtures instead of the product's tools. One process serves one session (the bridge starts one
// per HTTP session), so all state is process-wide.
#include <unistd.h>

#include "fixture.h"
#include "wiring.h"

#ifndef LAVA_MCP_VERSION
#define LAVA_MCP_VERSION "0.0.0"
#endif

namespace lava_mcp::conformance_fixture {
namespace {

ServerOptions fixture_options() {
  ServerOptions options;
  options.name = "lava-mcp-conformance-fixture";
  options.title = "lava-mcp conformance fixture";
  options.version = LAVA_MCP_VERSION;
  return options;  // no instructions: the suite neither needs nor checks them
}

int run() {
  tools::ToolRegistry registry;
  register_tools(registry);
  register_input_required_tools(registry);
  transport::StdioTransport transport(STDIN_FILENO, STDOUT_FILENO);
  Server server(transport, registry, fixture_options());
  add_resource_methods(server);
  add_prompt_methods(server);
  return transport::serve_session(transport, server);
}

}  // namespace
}  // namespace lava_mcp::conformance_fixture

int main() { return lava_mcp::conformance_fixture::run(); }
