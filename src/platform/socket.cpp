#include "platform/socket.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "platform/pipe.h"
#include "platform/target.h"

namespace lava_mcp::platform {
#if LAVA_MCP_LINUX
const int kSendFlags = MSG_NOSIGNAL;

int open_socket(int family, int type, int protocol) {
  return ::socket(family, type | SOCK_CLOEXEC, protocol);
}

int accept_connection(int listen_fd) {
  return ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
}
#else
namespace {

int close_on_exec(int fd) {
  if (fd >= 0 && !set_descriptor_flags(fd, false)) {
    const int error = errno;
    ::close(fd);
    errno = error;
    return -1;
  }
  return fd;
}

}  // namespace

#ifdef MSG_NOSIGNAL
const int kSendFlags = MSG_NOSIGNAL;  // POSIX.1-2008 has it; macOS does not
#else
const int kSendFlags = 0;
#endif

int open_socket(int family, int type, int protocol) {
  return close_on_exec(::socket(family, type, protocol));
}

int accept_connection(int listen_fd) {
  return close_on_exec(::accept(listen_fd, nullptr, nullptr));
}
#endif

void suppress_sigpipe([[maybe_unused]] int fd) {
#ifdef SO_NOSIGPIPE
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
}

}  // namespace lava_mcp::platform
