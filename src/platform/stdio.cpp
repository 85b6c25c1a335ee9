#include "platform/stdio.h"

#include <poll.h>
#include <unistd.h>

namespace lava_mcp::platform {

void use_binary_stdio() {}

long read_input(int fd, char* data, std::size_t size) { return ::read(fd, data, size); }

long write_output(int fd, const char* data, std::size_t size) { return ::write(fd, data, size); }

bool input_pending(int fd) {
  pollfd input{fd, POLLIN, 0};
  return ::poll(&input, 1, 0) > 0 && (input.revents & (POLLIN | POLLHUP)) != 0;
}

bool is_terminal(int fd) { return ::isatty(fd) != 0; }

}  // namespace lava_mcp::platform
