// Limits the process sets on itself at start.
#pragma once

namespace lava_mcp::platform {

// The process holds keys in memory, so a crash must not write them to a core file: no core
// size anywhere; on Linux also not dumpable, which stops core_pattern pipes (systemd-coredump,
// apport) that ignore the size limit, and keeps other processes of the same user out of
// /proc/<pid>/mem and environ. The process still reads its own /proc/self entries.
void disable_core_dumps();

}  // namespace lava_mcp::platform
