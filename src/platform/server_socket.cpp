// The bind, shared by POSIX and Windows: only the socket's type and the address length's type
// differ.
#include "platform/server_socket.h"

#include "platform/net.h"

namespace lava_mcp::platform {
namespace {

#ifdef _WIN32
using NativeSocket = SOCKET;
using AddressLength = int;
#else
using NativeSocket = int;
using AddressLength = socklen_t;
#endif

NativeSocket native(Socket socket) { return static_cast<NativeSocket>(socket); }

}  // namespace

std::optional<Listening> listen_ipv4(const std::string& ipv4_host, std::string& why) {
  if (!start_sockets()) {
    why = last_socket_error_text();
    return std::nullopt;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  if (::inet_pton(AF_INET, ipv4_host.c_str(), &address.sin_addr) != 1) {
    why = "not an IPv4 address";
    return std::nullopt;
  }
  Listening listening;
  listening.socket = open_stream_socket();
  if (listening.socket == kNoSocket) {
    why = last_socket_error_text();
    return std::nullopt;
  }
  AddressLength length = sizeof address;
  if (::bind(native(listening.socket), reinterpret_cast<sockaddr*>(&address), sizeof address) !=
          0 ||
      ::listen(native(listening.socket), SOMAXCONN) != 0) {
    why = "no local port could be bound (" + last_socket_error_text() + ")";
    close_socket(listening.socket);
    return std::nullopt;
  }
  if (::getsockname(native(listening.socket), reinterpret_cast<sockaddr*>(&address), &length) !=
      0) {
    why = last_socket_error_text();
    close_socket(listening.socket);
    return std::nullopt;
  }
  listening.port = ntohs(address.sin_port);
  return listening;
}

PollWaker::~PollWaker() {
  close_socket(ends_[0]);
  close_socket(ends_[1]);
}

PollWaker::PollWaker(PollWaker&& other) noexcept : ends_{other.ends_[0], other.ends_[1]} {
  other.ends_[0] = kNoSocket;
  other.ends_[1] = kNoSocket;
}

}  // namespace lava_mcp::platform
