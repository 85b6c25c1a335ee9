// server_socket.h on Winsock: WSAPoll, closesocket, WSAGetLastError; sockets made
// non-inheritable and non-blocking after they are created.
#include <winsock2.h>
// winsock2.h before windows.h (which would bring the old winsock.h).
#include <windows.h>
#include <ws2tcpip.h>

#include <chrono>

#include "platform/server_socket.h"

namespace lava_mcp::platform {
namespace {

SOCKET native(Socket socket) { return static_cast<SOCKET>(socket); }

// Not inherited (CreateProcessW is never asked to inherit, but a socket is a handle) and
// non-blocking; false with the socket left to the caller.
bool prepare(SOCKET socket, bool nonblocking) {
  u_long mode = nonblocking ? 1 : 0;
  return ::SetHandleInformation(reinterpret_cast<HANDLE>(socket), HANDLE_FLAG_INHERIT, 0) &&
         ::ioctlsocket(socket, FIONBIO, &mode) == 0;
}

// A socket just made, prepared; kNoSocket (closed, the error kept) when it cannot be.
Socket prepared(SOCKET socket) {
  if (socket == INVALID_SOCKET) {
    return kNoSocket;
  }
  if (!prepare(socket, true)) {
    const int error = ::WSAGetLastError();
    ::closesocket(socket);
    ::WSASetLastError(error);
    return kNoSocket;
  }
  return static_cast<Socket>(socket);
}

short to_poll(short events) {
  return static_cast<short>(((events & kPollIn) != 0 ? POLLRDNORM : 0) |
                            ((events & kPollOut) != 0 ? POLLWRNORM : 0));
}

short from_poll(short revents) {
  return static_cast<short>(((revents & (POLLRDNORM | POLLRDBAND)) != 0 ? kPollIn : 0) |
                            ((revents & POLLWRNORM) != 0 ? kPollOut : 0) |
                            ((revents & POLLHUP) != 0 ? kPollHangup : 0) |
                            ((revents & (POLLERR | POLLNVAL)) != 0 ? kPollError : 0));
}

bool same_address(const sockaddr_in& a, const sockaddr_in& b) {
  return a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr;
}

}  // namespace

bool start_sockets() {
  static const bool started = [] {
    WSADATA data;
    const int error = ::WSAStartup(MAKEWORD(2, 2), &data);
    ::WSASetLastError(error);
    return error == 0;
  }();
  return started;
}

Socket open_stream_socket() { return prepared(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)); }

Socket accept_pending(Socket listening) {
  return prepared(::accept(native(listening), nullptr, nullptr));
}

long receive_some(Socket socket, char* buffer, std::size_t size) {
  return ::recv(native(socket), buffer, static_cast<int>(size), 0);
}

long send_some(Socket socket, const char* bytes, std::size_t size) {
  return ::send(native(socket), bytes, static_cast<int>(size), 0);  // Windows has no SIGPIPE
}

void shutdown_sending(Socket socket) { ::shutdown(native(socket), SD_SEND); }

void close_socket(Socket socket) {
  if (socket != kNoSocket) {
    ::closesocket(native(socket));
  }
}

SocketFailure last_socket_failure() {
  switch (::WSAGetLastError()) {
    case WSAEWOULDBLOCK:
    case WSAEINTR:
    case WSAEINPROGRESS:
      return SocketFailure::kRetry;
    case WSAEMFILE:
    case WSAENOBUFS:
      return SocketFailure::kNoDescriptors;
    default:
      return SocketFailure::kOther;
  }
}

std::string last_socket_error_text() {
  return "Windows socket error " + std::to_string(::WSAGetLastError());
}

int poll_sockets(std::vector<SocketPoll>& entries, int timeout_ms) {
  std::vector<WSAPOLLFD> fds;
  fds.reserve(entries.size());
  for (const auto& entry : entries) {
    fds.push_back({native(entry.socket), to_poll(entry.events), 0});
  }
  const int ready = ::WSAPoll(fds.data(), static_cast<ULONG>(fds.size()), timeout_ms);
  if (ready < 0) {
    for (auto& entry : entries) {
      entry.revents = 0;
    }
    return ::WSAGetLastError() == WSAEINTR ? 0 : -1;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].revents = from_poll(fds[i].revents);
  }
  return ready;
}

// WSAPoll waits on sockets only: no pipe, no event object. A short poll timeout instead would
// make stop() wait for it and wake the thread several times a second for all the minutes a
// login stays open; so the waker is a connected pair of loopback sockets, a byte sent on one
// makes the other readable. Anything on the machine can connect to the short-lived listening
// port too: the accepted end is kept only when its peer is the socket connected here.
std::optional<PollWaker> PollWaker::open() {
  std::string why;
  const auto listening = listen_ipv4("127.0.0.1", why);
  if (!listening) {
    return std::nullopt;
  }
  PollWaker pair(kNoSocket, open_stream_socket());
  sockaddr_in address{};
  int length = sizeof address;
  u_long blocking = 0;
  bool connected =
      pair.ends_[1] != kNoSocket &&
      ::getsockname(native(listening->socket), reinterpret_cast<sockaddr*>(&address), &length) ==
          0 &&
      ::ioctlsocket(native(pair.ends_[1]), FIONBIO, &blocking) == 0 &&
      ::connect(native(pair.ends_[1]), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  sockaddr_in ours{};
  length = sizeof ours;
  connected = connected && ::getsockname(native(pair.ends_[1]), reinterpret_cast<sockaddr*>(&ours),
                                         &length) == 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (connected && pair.ends_[0] == kNoSocket && std::chrono::steady_clock::now() < deadline) {
    std::vector<SocketPoll> wait{{listening->socket, kPollIn, 0}};
    if (poll_sockets(wait, 100) < 0) {
      break;
    }
    const Socket accepted = accept_pending(listening->socket);
    if (accepted == kNoSocket) {
      continue;
    }
    sockaddr_in peer{};
    length = sizeof peer;
    if (::getpeername(native(accepted), reinterpret_cast<sockaddr*>(&peer), &length) == 0 &&
        same_address(peer, ours)) {
      pair.ends_[0] = accepted;
    } else {
      close_socket(accepted);  // not ours
    }
  }
  const int error = ::WSAGetLastError();
  close_socket(listening->socket);
  u_long nonblocking = 1;
  if (pair.ends_[0] == kNoSocket ||
      ::ioctlsocket(native(pair.ends_[1]), FIONBIO, &nonblocking) != 0) {
    ::WSASetLastError(error != 0 ? error : WSAETIMEDOUT);
    return std::nullopt;
  }
  return pair;
}

void PollWaker::wake() const {
  const char byte = 1;
  ::send(native(ends_[1]), &byte, 1, 0);
}

}  // namespace lava_mcp::platform
