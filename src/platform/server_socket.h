// The few socket calls a small loopback server makes (gateway/callback_listener.cpp), on POSIX
// sockets and on Winsock alike: one server loop, two thin implementations
// (server_socket_posix.cpp, server_socket_windows.cpp; the bind in server_socket.cpp is shared).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lava_mcp::platform {

// A descriptor on POSIX, Winsock's SOCKET (an unsigned pointer-sized integer) on Windows: both
// fit, and both systems' "no socket" (-1, INVALID_SOCKET) is kNoSocket.
using Socket = std::intptr_t;
inline constexpr Socket kNoSocket = -1;

// Every socket below is non-blocking and not inherited by processes lava-mcp starts.

struct Listening {
  Socket socket = kNoSocket;
  int port = 0;
};

// Winsock started (WSAStartup, once per process, never cleaned up: sockets live as long as the
// process); true at once on POSIX.
bool start_sockets();

// An IPv4 TCP socket; kNoSocket on failure (last_socket_failure()).
Socket open_stream_socket();

// A TCP socket listening on `ipv4_host`, port 0 (the system picks). nullopt with `why` set
// ("not an IPv4 address", "no local port could be bound (...)") on failure. Starts Winsock
// first on Windows (once per process).
std::optional<Listening> listen_ipv4(const std::string& ipv4_host, std::string& why);

// The next pending connection; kNoSocket when none is pending or accepting failed
// (last_socket_failure() says which).
Socket accept_pending(Socket listening);

// recv and send: bytes moved, 0 at the peer's end (receive), -1 on failure. send never raises
// SIGPIPE.
long receive_some(Socket socket, char* buffer, std::size_t size);
long send_some(Socket socket, const char* bytes, std::size_t size);
void shutdown_sending(Socket socket);
void close_socket(Socket socket);

enum class SocketFailure {
  kRetry,          // would block, or interrupted: try again on the next readiness
  kNoDescriptors,  // the process or system is out of sockets
  kOther,
};
// What the last failed call on this thread meant (errno; WSAGetLastError on Windows).
SocketFailure last_socket_failure();
std::string last_socket_error_text();

// poll(2) / WSAPoll over `entries`.
enum PollEvents : short { kPollIn = 1, kPollOut = 2, kPollHangup = 4, kPollError = 8 };
struct SocketPoll {
  Socket socket = kNoSocket;
  short events = 0;   // kPollIn, kPollOut
  short revents = 0;  // any of the four
};
// The number of ready entries; 0 at the timeout or when interrupted; -1 on failure.
// timeout_ms -1 waits until one is ready.
int poll_sockets(std::vector<SocketPoll>& entries, int timeout_ms);

// A way for another thread to end a poll_sockets: `ready` is polled for kPollIn, and becomes
// readable once wake() has been called (any number of times, from any thread).
class PollWaker {
 public:
  static std::optional<PollWaker> open();  // nullopt with the error in last_socket_error_text()
  ~PollWaker();
  PollWaker(PollWaker&& other) noexcept;
  PollWaker& operator=(PollWaker&&) = delete;
  PollWaker(const PollWaker&) = delete;
  PollWaker& operator=(const PollWaker&) = delete;

  Socket ready() const { return ends_[0]; }
  void wake() const;

 private:
  PollWaker(Socket read_end, Socket write_end) : ends_{read_end, write_end} {}
  Socket ends_[2];
};

}  // namespace lava_mcp::platform
