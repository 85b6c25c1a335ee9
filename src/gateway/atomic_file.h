// The one way lava-mcp replaces a file it owns (credentials, the docs cache): a reader sees the
// old file or the new one, never part of one, and a crash leaves at most a temporary behind.
#pragma once

#include <string>
#include <string_view>

namespace lava_mcp::gateway {

enum class Replaced {
  kDone,
  kCannotCreate,  // the temporary could not be created
  kCannotWrite,   // writing, fsync or the rename failed; the temporary is removed
};

// Writes `bytes` to `temporary` in the folder `dir_fd` (created exclusively, mode 0600, never
// through a link), fsyncs it, renames it over `name` and fsyncs the folder. On failure errno
// says why.
Replaced replace_file_atomically(int dir_fd, const std::string& name, const std::string& temporary,
                                 std::string_view bytes);

}  // namespace lava_mcp::gateway
