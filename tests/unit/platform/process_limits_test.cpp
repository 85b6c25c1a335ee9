#include "platform/process_limits.h"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

namespace lava_mcp::platform {
namespace {

// In a child: the limits are the process's own for good.
int child_exit_code() {
  disable_core_dumps();
  rlimit core{};
  if (::getrlimit(RLIMIT_CORE, &core) != 0 || core.rlim_cur != 0 || core.rlim_max != 0) {
    return 1;
  }
#if defined(__linux__)
#if defined(LAVA_MCP_GENERIC_POSIX)
  const int expected_dumpable = 1;  // the size limit alone
#else
  const int expected_dumpable = 0;
#endif
  if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != expected_dumpable) {
    return 2;
  }
#endif
  return 0;
}

TEST_CASE("process limits: no core file, and not dumpable on Linux") {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::_exit(child_exit_code());
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace lava_mcp::platform
