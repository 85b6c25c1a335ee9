// Sockets that do not leak into spawned processes and never raise SIGPIPE.
#pragma once

namespace lava_mcp::platform {

// socket(2), close-on-exec; -1 with errno set on failure.
int open_socket(int family, int type, int protocol);

// accept(2), the new socket close-on-exec; -1 with errno set on failure.
int accept_connection(int listen_fd);

// Makes a write to a socket the peer closed fail with EPIPE instead of raising SIGPIPE, where
// the system does that per socket (macOS, the BSDs); elsewhere kSendFlags does it per call.
void suppress_sigpipe(int fd);

// Flags for send(2): MSG_NOSIGNAL where it exists.
extern const int kSendFlags;

}  // namespace lava_mcp::platform
