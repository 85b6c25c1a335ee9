#include "integration/built_binaries.h"

namespace lava_mcp::testing {

std::string installed_binary() { return LAVA_MCP_INSTALLED_BIN; }

std::string fake_services_binary() { return LAVA_MCP_FAKE_SERVICES; }

}  // namespace lava_mcp::testing
