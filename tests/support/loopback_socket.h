// A raw TCP connection to a port on 127.0.0.1, for tests that speak to a listener byte by byte
// (floods, slow clients, malformed requests) where an HTTP client would not let them. On POSIX
// sockets and on Winsock (the Windows unit executable runs the callback listener's tests).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "platform/net.h"
#include "platform/server_socket.h"

namespace lava_mcp::testing {

#ifdef _WIN32
using NativeSocket = SOCKET;
#else
using NativeSocket = int;
#endif

// A blocking socket, connected to the port on 127.0.0.1 or not (`connected`).
inline platform::Socket try_connect_loopback(int port, bool& connected) {
  REQUIRE(platform::start_sockets());
  const auto fd = static_cast<platform::Socket>(::socket(AF_INET, SOCK_STREAM, 0));
  REQUIRE(fd != platform::kNoSocket);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected = ::connect(static_cast<NativeSocket>(fd), reinterpret_cast<sockaddr*>(&address),
                        sizeof address) == 0;
  return fd;
}

// Sends and receives give up after 5 s, so a listener that stops answering fails the test
// instead of hanging it. Blocking, unlike the listener's own sockets.
inline platform::Socket connect_loopback(int port) {
  bool connected = false;
  const platform::Socket fd = try_connect_loopback(port, connected);
  REQUIRE(connected);
#ifdef _WIN32
  const DWORD five_seconds = 5000;
  const auto* limit = reinterpret_cast<const char*>(&five_seconds);
#else
  const timeval five_seconds{5, 0};
  const auto* limit = &five_seconds;
#endif
  const auto native = static_cast<NativeSocket>(fd);
  ::setsockopt(native, SOL_SOCKET, SO_RCVTIMEO, limit, sizeof five_seconds);
  ::setsockopt(native, SOL_SOCKET, SO_SNDTIMEO, limit, sizeof five_seconds);
  return fd;
}

// Whether a connection to the port on 127.0.0.1 is refused (nothing listens there).
inline bool loopback_refuses(int port) {
  bool connected = false;
  platform::close_socket(try_connect_loopback(port, connected));
  return !connected;
}

// The whole of `bytes` sent; false when the peer stopped taking them.
inline bool send_all(platform::Socket fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const long put = platform::send_some(fd, bytes.data() + sent, bytes.size() - sent);
    if (put <= 0) {
      return false;
    }
    sent += static_cast<std::size_t>(put);
  }
  return true;
}

// Everything the peer sends until it closes (or 5 s pass).
inline std::string read_all(platform::Socket fd) {
  std::string out;
  char chunk[4096];
  for (long got; (got = platform::receive_some(fd, chunk, sizeof chunk)) > 0;) {
    out.append(chunk, static_cast<std::size_t>(got));
  }
  return out;
}

}  // namespace lava_mcp::testing
