#include "transport/stdio_session.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/stdio_pipes.h"

namespace lava_mcp::transport {
namespace {

using namespace std::chrono_literals;

// Records the session's lifecycle; "busy" requests keep the handler from being idle until the
// test says so.
struct Lifecycle final : SessionHandler {
  void on_request(const Json&, std::string_view method, Json) override {
    std::lock_guard lock(mutex);
    events.push_back(std::string(method));
    busy = busy || method == "busy";
  }
  void on_notification(std::string_view, Json) override {}
  void on_response(const Json&, Expected<Json>) override {}
  void input_closed() override { record("input closed"); }
  bool wait_idle(std::chrono::milliseconds timeout) override {
    std::this_thread::sleep_for(timeout);
    std::lock_guard lock(mutex);
    return !busy;
  }
  bool shutdown(std::chrono::milliseconds) override {
    record("shutdown");
    return true;
  }
  void record(std::string event) {
    std::lock_guard lock(mutex);
    events.push_back(std::move(event));
  }
  void finish() {
    std::lock_guard lock(mutex);
    busy = false;
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return events;
  }
  std::mutex mutex;
  std::vector<std::string> events;
  bool busy = false;
};

std::string request_line(const std::string& method) {
  return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"}\n";
}

// A session served on its own thread, with short timings.
struct Session {
  Session() {
    result = std::async(std::launch::async, [this] {
      return serve_session(transport, handler, {.shutdown_grace = 100ms, .signal_check = 5ms});
    });
  }
  testing::StdioPipes pipes;
  Lifecycle handler;
  StdioTransport transport{pipes.in[0], pipes.out[1]};
  std::future<int> result;
};

bool wait_until(const std::function<bool()>& done) {
  for (int i = 0; i < 500 && !done(); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

TEST_CASE("stdio session: at end of input the work in flight runs on, then the session ends") {
  Session session;
  auto& handler = session.handler;
  session.pipes.write_in(request_line("busy"));
  session.pipes.close_in();
  REQUIRE(wait_until([&] { return handler.snapshot().size() == 2; }));
  CHECK(handler.snapshot() == std::vector<std::string>{"busy", "input closed"});
  CHECK(session.result.wait_for(50ms) ==
        std::future_status::timeout);  // still busy: no shutdown yet
  handler.finish();
  CHECK(session.result.get() == 0);
  CHECK(handler.snapshot() == std::vector<std::string>{"busy", "input closed", "shutdown"});
}

TEST_CASE("stdio session: SIGTERM stops reading and shuts down without waiting for idle") {
  Session session;
  auto& handler = session.handler;
  session.pipes.write_in(request_line("busy"));
  REQUIRE(wait_until([&] { return !handler.snapshot().empty(); }));
  ::kill(::getpid(), SIGTERM);  // the input stays open
  CHECK(session.result.get() == 0);
  CHECK(handler.snapshot() == std::vector<std::string>{"busy", "shutdown"});
}

TEST_CASE("stdio session: SIGINT during the wait for work in flight ends that wait") {
  Session session;
  auto& handler = session.handler;
  session.pipes.write_in(request_line("busy"));
  session.pipes.close_in();
  REQUIRE(wait_until([&] { return handler.snapshot().size() == 2; }));
  ::kill(::getpid(), SIGINT);  // the handler stays busy: only the signal ends the session
  CHECK(session.result.get() == 0);
  CHECK(handler.snapshot() == std::vector<std::string>{"busy", "input closed", "shutdown"});
}

}  // namespace
}  // namespace lava_mcp::transport
