#include "platform/input_waiter_common.h"

#include <poll.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace lava_mcp::platform {

Unexpected io_failure(const char* what, int error) {
  return fail(error_code::kInternalError, std::string(what) + ": " + std::strerror(error));
}

int poll_timeout_ms(std::optional<std::chrono::milliseconds> timeout) {
  return timeout ? static_cast<int>(timeout->count()) : -1;
}

Expected<InputWaiter::Wake> wait_alone(int input, int end_fd,
                                       std::optional<std::chrono::milliseconds> timeout) {
  pollfd fds[2] = {{end_fd, POLLIN, 0}, {input, POLLIN, 0}};
  for (;;) {
    const int n = ::poll(fds, 2, poll_timeout_ms(timeout));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return io_failure("poll");
    }
    if ((fds[0].revents & POLLIN) != 0) {
      return InputWaiter::Wake::kEnd;
    }
    return fds[1].revents != 0 ? InputWaiter::Wake::kInput : InputWaiter::Wake::kTimeout;
  }
}

void signal_end(int end_write_fd) {
  if (end_write_fd >= 0) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(end_write_fd, &byte, 1);
  }
}

}  // namespace lava_mcp::platform
