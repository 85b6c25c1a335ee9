#include "gateway/curl_http_client.h"

#include <doctest/doctest.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>

#include "platform/socket.h"
#include "support/fake_upstream.h"
#include "support/http_requests.h"

namespace lava_mcp::gateway {
namespace {

using testing::FakeUpstream;
using testing::get;
using testing::RawTcpServer;
using namespace std::chrono_literals;

TEST_CASE("http client: statuses are values, headers and bodies come back whole") {
  FakeUpstream upstream;
  upstream.routes().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 418;
    res.set_header("X-Lava-Request-Id", "req_1");
    res.set_content(req.get_header_value("X-Test") + ":" + req.body, "text/plain");
  });
  CurlHttpClient client;
  HttpRequest request = get(upstream.base_url() + "/echo");
  request.method = "POST";
  request.headers = {{"X-Test", "yes"}, {"Content-Type", "text/plain"}};
  request.body = "payload";
  auto response = client.send(request, {});
  REQUIRE(response);
  CHECK(response->status == 418);
  CHECK(response->body == "yes:payload");
  CHECK(response->header("x-lava-request-id") == "req_1");
  CHECK_FALSE(response->truncated);
}

TEST_CASE("http client: without libcurl every request fails with what to install, nothing sent") {
  FakeUpstream upstream;
  std::atomic<int> requests{0};
  upstream.routes().Get("/", [&](const httplib::Request&, httplib::Response& res) {
    ++requests;
    res.set_content("ok", "text/plain");
  });
  CurlHttpClient::Options options;
  options.libcurl = "/nonexistent/libcurl.so.4";
  CurlHttpClient client(options);
  for (int attempt = 0; attempt < 2; ++attempt) {  // the answer is kept, and the same
    auto response = client.send(get(upstream.base_url() + "/"), {});
    REQUIRE_FALSE(response);
    CHECK(failure_kind_of(response.error()) == "no_http_library");
    CHECK(response.error().message.find("/nonexistent/libcurl.so.4") != std::string::npos);
    CHECK(response.error().message.find("libcurl4 package") != std::string::npos);
  }
  CHECK(requests == 0);
  CHECK(CurlHttpClient().send(get(upstream.base_url() + "/"), {}));  // the system's loads
  CHECK(requests == 1);
}

TEST_CASE("http client: the body is capped and marked truncated") {
  FakeUpstream upstream;
  upstream.routes().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(5u << 20, 'b'), "application/octet-stream");
  });
  CurlHttpClient client;
  HttpRequest request = get(upstream.base_url() + "/big");
  request.max_response_bytes = 1000;
  auto response = client.send(request, {});
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->body.size() == 1000);
  CHECK(response->truncated);
}

TEST_CASE("http client: a slow server times out with a clear message") {
  FakeUpstream upstream;
  upstream.routes().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(1500ms);
    res.set_content("late", "text/plain");
  });
  CurlHttpClient client;
  const auto started = std::chrono::steady_clock::now();
  auto response = client.send(get(upstream.base_url() + "/slow", 300ms), {});
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "timeout");
  CHECK(response.error().message.find("300 ms") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < 1200ms);
}

TEST_CASE("http client: the idle limit ends a silent exchange long before the whole timeout") {
  FakeUpstream upstream;
  upstream.routes().Get("/silent", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(4s);
    res.set_content("late", "text/plain");
  });
  CurlHttpClient client;
  HttpRequest request = get(upstream.base_url() + "/silent", 30s);
  request.idle_timeout = 300ms;
  const auto started = std::chrono::steady_clock::now();
  auto response = client.send(request, {});
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "timeout");
  CHECK(response.error().message.find("300 ms (the idle limit") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < 3500ms);  // the server's 4 s, not 30 s
}

TEST_CASE("http client: a body that keeps arriving outlives the idle limit") {
  FakeUpstream upstream;
  upstream.routes().Get("/drip", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](std::size_t offset, httplib::DataSink& sink) {
      if (offset >= 12) {
        sink.done();
        return true;
      }
      std::this_thread::sleep_for(150ms);  // 12 pieces: far longer than the idle limit in all
      sink.write("x", 1);
      return true;
    });
  });
  CurlHttpClient client;
  HttpRequest request = get(upstream.base_url() + "/drip", 30s);
  request.idle_timeout = 1000ms;
  auto response = client.send(request, {});
  REQUIRE_MESSAGE(response, response.error().message);
  CHECK(response->body == std::string(12, 'x'));
}

