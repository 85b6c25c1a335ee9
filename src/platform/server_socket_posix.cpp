// server_socket.h on POSIX sockets: close-on-exec descriptors (platform/socket.h) and poll(2);
// the waker is a non-blocking pipe.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/pipe.h"
#include "platform/server_socket.h"
#include "platform/socket.h"

namespace lava_mcp::platform {
namespace {

int fd_of(Socket socket) { return static_cast<int>(socket); }

short to_poll(short events) {
  return static_cast<short>(((events & kPollIn) != 0 ? POLLIN : 0) |
                            ((events & kPollOut) != 0 ? POLLOUT : 0));
}

short from_poll(short revents) {
  return static_cast<short>(((revents & POLLIN) != 0 ? kPollIn : 0) |
                            ((revents & POLLOUT) != 0 ? kPollOut : 0) |
                            ((revents & POLLHUP) != 0 ? kPollHangup : 0) |
                            ((revents & (POLLERR | POLLNVAL)) != 0 ? kPollError : 0));
}

}  // namespace

bool start_sockets() { return true; }

Socket open_stream_socket() {
  const int fd = open_socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0 && !set_descriptor_flags(fd, true)) {
    const int error = errno;
    ::close(fd);
    errno = error;
    return kNoSocket;
  }
  return fd < 0 ? kNoSocket : fd;
}

Socket accept_pending(Socket listening) {
  const int fd = accept_connection(fd_of(listening));
  if (fd < 0) {
    return kNoSocket;
  }
  if (!set_descriptor_flags(fd, true)) {
    const int error = errno;
    ::close(fd);
    errno = error;
    return kNoSocket;
  }
  suppress_sigpipe(fd);
  return fd;
}

long receive_some(Socket socket, char* buffer, std::size_t size) {
  return static_cast<long>(::recv(fd_of(socket), buffer, size, 0));
}

long send_some(Socket socket, const char* bytes, std::size_t size) {
  return static_cast<long>(::send(fd_of(socket), bytes, size, kSendFlags));
}

void shutdown_sending(Socket socket) { ::shutdown(fd_of(socket), SHUT_WR); }

void close_socket(Socket socket) {
  if (socket != kNoSocket) {
    ::close(fd_of(socket));
  }
}

SocketFailure last_socket_failure() {
  switch (errno) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EINTR:
      return SocketFailure::kRetry;
    case EMFILE:
    case ENFILE:
      return SocketFailure::kNoDescriptors;
    default:
      return SocketFailure::kOther;
  }
}

std::string last_socket_error_text() { return std::strerror(errno); }

int poll_sockets(std::vector<SocketPoll>& entries, int timeout_ms) {
  std::vector<pollfd> fds;
  fds.reserve(entries.size());
  for (const auto& entry : entries) {
    fds.push_back({fd_of(entry.socket), to_poll(entry.events), 0});
  }
  const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
  if (ready < 0) {
    for (auto& entry : entries) {
      entry.revents = 0;
    }
    return errno == EINTR ? 0 : -1;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].revents = from_poll(fds[i].revents);
  }
  return ready;
}

std::optional<PollWaker> PollWaker::open() {
  int ends[2];
  if (!open_pipe(ends, {.nonblocking = true})) {
    return std::nullopt;
  }
  return PollWaker(ends[0], ends[1]);
}

void PollWaker::wake() const {
  const char byte = 1;
  [[maybe_unused]] const ssize_t written = ::write(fd_of(ends_[1]), &byte, 1);
}

}  // namespace lava_mcp::platform
