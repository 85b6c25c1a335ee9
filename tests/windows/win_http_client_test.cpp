// WinHttpClient's own cases, the ones CurlHttpClient passes (tests/unit/gateway/curl_http_*):
// statuses, the body cap, the deadline, the idle limit, cancellation, refused and dropped
// connections, redirects, the header caps, and the streaming read. Those files' servers are
// httplib, which Debian ships only as a Linux library (the header declares, libcpp-httplib.so
// implements), so the server here is a small Winsock one that answers with exact bytes. Run
// under Wine by tests/windows/run_wine.sh, where Winsock is the Linux loopback behind it.
#include "gateway/win_http_client.h"

#include <doctest/doctest.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/http_requests.h"

namespace lava_mcp::gateway {
namespace {

using namespace std::chrono_literals;
using testing::get;
using testing::stream_get;
using testing::StreamCollector;
using Clock = std::chrono::steady_clock;

bool send_all(SOCKET socket, std::string_view data) {
  while (!data.empty()) {
    const int n = ::send(socket, data.data(), static_cast<int>(data.size()), 0);
    if (n <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// The request as the server read it: the head (request line and headers) and the body.
struct Received {
  std::string head;
  std::string body;
  std::string target() const {
    const auto start = head.find(' ') + 1;
    return head.substr(start, head.find(' ', start) - start);
  }
};

// Accepts on 127.0.0.1 and hands each connection, once its request is read, to `handler` on a
// thread of its own; the connection is closed when the handler returns.
class LoopbackServer {
 public:
  using Handler = std::function<void(SOCKET, const Received&)>;
  explicit LoopbackServer(Handler handler) : handler_(std::move(handler)) {
    WSADATA data;
    ::WSAStartup(MAKEWORD(2, 2), &data);
    listener_ = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("LoopbackServer: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    accepter_ = std::thread([this] { accept_loop(); });
  }
  ~LoopbackServer() {
    stopping_ = true;
    accepter_.join();
    ::closesocket(listener_);
    std::lock_guard lock(mutex_);
    for (auto& connection : connections_) connection.join();
    ::WSACleanup();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  void accept_loop() {
    while (!stopping_) {
      fd_set ready;
      FD_ZERO(&ready);
      FD_SET(listener_, &ready);
      timeval wait{0, 50000};
      if (::select(0, &ready, nullptr, nullptr, &wait) <= 0) {
        continue;
      }
      const SOCKET socket = ::accept(listener_, nullptr, nullptr);
      if (socket == INVALID_SOCKET) {
        continue;
      }
      // No wait here is endless: a client that connects and goes quiet fails its test case
      // instead of stalling the whole executable in the destructor's join.
      const DWORD limit_ms = 5000;
      ::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&limit_ms),
                   sizeof limit_ms);
      ::setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, reinterpret_cast<const char*>(&limit_ms),
                   sizeof limit_ms);
      std::lock_guard lock(mutex_);
      connections_.emplace_back([this, socket] {
        if (auto request = read_request(socket)) {
          handler_(socket, *request);
        }
        ::shutdown(socket, SD_SEND);
        ::closesocket(socket);
      });
    }
  }
  static std::optional<Received> read_request(SOCKET socket) {
    std::string data;
    char buffer[4096];
    std::size_t end = std::string::npos;
    while ((end = data.find("\r\n\r\n")) == std::string::npos) {
      const int n = ::recv(socket, buffer, sizeof buffer, 0);
      if (n <= 0) {
        return std::nullopt;
      }
      data.append(buffer, static_cast<std::size_t>(n));
    }
    Received request{data.substr(0, end), data.substr(end + 4)};
    std::string lower = request.head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto field = lower.find("\r\ncontent-length:");
    const std::size_t length =
        field == std::string::npos ? 0 : std::stoul(lower.substr(field + 17));
    while (request.body.size() < length) {
      const int n = ::recv(socket, buffer, sizeof buffer, 0);
      if (n <= 0) {
        return std::nullopt;
      }
      request.body.append(buffer, static_cast<std::size_t>(n));
    }
    return request;
  }

  Handler handler_;
  SOCKET listener_ = INVALID_SOCKET;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accepter_;
  std::mutex mutex_;
  std::vector<std::thread> connections_;
};

std::string answer(int status, const std::string& headers, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
         headers + "\r\n" + body;
}

const char* kChunkedHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    "Connection: close\r\n\r\n";

bool send_chunk(SOCKET socket, const std::string& piece) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
  return send_all(socket, size) && send_all(socket, piece + "\r\n");
}

// `events` SSE pieces `gap` apart, chunked; `written` counts those the peer took.
LoopbackServer::Handler trickle(int events, std::chrono::milliseconds gap,
                                std::atomic<int>& written) {
  return [events, gap, &written](SOCKET socket, const Received&) {
    if (!send_all(socket, kChunkedHead)) return;
    for (int i = 0; i < events; ++i) {
      if (!send_chunk(socket, "data: " + std::to_string(i) + "\n\n")) return;
      ++written;
      std::this_thread::sleep_for(gap);
    }
    send_all(socket, "0\r\n\r\n");
  };
}

TEST_CASE("winhttp client: statuses are values, headers and bodies come back whole") {
  LoopbackServer server([](SOCKET socket, const Received& request) {
    const bool has_header = request.head.find("\r\nX-Test: yes") != std::string::npos;
    send_all(socket, answer(418, "X-Lava-Request-Id: req_1\r\nContent-Type: text/plain\r\n",
                            std::string(has_header ? "yes" : "no") + ":" + request.body));
  });
  WinHttpClient client;
  HttpRequest request = get(server.base_url() + "/echo");
  request.method = "POST";
  request.headers = {{"X-Test", "yes"}, {"Content-Type", "text/plain"}};
  request.body = "payload";
  auto response = client.send(request, {});
  REQUIRE_MESSAGE(response, response.error().message);
  CHECK(response->status == 418);
  CHECK(response->body == "yes:payload");
  CHECK(response->header("x-lava-request-id") == "req_1");
  CHECK_FALSE(response->truncated);
}

TEST_CASE("winhttp client: the body is capped and marked truncated") {
  LoopbackServer server([](SOCKET socket, const Received&) {
    send_all(socket, answer(200, "", std::string(5u << 20, 'b')));
  });
  WinHttpClient client;
  HttpRequest request = get(server.base_url() + "/big");
  request.max_response_bytes = 1000;
  auto response = client.send(request, {});
  REQUIRE_MESSAGE(response, response.error().message);
  CHECK(response->status == 200);
  CHECK(response->body.size() == 1000);
  CHECK(response->truncated);
}

TEST_CASE("winhttp client: a slow server times out with a clear message") {
  LoopbackServer server([](SOCKET socket, const Received&) {
    std::this_thread::sleep_for(1500ms);
    send_all(socket, answer(200, "", "late"));
  });
  WinHttpClient client;
  const auto started = Clock::now();
  auto response = client.send(get(server.base_url() + "/slow", 300ms), {});
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "timeout");
  CHECK(response.error().message.find("300 ms") != std::string::npos);
  CHECK(Clock::now() - started < 1200ms);
}

TEST_CASE("winhttp client: the idle limit ends a silent exchange long before the whole timeout") {
  LoopbackServer server([](SOCKET socket, const Received&) {
    std::this_thread::sleep_for(2500ms);
    send_all(socket, answer(200, "", "late"));
  });
  WinHttpClient client;
  HttpRequest request = get(server.base_url() + "/silent", 30s);
  request.idle_timeout = 300ms;
  const auto started = Clock::now();
  auto response = client.send(request, {});
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "timeout");
  CHECK(response.error().message.find("300 ms (the idle limit") != std::string::npos);
  CHECK(Clock::now() - started < 2000ms);  // not the server's 2.5 s, nor 30 s
}

TEST_CASE("winhttp client: a body that keeps arriving outlives the idle limit") {
  std::atomic<int> written{0};
  LoopbackServer server(trickle(8, 150ms, written));  // 1.2 s in all, against 500 ms idle
  WinHttpClient client;
  HttpRequest request = get(server.base_url() + "/drip", 30s);
  request.idle_timeout = 500ms;
  auto response = client.send(request, {});
  REQUIRE_MESSAGE(response, response.error().message);
  CHECK(response->body.size() == 8 * 9);
}

// Cancelled while the body arrives a byte every 200 ms. Not while WinHTTP waits in a silence:
// under Wine closing the request handle does not end a blocked wait, which then ends at the
// next byte, the idle limit or the deadline (README "Windows").
TEST_CASE("winhttp client: cancellation aborts a transfer in flight promptly") {
  std::atomic<int> written{0};
  LoopbackServer server([&written](SOCKET socket, const Received&) {
    if (!send_all(socket, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\nConnection: close\r\n\r\n")) {
      return;
    }
    for (int i = 0; i < 50 && send_all(socket, "x"); ++i) {
      ++written;
      std::this_thread::sleep_for(200ms);
    }
  });
  WinHttpClient client;
  std::stop_source stop;
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    stop.request_stop();
  });
  const auto started = Clock::now();
  auto response = client.send(get(server.base_url() + "/slow", 30s), stop.get_token());
  canceller.join();
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "cancelled");
  CHECK(Clock::now() - started < 1500ms);  // not the 10 s the body would take
}

