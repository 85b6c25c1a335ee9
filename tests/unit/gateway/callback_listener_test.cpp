// The listener's HTTP rules and limits, over raw loopback connections. Built into the Windows
// unit executable too (tests/windows/CMakeLists.txt): the same cases on Winsock under Wine.
#include "gateway/callback_listener.h"

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "platform/server_socket.h"
#include "support/loopback_socket.h"

namespace lava_mcp::gateway {
namespace {

using namespace std::chrono_literals;
using platform::Socket;
using testing::read_all;

std::string ask(int port, const std::string& request) {
  const Socket fd = testing::connect_loopback(port);
  testing::send_all(fd, request);
  std::string answer = read_all(fd);
  platform::close_socket(fd);
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
  const Socket fd = testing::connect_loopback(port);
  const std::string chunk = "POST /callback HTTP/1.1\r\nX: " + std::string(1 << 20, 'h');
  int chunks_taken = 0;
  while (chunks_taken < 64 && testing::send_all(fd, chunk)) {
    ++chunks_taken;
  }
  platform::close_socket(fd);
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
  std::vector<Socket> idle;
  for (int i = 0; i < 6; ++i) {
    idle.push_back(testing::connect_loopback(port));
  }
  // Six idle connections against a cap of four: the request is still answered.
  CHECK(status_line(ask(port, "GET /callback?state=s&code=c HTTP/1.1\r\n\r\n")) ==
        "HTTP/1.1 200 OK");
  for (const Socket fd : idle) {
    CHECK(read_all(fd).empty());  // closed (evicted or at the deadline), nothing sent
    platform::close_socket(fd);
  }
}

TEST_CASE("callback listener: stop closes the port, and a host it cannot bind is an error") {
  Recorded recorded;
  auto listener = CallbackListener::start("127.0.0.1", recorded.handler());
  REQUIRE(listener);
  const int port = (*listener)->port();
  CHECK(status_line(ask(port, "GET /callback?state=s&code=c HTTP/1.1\r\n\r\n")) ==
        "HTTP/1.1 200 OK");
  // The serving thread waits in poll with no timeout (no connection is left): only the waker
  // ends it, at once.
  const auto started = std::chrono::steady_clock::now();
  (*listener)->stop();
  listener->reset();
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  CHECK(testing::loopback_refuses(port));
  const auto unbound = CallbackListener::start("192.0.2.1", recorded.handler());
  REQUIRE_FALSE(unbound);
  CHECK(unbound.error().message.find("cannot listen on 192.0.2.1") != std::string::npos);
}

}  // namespace
}  // namespace lava_mcp::gateway
