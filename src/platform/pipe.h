// Pipes and descriptors that do not leak into the processes lava-mcp starts (the browser).
#pragma once

namespace lava_mcp::platform {

struct PipeOptions {
  bool nonblocking = false;  // both ends
};

// pipe(2) with both ends close-on-exec; false with errno set on failure (fds untouched).
bool open_pipe(int fds[2], PipeOptions options = {});

// Sets close-on-exec, and O_NONBLOCK when asked; false with errno set on failure.
bool set_descriptor_flags(int fd, bool nonblocking);

}  // namespace lava_mcp::platform