TEST_CASE("http client: cancellation aborts a transfer in flight promptly") {
  FakeUpstream upstream;
  upstream.routes().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(3s);
    res.set_content("late", "text/plain");
  });
  CurlHttpClient client;
  std::stop_source stop;
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    stop.request_stop();
  });
  const auto started = std::chrono::steady_clock::now();
  auto response = client.send(get(upstream.base_url() + "/slow", 10s), stop.get_token());
  canceller.join();
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "cancelled");
  CHECK(std::chrono::steady_clock::now() - started < 1s);
}

TEST_CASE("http client: connection refused, garbage and dropped connections are clear errors") {
  CurlHttpClient client;
  auto refused =
      client.send(get("http://127.0.0.1:" + std::to_string(testing::refused_port()) + "/"), {});
  REQUIRE_FALSE(refused);
  CHECK(failure_kind_of(refused.error()) == "connect");

  RawTcpServer dropper([](int socket) { ::close(socket); });
  auto dropped = client.send(get(dropper.base_url() + "/"), {});
  REQUIRE_FALSE(dropped);
  CHECK(failure_kind_of(dropped.error()) == "reset");

  RawTcpServer garbage([](int socket) {
    char buffer[4096];
    [[maybe_unused]] auto n = ::recv(socket, buffer, sizeof buffer, 0);
    const std::string reply = "this is not http\r\n\r\n";
    [[maybe_unused]] auto w = ::send(socket, reply.data(), reply.size(), platform::kSendFlags);
    ::close(socket);
  });
  auto bad = client.send(get(garbage.base_url() + "/"), {});
  REQUIRE_FALSE(bad);
  CHECK(failure_kind_of(bad.error()) == "reset");
}

TEST_CASE(
    "http client: CR, LF or a control character in a header, method or URL is refused before a "
    "byte is sent") {
  std::atomic<int> connections{0};
  RawTcpServer server([&](int socket) {
    ++connections;
    char buffer[4096];
    [[maybe_unused]] auto n = ::recv(socket, buffer, sizeof buffer, 0);
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    [[maybe_unused]] auto w = ::send(socket, reply.data(), reply.size(), platform::kSendFlags);
    ::close(socket);
  });
  CurlHttpClient client;
  HttpRequest header = get(server.base_url() + "/v1/forward");
  header.headers = {{"X-A", "b\r\nAuthorization: Bearer attacker\r\nHost: evil.example"}};
  HttpRequest name = get(server.base_url() + "/");
  name.headers = {{"X-A\r\n\r\nPOST /v1/spend_keys HTTP/1.1\r\nX", "v"}};
  HttpRequest method = get(server.base_url() + "/");
  method.method = "GET / HTTP/1.1\r\nHost: evil\r\n\r\nPOST";
  HttpRequest dotted = get(server.base_url() + "/v1/rewrite/openai/t/../../../../v1/spend_keys");
  HttpRequest spaced = get(server.base_url() + "/a b");
  for (const auto& [request, expected] :
       {std::pair{header, "header \"X-A\": the value holds CR (byte 2)"},
        std::pair{name, "header \"X-A\\r\\n\\r\\nPOST"},
        std::pair{method, "method \"GET / HTTP/1.1"},
        std::pair{dotted, "url: has a \".\" or \"..\" segment"},
        std::pair{spaced, "url: holds a space"}}) {
    auto refused = client.send(request, {});
    REQUIRE_FALSE(refused);
    CHECK_MESSAGE(refused.error().message.find(expected) == 0, refused.error().message);
    CHECK(refused.error().code == error_code::kInvalidParams);
  }
  CHECK(connections == 0);
  HttpRequest tab = get(server.base_url() + "/");
  tab.headers = {{"X-Tab", "a\tb"}};
  CHECK(client.send(tab, {}).has_value());  // the server itself is reachable
  CHECK(connections == 1);
}

TEST_CASE("http client: TLS to a server that does not speak it is a TLS error") {
  FakeUpstream plain;
  CurlHttpClient client;
  auto response = client.send(get("https://127.0.0.1:" + std::to_string(plain.port()) + "/"), {});
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "tls");
}

