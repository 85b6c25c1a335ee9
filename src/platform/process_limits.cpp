#include "platform/process_limits.h"

#include <sys/resource.h>

#include "platform/target.h"

#if LAVA_MCP_LINUX
#include <sys/prctl.h>
#endif

namespace lava_mcp::platform {

void disable_core_dumps() {
  const rlimit none{0, 0};
  ::setrlimit(RLIMIT_CORE, &none);
#if LAVA_MCP_LINUX
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

}  // namespace lava_mcp::platform
