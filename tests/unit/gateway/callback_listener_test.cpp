#include "gateway/callback_listener.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "platform/socket.h"
#include "support/loopback_socket.h"

namespace lava_mcp::gateway {
namespace {

using namespace std::chrono_literals;

// Everything the listener sends until it closes (or 5 s pass).
std::string read_all(int fd) {
  std::string out;
  char chunk[4096];
  for (ssize_t got; (got = ::recv(fd, chunk, sizeof chunk, 0)) > 0;) {
    out.append(chunk, static_cast<std::size_t>(got));
  }
  return out;
}

std::string ask(int port, const std::string& request) {
  const int fd = testing::connect_loopback(port);
  ::send(fd, request.data(), request.size(), platform::kSendFlags);
  std::string answer = read_all(fd);
  ::close(fd);
  return answer;
}

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

struct Recorded {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> calls;
  CallbackHandler handler() {
    return [this](const std::string& state, const std::string& code) {
      std::lock_guard lock(mutex);
      calls.emplace_back(state, code);
      return CallbackReply{200, "text/html; charset=utf-8", "<p>done</p>"};
    };
  }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return calls.size();
  }
};

TEST_CASE("callback listener: only GET /callback reaches the handler, its query decoded") {
  Recorded recorded;
  auto listener = CallbackListener::start("127.0.0.1", recorded.handler());
  REQUIRE(listener);
  const int port = (*listener)->port();
  const std::string ok =
      ask(port, "GET /callback?code=c+d&state=a%20b&state=second HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(status_line(ok) == "HTTP/1.1 200 OK");
  CHECK(ok.find("Content-Length: 11\r\n") != std::string::npos);
  CHECK(ok.find("Connection: close\r\n") != std::string::npos);
  CHECK(ok.substr(ok.size() - 11) == "<p>done</p>");
  REQUIRE(recorded.count() == 1);
  CHECK(recorded.calls[0] == std::pair<std::string, std::string>{"a b", "c d"});  // the first state

  const std::string head = ask(port, "HEAD /callback?state=a&code=b HTTP/1.1\r\n\r\n");
  CHECK(status_line(head) == "HTTP/1.1 405 Method Not Allowed");
  CHECK(head.find("Allow: GET\r\n") != std::string::npos);
  CHECK(status_line(ask(port, "POST /callback HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")) ==
        "HTTP/1.1 405 Method Not Allowed");
  CHECK(status_line(ask(port, "GET /callbackx?state=a HTTP/1.1\r\n\r\n")) ==
        "HTTP/1.1 404 Not Found");
  CHECK(status_line(ask(port, "GET / HTTP/1.1\r\n\r\n")) == "HTTP/1.1 404 Not Found");
  CHECK(status_line(ask(port, "nonsense\r\n\r\n")) == "HTTP/1.1 400 Bad Request");
  CHECK(recorded.count() == 1);
}

TEST_CASE(
    "callback listener: a request line past the cap gets 414, a flood of headers or body is "
    "dropped unread, and the listener goes on serving") {
  Recorded recorded;
  CallbackLimits limits;
  limits.max_request_line = 256;
  limits.max_discarded = 4096;
  auto listener = CallbackListener::start("127.0.0.1", recorded.handler(), limits);
  REQUIRE(listener);
  const int port = (*listener)->port();
  CHECK(status_line(ask(port, "GET /callback?state=" + std::string(1000, 'a'))) ==
        "HTTP/1.1 414 URI Too Long");
  // Headers or a body past max_discarded: thrown away unread, then the connection is closed,
  // so the sender cannot push 64 MiB.
  const int fd = testing::connect_loopback(port);
  const std::string chunk = "POST /callback HTTP/1.1\r\nX: " + std::string(1 << 20, 'h');
  int chunks_taken = 0;
  while (chunks_taken < 64 && ::send(fd, chunk.data(), chunk.size(), platform::kSendFlags) ==
                                  static_cast<ssize_t>(chunk.size())) {
    ++chunks_taken;
  }
  ::close(fd);
  CHECK(chunks_taken < 64);
  CHECK(status_line(ask(port, "GET /callback?state=s&code=c HTTP/1.1\r\n\r\n")) ==
        "HTTP/1.1 200 OK");
  CHECK(recorded.count() == 1);
}

TEST_CASE("callback listener: idle connections neither hold it up nor stay past their deadline") {
  Recorded recorded;
  CallbackLimits limits;
  limits.connection_deadline = 300ms;
  limits.max_connections = 4;
  auto listener = CallbackListener::start("127.0.0.1", recorded.handler(), limits);
  REQUIRE(listener);
  const int port = (*listener)->port();
  std::vector<int> idle;
  for (int i = 0; i < 6; ++i) {
    idle.push_back(testing::connect_loopback(port));
  }
  // Six idle connections against a cap of four: the request is still answered.
  CHECK(status_line(ask(port, "GET /callback?state=s&code=c HTTP/1.1\r\n\r\n")) ==
        "HTTP/1.1 200 OK");
  for (const int fd : idle) {
    CHECK(read_all(fd).empty());  // closed (evicted or at the deadline), nothing sent
    ::close(fd);
  }
}

TEST_CASE("callback listener: stop closes the port, and a host it cannot bind is an error") {
  Recorded recorded;
  auto listener = CallbackListener::start("127.0.0.1", recorded.handler());
  REQUIRE(listener);
  const int port = (*listener)->port();
  (*listener)->stop();
  listener->reset();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0);
  ::close(fd);
  const auto unbound = CallbackListener::start("192.0.2.1", recorded.handler());
  REQUIRE_FALSE(unbound);
  CHECK(unbound.error().message.find("cannot listen on 192.0.2.1") != std::string::npos);
}

}  // namespace
}  // namespace lava_mcp::gateway
