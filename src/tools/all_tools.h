// Registration of the product's tools, in the order tools/list shows them.
#pragma once

#include "gateway/catalog.h"
#include "tools/registry.h"

namespace lava_mcp::tools {

// What the tools depend on; owned by the caller and outliving the registry.
struct ToolDeps {
  const gateway::Catalog& catalog;
};

void register_all_tools(ToolRegistry& registry, const ToolDeps& deps);

void register_search(ToolRegistry& registry, const gateway::Catalog& catalog);

}  // namespace lava_mcp::tools
