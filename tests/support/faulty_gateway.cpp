#include "support/faulty_gateway.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "platform/socket.h"

namespace lava_mcp::testing {
namespace {

using namespace std::chrono_literals;

bool send_all(int socket, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(socket, bytes.data() + sent, bytes.size() - sent, platform::kSendFlags);
    if (n <= 0) {
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// The request head and its Content-Length body, read whole so the client is never blocked.
std::string read_request(int socket) {
  std::string request;
  char buffer[8192];
  std::size_t head_end = std::string::npos;
  std::size_t wanted = 0;
  while (head_end == std::string::npos || request.size() < head_end + 4 + wanted) {
    const auto n = ::recv(socket, buffer, sizeof buffer, 0);
    if (n <= 0) {
      break;
    }
    request.append(buffer, static_cast<std::size_t>(n));
    if (head_end == std::string::npos &&
        (head_end = request.find("\r\n\r\n")) != std::string::npos) {
      const auto length = request.find("Content-Length: ");
      wanted = length < head_end ? std::stoul(request.substr(length + 16)) : 0;
    }
  }
  return request;
}

std::string fault_of(const std::string& request) {
  const std::string marker = "faults.test%2F";
  const auto at = request.find(marker);
  if (at == std::string::npos) {
    return "";
  }
  const auto start = at + marker.size();
  return request.substr(start, request.find_first_of("& ", start) - start);
}

void reset_connection(int socket) {
  const linger abort_on_close{1, 0};  // close() sends RST instead of FIN
  ::setsockopt(socket, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
}

}  // namespace

FaultyGateway::FaultyGateway()
    : server_(std::make_unique<RawTcpServer>([this](int socket) {
        std::lock_guard lock(mutex_);
        connections_.emplace_back([this, socket] { serve(socket); });
      })) {}

FaultyGateway::~FaultyGateway() {
  server_.reset();
  stopping_ = true;
  std::lock_guard lock(mutex_);
  for (auto& connection : connections_) {
    connection.join();
  }
}

void FaultyGateway::serve(int socket) {
  const std::string fault = fault_of(read_request(socket));
  const std::string close = "Connection: close\r\n";
  if (fault == "trickle") {
    send_all(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n" +
                         close + "\r\n");
    while (!stopping_ && send_all(socket, "x")) {
      std::this_thread::sleep_for(100ms);
    }
  } else if (fault == "endless") {
    send_all(socket,
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n" +
                 close + "\r\n");
    const std::string chunk = "10000\r\n" + std::string(0x10000, 'y') + "\r\n";
    while (!stopping_ && send_all(socket, chunk)) {
    }
  } else if (fault == "reset") {
    send_all(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20000\r\n" +
                         close + "\r\n" + std::string(10000, 'z'));
    std::this_thread::sleep_for(50ms);  // the client is reading the body when the reset comes
    reset_connection(socket);
  } else if (fault == "broken-chunked") {
    send_all(socket,
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n" +
                 close + "\r\n5\r\nhello\r\nzz-not-hex\r\nmore\r\n0\r\n\r\n");
  } else if (fault == "big-error") {
    send_all(socket,
             "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: " +
                 std::to_string(10 << 20) + "\r\n" + close + "\r\n" + std::string(10 << 20, 'E'));
  } else {
    const std::string body = R"({"ok":true})";
    send_all(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\n" + close + "\r\n" + body);
  }
  ::close(socket);
}

}  // namespace lava_mcp::testing