TEST_CASE("winhttp client: refused and dropped connections are clear errors") {
  int refused_port = 0;
  {
    LoopbackServer closed([](SOCKET, const Received&) {});
    refused_port = closed.port();
  }  // no longer listening
  WinHttpClient client;
  auto refused = client.send(get("http://127.0.0.1:" + std::to_string(refused_port) + "/"), {});
  REQUIRE_FALSE(refused);
  CHECK(failure_kind_of(refused.error()) == "connect");

  LoopbackServer dropping([](SOCKET socket, const Received&) {
    send_all(socket, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\nshort");
  });
  auto dropped = client.send(get(dropping.base_url() + "/"), {});
  REQUIRE_FALSE(dropped);
  CHECK(failure_kind_of(dropped.error()) == "reset");
}

TEST_CASE("winhttp client: redirects only when asked, and at most max_redirects") {
  LoopbackServer server([](SOCKET socket, const Received& request) {
    const std::string target = request.target();
    if (target == "/final") {
      send_all(socket, answer(200, "", "arrived"));
      return;
    }
    const int hop = target == "/loop" ? 0 : std::stoi(target.substr(5));
    const std::string next = target == "/loop" ? "/loop"
                             : hop > 1         ? "/hop/" + std::to_string(hop - 1)
                                               : "/final";
    send_all(socket, answer(302, "Location: " + next + "\r\n", ""));
  });
  WinHttpClient client;
  auto plain = client.send(get(server.base_url() + "/hop/2"), {});
  REQUIRE(plain);
  CHECK(plain->status == 302);  // max_redirects 0: the 3xx as it is

  HttpRequest follow = get(server.base_url() + "/hop/2");
  follow.max_redirects = 3;
  auto followed = client.send(follow, {});
  REQUIRE_MESSAGE(followed, followed.error().message);
  CHECK(followed->status == 200);
  CHECK(followed->body == "arrived");
  CHECK(followed->final_url == server.base_url() + "/final");

  HttpRequest loop = get(server.base_url() + "/loop");
  loop.max_redirects = 3;
  auto looped = client.send(loop, {});
  REQUIRE_FALSE(looped);
  CHECK(failure_kind_of(looped.error()) == "redirects");
}

TEST_CASE("winhttp client: a flood of response headers is refused at 100 headers or 64 KiB") {
  LoopbackServer server([](SOCKET socket, const Received& request) {
    std::string headers;
    if (request.target() == "/count") {
      for (int i = 0; i < 150; ++i) headers += "X-H" + std::to_string(i) + ": v\r\n";
    } else {  // 60 lines of 1.2 KiB: fewer than 100, more than 64 KiB (Wine's WinHTTP cuts a
      // single line at about 1.4 KiB, so one huge line would arrive cut, not refused)
      for (int i = 0; i < 60; ++i)
        headers += "X-B" + std::to_string(i) + ": " + std::string(1200, 'h') + "\r\n";
    }
    send_all(socket, answer(200, headers, "body"));
  });
  WinHttpClient client;
  for (const char* target : {"/count", "/size"}) {
    CAPTURE(target);
    auto response = client.send(get(server.base_url() + target), {});
    REQUIRE_FALSE(response);
    CHECK(failure_kind_of(response.error()) == "headers_too_large");
  }
}

TEST_CASE("winhttp stream: chunks arrive one by one, not in HttpResponse::body") {
  std::atomic<int> written{0};
  LoopbackServer server(trickle(5, 30ms, written));
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  HttpRequest request = stream_get(server.base_url() + "/stream", stream);
  WinHttpClient client;
  auto response = client.send(request, {});
  REQUIRE_MESSAGE(response, response.error().message);
  CHECK(response->status == 200);
  CHECK(response->body.empty());
  CHECK(collected.heads == 1);
  CHECK(collected.chunks.size() >= 2);  // the pieces came 30 ms apart, not as one body
  CHECK(collected.joined() == "data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n");
}

TEST_CASE("winhttp stream: a body the reader declines is collected whole as before") {
  LoopbackServer server([](SOCKET socket, const Received&) {
    send_all(socket, answer(503, "Content-Type: application/json\r\n", R"({"error":"busy"})"));
  });
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  HttpRequest request = get(server.base_url() + "/stream");
  request.stream = &stream;
  WinHttpClient client;
  auto response = client.send(request, {});
  REQUIRE_MESSAGE(response, response.error().message);
  CHECK(collected.heads == 1);
  CHECK(collected.chunks.empty());
  CHECK(response->body == R"({"error":"busy"})");
}

TEST_CASE("winhttp stream: a peer silent past the idle limit is a timeout naming the stall") {
  // Two events, then 2 s of silence. Two: Wine's WinHTTP hands a chunk over only once the next
  // chunk's size line has arrived, so the one before a silence comes late.
  LoopbackServer server([](SOCKET socket, const Received&) {
    send_all(socket, kChunkedHead);
    send_chunk(socket, "data: 0\n\n");
    send_chunk(socket, "data: 1\n\n");
    std::this_thread::sleep_for(2s);
    send_all(socket, "0\r\n\r\n");
  });
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  HttpRequest request = stream_get(server.base_url() + "/stream", stream);
  request.idle_timeout = 300ms;
  WinHttpClient client;
  auto response = client.send(request, {});
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "timeout");
  CAPTURE(response.error().message);
  CHECK(response.error().message.find("stalled: nothing more for 300 ms") != std::string::npos);
  CHECK(collected.joined().rfind("data: 0\n\n", 0) == 0);
}