TEST_CASE("http client: an unresolvable host is a DNS error") {
  // In a private network namespace no DNS packet can leave the machine.
  const pid_t child = ::fork();
  if (child == 0) {
    if (::unshare(CLONE_NEWNET) != 0) {
      ::_exit(77);
    }
    CurlHttpClient client;
    auto response = client.send(get("https://api.nonexistent-host.invalid/", 3s), {});
    ::_exit(!response && failure_kind_of(response.error()) == "dns" ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) {
    MESSAGE("skipped: creating a network namespace needs root");
    return;
  }
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("http client: redirects only when asked, and at most max_redirects") {
  FakeUpstream upstream;
  upstream.routes().Get(R"(/hop/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    const int n = std::stoi(req.matches[1]);
    if (n == 0) {
      res.set_content("arrived", "text/plain");
    } else {
      res.set_redirect("/hop/" + std::to_string(n - 1));
    }
  });
  CurlHttpClient client;
  auto not_followed = client.send(get(upstream.base_url() + "/hop/2"), {});
  REQUIRE(not_followed);
  CHECK(not_followed->status == 302);
  HttpRequest follow = get(upstream.base_url() + "/hop/3");
  follow.max_redirects = 5;
  auto followed = client.send(follow, {});
  REQUIRE(followed);
  CHECK(followed->body == "arrived");
  CHECK(followed->final_url == upstream.base_url() + "/hop/0");
  follow.url = upstream.base_url() + "/hop/9";
  auto too_many = client.send(follow, {});
  REQUIRE_FALSE(too_many);
  CHECK(failure_kind_of(too_many.error()) == "redirects");
}

TEST_CASE("http client: keep-alive connections are reused, safely across threads") {
  FakeUpstream upstream;
  std::mutex mutex;
  std::set<int> client_ports;
  upstream.routes().set_keep_alive_max_count(1000);  // httplib's server closes after 5 by default
  upstream.routes().Get("/", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    client_ports.insert(req.remote_port);
    res.set_content("ok", "text/plain");
  });
  CurlHttpClient client;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(client.send(get(upstream.base_url() + "/"), {}));
  }
  CHECK(client_ports.size() == 1);  // five sequential requests, one connection
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        ok += client.send(get(upstream.base_url() + "/"), {}) ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(ok == 80);
  CHECK(client_ports.size() <= 9);
}

// Writes until the peer stops reading (or `limit` bytes); returns how much the kernel took.
std::size_t send_until_refused(int socket, const std::string& chunk, std::size_t limit,
                               std::chrono::milliseconds pause = 0ms) {
  std::size_t sent = 0;
  while (sent < limit) {
    const auto n = ::send(socket, chunk.data(), chunk.size(), platform::kSendFlags);
    if (n <= 0) {
      break;
    }
    sent += static_cast<std::size_t>(n);
    if (pause > 0ms) {
      std::this_thread::sleep_for(pause);
    }
  }
  return sent;
}

void read_request(int socket) {
  char buffer[4096];
  [[maybe_unused]] auto n = ::recv(socket, buffer, sizeof buffer, 0);
}

TEST_CASE("http client: a flood of response headers is refused at 100 headers or 64 KiB") {
  std::atomic<std::size_t> sent{0};
  RawTcpServer many([&](int socket) {
    read_request(socket);
    const std::string status = "HTTP/1.1 200 OK\r\n";
    ::send(socket, status.data(), status.size(), platform::kSendFlags);
    sent = send_until_refused(socket, "X-Flood: 1\r\n", 256u << 20);
    ::close(socket);
  });
  CurlHttpClient client;
  auto counted = client.send(get(many.base_url() + "/", 20s), {});
  REQUIRE_FALSE(counted);
  CHECK(failure_kind_of(counted.error()) == "headers_too_large");
  CHECK(counted.error().message.find("100 headers") != std::string::npos);

  RawTcpServer large([&](int socket) {
    read_request(socket);
    const std::string status = "HTTP/1.1 200 OK\r\n";
    ::send(socket, status.data(), status.size(), platform::kSendFlags);
    sent = send_until_refused(socket, "X-Big: " + std::string(4000, 'b') + "\r\n", 256u << 20);
    ::close(socket);
  });
  auto sized = client.send(get(large.base_url() + "/", 20s), {});
  REQUIRE_FALSE(sized);
  CHECK(failure_kind_of(sized.error()) == "headers_too_large");
  // The client stopped reading: what the peer got rid of fits in the kernel's socket buffers,
  // not the 256 MiB it offered.
  std::this_thread::sleep_for(200ms);
  CHECK(sent < (32u << 20));
}

