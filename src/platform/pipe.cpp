#include "platform/pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "platform/target.h"

namespace lava_mcp::platform {

bool set_descriptor_flags(int fd, bool nonblocking) {
  const int status = ::fcntl(fd, F_GETFL);
  if (status < 0 || ::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
    return false;
  }
  return !nonblocking || ::fcntl(fd, F_SETFL, status | O_NONBLOCK) == 0;
}

bool open_pipe(int fds[2], PipeOptions options) {
#if LAVA_MCP_LINUX
  // Atomic: a posix_spawn on another thread cannot inherit the ends before they are marked.
  return ::pipe2(fds, O_CLOEXEC | (options.nonblocking ? O_NONBLOCK : 0)) == 0;
#else
  // Between pipe() and fcntl() a concurrent spawn could inherit the ends; lava-mcp spawns only
  // the browser, whose inherited copy of a pipe end keeps nothing open that matters.
  int ends[2];
  if (::pipe(ends) != 0) {
    return false;
  }
  if (!set_descriptor_flags(ends[0], options.nonblocking) ||
      !set_descriptor_flags(ends[1], options.nonblocking)) {
    const int error = errno;
    ::close(ends[0]);
    ::close(ends[1]);
    errno = error;
    return false;
  }
  fds[0] = ends[0];
  fds[1] = ends[1];
  return true;
#endif
}

}  // namespace lava_mcp::platform
