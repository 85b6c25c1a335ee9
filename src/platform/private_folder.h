// The folders lava-mcp keeps secrets in (credentials, the docs cache): only the user can read
// them (0700 and 0600 on POSIX; on Windows an ACL that grants the user alone, inheritance cut),
// each opened once and every file in it reached from there, never through a link.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"

namespace lava_mcp::platform {

enum class Replaced {
  kDone,
  kCannotCreate,  // the temporary could not be created
  kCannotWrite,   // writing, flushing or the rename failed; the temporary is removed
};

// A regular file's bytes, read without following it anywhere unexpected.
struct FileRead {
  enum class Status { kRead, kAbsent, kNotRegular, kTooLarge, kFailed };
  Status status = Status::kFailed;
  std::string text;       // kRead
  const char* kind = "";  // kNotRegular: "a directory", "a FIFO", ...
  int error = 0;          // kFailed: errno
};

// An exclusive lock held on a lock file until this is destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class PrivateFolder {
 public:
  // Creates `path` (and its parents) when missing and makes it private; refuses a symbolic
  // link (the message names its target). The error messages are ready to show.
  static Expected<PrivateFolder> open(const std::string& path);
  ~PrivateFolder();
  PrivateFolder(PrivateFolder&& other) noexcept;
  PrivateFolder& operator=(PrivateFolder&&) = delete;
  PrivateFolder(const PrivateFolder&) = delete;
  PrivateFolder& operator=(const PrivateFolder&) = delete;

  // Writes `bytes` to `temporary` (created exclusively, private, never through a link), flushes
  // it to disk, renames it over `name` and flushes the folder. On failure errno says why.
  Replaced replace(const std::string& name, const std::string& temporary,
                   std::string_view bytes) const;

  // At most max_bytes of the regular file `name` (a file that grew past them: kTooLarge).
  FileRead read(const std::string& name, std::size_t max_bytes) const;

  // Takes the exclusive lock on the lock file `name` (created private once and kept), retrying
  // until `wait` has passed: nullptr with errno EWOULDBLOCK then, or another errno (ENOTSUP: it
  // is not a regular file). Threads of one process exclude each other too.
  std::unique_ptr<FileLock> lock(const std::string& name, std::chrono::milliseconds wait) const;

  // Creates and removes `name`: whether files can be created here (false with errno set).
  bool can_create(const std::string& name) const;

 private:
  struct Handle;
  explicit PrivateFolder(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

// A file by path, as PrivateFolder::read (for a file whose folder is not opened).
FileRead read_regular_file(const std::string& path, std::size_t max_bytes);

// The file's identity, size and modification time as one string; "absent" when there is no
// file; nullopt when the system cannot say otherwise (errno set).
std::optional<std::string> file_signature(const std::string& path);

// Removes the file; false with errno set (ENOENT when there was none).
bool remove_file(const std::string& path);

long process_id();

// True only when the system says no process has this id (a temporary's writer is gone).
bool process_gone(long pid);

// The machine's name; "" when the system does not say.
std::string host_name();

}  // namespace lava_mcp::platform
