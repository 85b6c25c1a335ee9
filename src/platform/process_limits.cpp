#include "platform/process_limits.h"

#include "platform/target.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/resource.h>
#endif

#if LAVA_MCP_LINUX
#include <sys/prctl.h>
#endif

namespace lava_mcp::platform {

void disable_core_dumps() {
#ifdef _WIN32
  // No crash dialog (a server under a host has no one to click it) and no Windows Error
  // Reporting prompt to send the crashed process's memory, keys included, away. A dump that
  // an administrator's WER LocalDumps policy asks for is still written: no per-process call
  // turns that off.
  ::SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
#else
  const rlimit none{0, 0};
  ::setrlimit(RLIMIT_CORE, &none);
#endif
#if LAVA_MCP_LINUX
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

}  // namespace lava_mcp::platform
