#include "gateway/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace lava_mcp::gateway {
namespace {

bool write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

Replaced replace_file_atomically(int dir_fd, const std::string& name, const std::string& temporary,
                                 std::string_view bytes) {
  const int fd = ::openat(dir_fd, temporary.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Replaced::kCannotCreate;
  }
  bool done = write_all(fd, bytes) && ::fsync(fd) == 0;
  int saved_errno = errno;
  ::close(fd);
  if (done && ::renameat(dir_fd, temporary.c_str(), dir_fd, name.c_str()) != 0) {
    done = false;
    saved_errno = errno;
  }
  if (!done) {
    ::unlinkat(dir_fd, temporary.c_str(), 0);
    errno = saved_errno;
    return Replaced::kCannotWrite;
  }
  ::fsync(dir_fd);
  return Replaced::kDone;
}

}  // namespace lava_mcp::gateway
