// What both builds of InputWaiter share (internal to src/platform/).
#pragma once

#include <cerrno>
#include <chrono>
#include <optional>

#include "base/error.h"
#include "base/expected.h"
#include "platform/input_waiter.h"

namespace lava_mcp::platform {

Unexpected io_failure(const char* what, int error = errno);

// poll(2)'s timeout argument: -1 for none.
int poll_timeout_ms(std::optional<std::chrono::milliseconds> timeout);

// Input that is not shared: one thread, no one-shot; an end_fd of -1 is never readable.
Expected<InputWaiter::Wake> wait_alone(int input, int end_fd,
                                       std::optional<std::chrono::milliseconds> timeout);

// Makes end_fd's pipe readable for good; async-signal-safe.
void signal_end(int end_write_fd);

}  // namespace lava_mcp::platform