TEST_CASE("winhttp stream: the reader stops the transfer and nothing more is read") {
  std::atomic<int> written{0};
  LoopbackServer server(trickle(100, 10ms, written));
  int seen = 0;
  const BodyStream stream{[](const HttpResponse&) { return true; },
                          [&seen](std::string_view) { return ++seen < 2; }};
  HttpRequest request = stream_get(server.base_url() + "/stream", stream);
  WinHttpClient client;
  auto response = client.send(request, {});
  REQUIRE_MESSAGE(response, response.error().message);
  CHECK(response->stopped_by_reader);
  CHECK(seen == 2);
}

TEST_CASE("winhttp stream: cancellation inside a stream aborts it and reads no more") {
  std::atomic<int> written{0};
  LoopbackServer server(trickle(100, 20ms, written));
  std::stop_source stop;
  int after_stop = 0;
  const BodyStream stream{[](const HttpResponse&) { return true; },
                          [&](std::string_view) {
                            after_stop += stop.stop_requested() ? 1 : 0;
                            return true;
                          }};
  std::thread canceller([&] {
    std::this_thread::sleep_for(150ms);
    stop.request_stop();
  });
  HttpRequest request = stream_get(server.base_url() + "/stream", stream);
  WinHttpClient client;
  auto response = client.send(request, stop.get_token());
  canceller.join();
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "cancelled");
  CHECK(after_stop == 0);
  CHECK(written.load() < 100);
}

TEST_CASE("winhttp stream: the bytes handed over are capped by max_response_bytes") {
  std::atomic<int> written{0};
  LoopbackServer server(trickle(100, 1ms, written));
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  HttpRequest request = stream_get(server.base_url() + "/stream", stream);
  request.max_response_bytes = 100;
  WinHttpClient client;
  auto response = client.send(request, {});
  REQUIRE_MESSAGE(response, response.error().message);
  CHECK(response->truncated);
  CHECK(collected.joined().size() <= 100);
}

}  // namespace
}  // namespace lava_mcp::gateway
