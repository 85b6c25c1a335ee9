#include "tools/all_tools.h"

namespace lava_mcp::tools {

// Explicit and ordered: static self-registration would make the order unspecified.
void register_all_tools(ToolRegistry& registry, const ToolDeps& deps) {
  register_login(registry, deps);
  register_prompt(registry, deps);
  register_call(registry, deps);
  register_search(registry, deps);
  register_get_provider_docs(registry, deps);
}

}  // namespace lava_mcp::tools
