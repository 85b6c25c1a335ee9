// The protocol stream's ends: stdin read and stdout written as bytes on every system.
#pragma once

#include <cstddef>

namespace lava_mcp::platform {

// Windows: stdin and stdout in binary mode (no CRLF translation, no end at a ^Z byte).
// Elsewhere nothing to do.
void use_binary_stdio();

// read(2) on `fd`: the bytes read, 0 at the end, -1 with errno set. On Windows the end is also
// a closed pipe (ERROR_BROKEN_PIPE) and a read that InputWaiter::end() cancelled.
long read_input(int fd, char* data, std::size_t size);

// write(2) on `fd`: the bytes written, or -1 with errno set (EPIPE once the reader is gone).
long write_output(int fd, const char* data, std::size_t size);

// Bytes wait on `fd` (or its end does) right now, without blocking.
bool input_pending(int fd);

// `fd` is a terminal (a console on Windows).
bool is_terminal(int fd);

}  // namespace lava_mcp::platform
