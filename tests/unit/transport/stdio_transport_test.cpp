#include "transport/stdio_transport.h"

#include <fcntl.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <thread>
#include <vector>

namespace lava_mcp::transport {
namespace {

struct Recorder final : MessageHandler {
  void on_request(const Json& id, std::string_view method, Json) override {
    events.push_back("request " + id.dump() + " " + std::string(method));
  }
  void on_notification(std::string_view method, Json) override {
    events.push_back("notification " + std::string(method));
  }
  void on_response(const Json& id, Expected<Json> outcome) override {
    events.push_back("response " + id.dump() + (outcome ? " ok" : " error"));
  }
  std::vector<std::string> events;
};

struct Pipes {
  Pipes() {
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
  }
  ~Pipes() {
    for (int fd : {in[0], in[1], out[0], out[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }
  void write_in(const std::string& bytes) { REQUIRE(::write(in[1], bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size())); }
  void close_in() { ::close(in[1]); in[1] = -1; }
  std::string read_out() {
    ::close(out[1]);
    out[1] = -1;
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    return text;
  }
  int in[2];
  int out[2];
};

TEST_CASE("stdio transport: dispatches each kind and answers bad lines itself") {
  Pipes pipes;
  StdioTransport transport(pipes.in[0], pipes.out[1], 64);
  Recorder recorder;
  pipes.write_in("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"
                 "{\"jsonrpc\":\"2.0\",\"method\":\"note\"}\r\n"
                 "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"result\":{}}\n"
                 "garbage\n" + std::string(100, 'x') + "\n"
                 "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"last\"}");
  pipes.close_in();
  REQUIRE(transport.serve(recorder).has_value());
  CHECK(recorder.events == std::vector<std::string>{"request 1 ping", "notification note",
                                                    "response \"s\" ok", "request 2 last"});
  const std::string out = pipes.read_out();
  CHECK(out == "{\"error\":{\"code\":-32700,\"message\":\"Parse error: not valid JSON\"},\"id\":null,\"jsonrpc\":\"2.0\"}\n"
               "{\"error\":{\"code\":-32600,\"message\":\"Invalid Request: message exceeds the 64 byte line limit\"},\"id\":null,\"jsonrpc\":\"2.0\"}\n");
}

TEST_CASE("stdio transport: stop() makes serve return while input stays open") {
  Pipes pipes;
  StdioTransport transport(pipes.in[0], pipes.out[1]);
  Recorder recorder;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    transport.stop();
  });
  CHECK(transport.serve(recorder).has_value());
  stopper.join();
}

TEST_CASE("stdio transport: concurrent senders never interleave lines") {
  Pipes pipes;
  StdioTransport transport(pipes.in[0], pipes.out[1]);
  std::thread reader_result;
  std::string out;
  std::thread reader([&] {
    char buf[65536];
    ssize_t n;
    while ((n = ::read(pipes.out[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  });
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        transport.send_notification("n", {{"t", t}, {"pad", std::string(1000, 'p')}});
      }
    });
  }
  for (auto& s : senders) s.join();
  ::close(pipes.out[1]);
  pipes.out[1] = -1;
  reader.join();
  std::size_t lines = 0;
  std::size_t start = 0;
  for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    CHECK(Json::parse(out.substr(start, nl - start), nullptr, false).is_object());
    ++lines;
  }
  CHECK(lines == 800);
}

}  // namespace
}  // namespace lava_mcp::transport
