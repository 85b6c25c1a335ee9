#include "platform/socket.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <initializer_list>

namespace lava_mcp::platform {
namespace {

bool close_on_exec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

TEST_CASE("socket: opened and accepted sockets are close-on-exec") {
  const int listener = open_socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  CHECK(close_on_exec(listener));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  const int client = open_socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  const int accepted = accept_connection(listener);
  REQUIRE(accepted >= 0);
  CHECK(close_on_exec(accepted));
  for (int fd : {listener, client, accepted}) {
    ::close(fd);
  }
}

TEST_CASE("socket: a send to a closed peer fails with EPIPE instead of raising SIGPIPE") {
  struct sigaction previous {};
  struct sigaction fatal {};
  fatal.sa_handler = SIG_DFL;  // SIGPIPE would end this test process
  sigemptyset(&fatal.sa_mask);
  REQUIRE(::sigaction(SIGPIPE, &fatal, &previous) == 0);
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  suppress_sigpipe(pair[0]);
  ::close(pair[1]);
  CHECK(::send(pair[0], "x", 1, kSendFlags) == -1);
  CHECK(errno == EPIPE);
  ::close(pair[0]);
  ::sigaction(SIGPIPE, &previous, nullptr);
}

TEST_CASE("socket: accept_connection fails on a descriptor that does not listen") {
  const int fd = open_socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  CHECK(accept_connection(fd) == -1);
  CHECK(errno == EINVAL);
  ::close(fd);
}

}  // namespace
}  // namespace lava_mcp::platform