TEST_CASE("http client: headers dripped a byte at a time end at the deadline") {
  RawTcpServer dripper([](int socket) {
    read_request(socket);
    const std::string status = "HTTP/1.1 200 OK\r\nX-Drip: ";
    ::send(socket, status.data(), status.size(), platform::kSendFlags);
    send_until_refused(socket, "d", 300, 100ms);  // 30 s at most, then it gives up
    ::close(socket);
  });
  CurlHttpClient client;
  const auto started = std::chrono::steady_clock::now();
  auto response = client.send(get(dripper.base_url() + "/", 2000ms), {});
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "timeout");
  CHECK(response.error().message.find("2000 ms") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < 6s);
}

// Counts the requests that reach it: a hop that is refused must never get one.
struct Target {
  Target() {
    upstream.routes().Get(".*", [this](const httplib::Request&, httplib::Response& res) {
      ++hits;
      res.set_content("admin page", "text/plain");
    });
  }
  FakeUpstream upstream;
  std::atomic<int> hits{0};
};

TEST_CASE("http client: an untrusted URL's hops are checked before they are requested") {
  Target target;
  FakeUpstream redirector;
  redirector.routes().Get("/to", [](const httplib::Request& req, httplib::Response& res) {
    res.set_redirect(req.get_param_value("u"));
  });
  CurlHttpClient client;
  const auto via = [&](const std::string& location, PeerPolicy policy) {
    HttpRequest request = get(redirector.base_url() + "/to?u=" + location);
    request.max_redirects = 3;
    request.peer_policy = policy;
    return client.send(request, {});
  };
  const std::string port = std::to_string(target.upstream.port());

  // Loopback allowed for local use, yet 0.0.0.0 (which reaches this host) is not loopback.
  auto unspecified = via("http://0.0.0.0:" + port + "/admin", PeerPolicy::kPublicOrLoopback);
  REQUIRE_FALSE(unspecified);
  CHECK(failure_kind_of(unspecified.error()) == "blocked_address");
  CHECK(unspecified.error().message.find("a redirect from") != std::string::npos);
  // Plain http goes to loopback only.
  auto private_http = via("http://10.9.9.9:" + port + "/", PeerPolicy::kPublicOrLoopback);
  REQUIRE_FALSE(private_http);
  CHECK(failure_kind_of(private_http.error()) == "blocked_address");
  auto mapped = via("http://[::ffff:10.9.9.9]:" + port + "/", PeerPolicy::kPublicOrLoopback);
  REQUIRE_FALSE(mapped);
  CHECK(failure_kind_of(mapped.error()) == "blocked_address");
  CHECK(target.hits == 0);
  // The same redirect to loopback is followed when loopback is allowed.
  auto loopback = via(target.upstream.base_url() + "/docs", PeerPolicy::kPublicOrLoopback);
  REQUIRE(loopback);
  CHECK(loopback->body == "admin page");
  CHECK(target.hits == 1);

  // Public https only: plain http is refused before any lookup, loopback before any connection.
  HttpRequest plain = get(target.upstream.base_url() + "/admin");
  plain.peer_policy = PeerPolicy::kPublicHttps;
  auto refused = client.send(plain, {});
  REQUIRE_FALSE(refused);
  CHECK(failure_kind_of(refused.error()) == "blocked_url");
  std::atomic<int> connections{0};
  RawTcpServer tls([&](int socket) {
    ++connections;
    ::close(socket);
  });
  HttpRequest secure = get("https://127.0.0.1:" + std::to_string(tls.port()) + "/");
  secure.peer_policy = PeerPolicy::kPublicHttps;
  auto blocked = client.send(secure, {});
  REQUIRE_FALSE(blocked);
  CHECK(failure_kind_of(blocked.error()) == "blocked_address");
  CHECK(blocked.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(connections == 0);
  CHECK(target.hits == 1);
}

}  // namespace
}  // namespace lava_mcp::gateway
