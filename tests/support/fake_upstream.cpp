#include "support/fake_upstream.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "platform/socket.h"

namespace lava_mcp::testing {
namespace {

// httplib 0.11 listens with a backlog of 5: a burst of 64 connects overflows it, and the kernel
// then drops or resets connections (netstat's ListenOverflows). Calling listen() again on the
// bound socket widens the queue; httplib offers no way to reach its socket, so find it by port.
void widen_backlog(int port) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::atoi(entry.path().filename().c_str());
    sockaddr_in address{};
    socklen_t length = sizeof address;
    int listening = 0;
    socklen_t flag_length = sizeof listening;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
        address.sin_family == AF_INET && ntohs(address.sin_port) == port &&
        ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &flag_length) == 0 && listening) {
      ::listen(fd, 1024);
    }
  }
}

}  // namespace

FakeUpstream::FakeUpstream() {
  server_.set_read_timeout(5, 0);
  server_.set_write_timeout(5, 0);
  // httplib's default pool has max(8, cores - 1) threads, one per connection: eight slow answers
  // would queue every other request behind them, and the tests need up to 64 at once.
  server_.new_task_queue = [] { return new httplib::ThreadPool(96); };
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    throw std::runtime_error("FakeUpstream: cannot bind 127.0.0.1");
  }
  widen_backlog(port_);
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeUpstream::~FakeUpstream() {
  server_.stop();
  thread_.join();
}

RawTcpServer::RawTcpServer(std::function<void(int)> on_connection)
    : on_connection_(std::move(on_connection)) {
  listen_fd_ = platform::open_socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 1024) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("RawTcpServer: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] {
    while (!stopping_) {
      pollfd fd{listen_fd_, POLLIN, 0};
      if (::poll(&fd, 1, 50) <= 0) {
        continue;
      }
      const int socket = platform::accept_connection(listen_fd_);
      if (socket >= 0) {
        on_connection_(socket);
      }
    }
  });
}

RawTcpServer::~RawTcpServer() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

int refused_port() {
  const int fd = platform::open_socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

}  // namespace lava_mcp::testing
