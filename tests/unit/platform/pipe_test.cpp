#include "platform/pipe.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace lava_mcp::platform {
namespace {

bool close_on_exec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }
bool nonblocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }

TEST_CASE("pipe: both ends close-on-exec, blocking unless asked") {
  int fds[2];
  REQUIRE(open_pipe(fds));
  CHECK(close_on_exec(fds[0]));
  CHECK(close_on_exec(fds[1]));
  CHECK_FALSE(nonblocking(fds[0]));
  CHECK_FALSE(nonblocking(fds[1]));
  CHECK(::write(fds[1], "x", 1) == 1);
  char byte = 0;
  CHECK(::read(fds[0], &byte, 1) == 1);
  CHECK(byte == 'x');
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("pipe: nonblocking ends say EAGAIN when empty") {
  int fds[2];
  REQUIRE(open_pipe(fds, {.nonblocking = true}));
  CHECK(close_on_exec(fds[0]));
  CHECK(nonblocking(fds[0]));
  CHECK(nonblocking(fds[1]));
  char byte;
  CHECK(::read(fds[0], &byte, 1) == -1);
  CHECK(errno == EAGAIN);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("pipe: set_descriptor_flags fails on a closed descriptor") {
  int fds[2];
  REQUIRE(open_pipe(fds));
  ::close(fds[0]);
  ::close(fds[1]);
  CHECK_FALSE(set_descriptor_flags(fds[0], true));
  CHECK(errno == EBADF);
}

}  // namespace
}  // namespace lava_mcp::platform
