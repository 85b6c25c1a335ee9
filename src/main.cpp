#include "cli.h"
#include "platform/process_limits.h"
#include "platform/stdio.h"

#ifdef LAVA_MCP_MIMALLOC
// Every new and delete of the process goes straight to mimalloc (malloc and free reach it by
// symbol interposition): a prompt call makes about 430 small allocations, and glibc's malloc
// spent a quarter of the call's instructions on them (bench/README.md, round 4).
#include <mimalloc-new-delete.h>

#include "base/idle_memory.h"
#endif

int main(int argc, char** argv) {
  lava_mcp::platform::disable_core_dumps();
  lava_mcp::platform::use_binary_stdio();
#ifdef LAVA_MCP_MIMALLOC
  // Pages a burst of calls emptied go back to the system at once instead of after 25 ms: the
  // per-thread heaps otherwise keep a 64-call burst's peak resident (70 MiB against glibc's
  // 42), for a few madvise calls per thousand prompt calls.
  mi_option_set(mi_option_decommit_delay, 0);
  // A parked thread's heap is collected after a short idle time (base/idle_memory.h): its
  // empty pages then go back at once too.
  lava_mcp::set_idle_memory_hook([] { mi_collect(false); });
#endif
  return lava_mcp::run_cli(argc, argv);
}
