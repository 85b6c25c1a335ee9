// The command line: `lava-mcp [serve]` speaks MCP on stdio; `lava-mcp call <tool> --args JSON`
// runs one tool for debugging. The only file that includes CLI11.
#pragma once

namespace lava_mcp {

// Returns the process exit code; never throws.
int run_cli(int argc, char** argv);

}  // namespace lava_mcp
