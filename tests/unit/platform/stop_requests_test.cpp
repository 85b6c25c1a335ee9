#include "platform/stop_requests.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lava_mcp::platform {
namespace {

void write_byte(void* fd) {
  const char byte = 's';
  [[maybe_unused]] const ssize_t n = ::write(*static_cast<int*>(fd), &byte, 1);
}

int readable_bytes(int fd) {
  char bytes[8];
  const ssize_t n = ::read(fd, bytes, sizeof bytes);
  return n < 0 ? 0 : static_cast<int>(n);
}

TEST_CASE(
    "stop requests: the first SIGTERM or SIGINT calls back, and the old handlers return after") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  struct sigaction before {};
  REQUIRE(::sigaction(SIGTERM, nullptr, &before) == 0);
  {
    const StopRequests stops(write_byte, &fds[1]);
    CHECK_FALSE(stops.requested());
    ::raise(SIGINT);
    CHECK(stops.requested());
    CHECK(readable_bytes(fds[0]) == 1);
    struct sigaction pipe_action {};
    ::sigaction(SIGPIPE, nullptr, &pipe_action);
    CHECK((pipe_action.sa_handler == SIG_IGN));
  }
  struct sigaction after {};
  REQUIRE(::sigaction(SIGTERM, nullptr, &after) == 0);
  CHECK((after.sa_handler == before.sa_handler));
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("stop requests: a second signal ends the process at once, with status 0") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const StopRequests stops(write_byte, &fds[1]);
    ::raise(SIGTERM);
    ::raise(SIGTERM);
    ::_exit(3);  // not reached
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  ::close(fds[1]);
  CHECK(readable_bytes(fds[0]) == 1);  // the callback ran for the first signal only
  ::close(fds[0]);
}

}  // namespace
}  // namespace lava_mcp::platform
