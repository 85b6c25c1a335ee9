#include "transport/stdio_transport.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "support/idle_memory_probe.h"
#include "support/stdio_pipes.h"

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

// Requests named "slow" hand reading off and then wait until the test lets them go; every
// request is recorded with the thread it ran on. Declared before the transport, so that the
// transport's destructor has waited for every reading thread before this goes away.
struct HandingOff final : MessageHandler {
  void on_request(const Json& id, std::string_view method, Json) override {
    std::unique_lock lock(mutex);
    events.push_back("request " + id.dump() + " " + std::string(method));
    threads.push_back(std::this_thread::get_id());
    changed.notify_all();
    if (method != "slow") {
      return;
    }
    lock.unlock();
    const bool handed_off = transport->hand_off_reading();
    lock.lock();
    hand_offs.push_back(handed_off);
    changed.notify_all();
    if (handed_off) {
      changed.wait_for(lock, std::chrono::seconds(10), [this] { return released; });
    }
  }
  void on_notification(std::string_view, Json) override {}
  void on_response(const Json&, Expected<Json>) override {}
  bool wait_for_events(std::size_t count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), [&] { return events.size() >= count; });
  }
  bool wait_for_hand_offs(std::size_t count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10),
                            [&] { return hand_offs.size() >= count; });
  }
  void release() {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  }
  Transport* transport = nullptr;  // set before serving
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> events;
  std::vector<std::thread::id> threads;
  std::vector<bool> hand_offs;
  bool released = false;
};

std::string request_line(int id, const std::string& method) {
  return "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(id) + ",\"method\":\"" + method + "\"}\n";
}

using Pipes = testing::StdioPipes;

TEST_CASE("stdio transport: dispatches each kind and answers bad lines itself") {
  Pipes pipes;
  StdioTransport transport(pipes.in[0], pipes.out[1], 64);
  Recorder recorder;
  pipes.write_in(
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"
      "{\"jsonrpc\":\"2.0\",\"method\":\"note\"}\r\n"
      "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"result\":{}}\n"
      "garbage\n" +
      std::string(100, 'x') +
      "\n"
      "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"last\"}");
  pipes.close_in();
  REQUIRE(transport.serve(recorder).has_value());
  CHECK(recorder.events == std::vector<std::string>{"request 1 ping", "notification note",
                                                    "response \"s\" ok", "request 2 last"});
  const std::string out = pipes.read_out();
  CHECK(out ==
        "{\"error\":{\"code\":-32700,\"message\":\"Parse error: not valid "
        "JSON\"},\"id\":null,\"jsonrpc\":\"2.0\"}\n"
        "{\"error\":{\"code\":-32600,\"message\":\"Invalid Request: message exceeds the 64 byte "
        "line limit\"},\"id\":null,\"jsonrpc\":\"2.0\"}\n");
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
    while ((n = ::read(pipes.out[0], buf, sizeof buf)) > 0)
      out.append(buf, static_cast<std::size_t>(n));
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

TEST_CASE(
    "stdio transport: a handler that hands reading off keeps its thread while the next messages "
    "are read") {
  Pipes pipes;
  HandingOff handler;
  StdioTransport transport(pipes.in[0], pipes.out[1]);
  handler.transport = &transport;
  Expected<void> served;
  std::thread serving([&] { served = transport.serve(handler); });
  pipes.write_in(request_line(1, "slow"));
  REQUIRE(handler.wait_for_hand_offs(1));
  pipes.write_in(request_line(2, "ping"));
  // Without the hand-off, request 2 would wait behind request 1, which waits for the release.
  REQUIRE(handler.wait_for_events(2));
  handler.release();
  pipes.close_in();
  serving.join();
  CHECK(served.has_value());
  CHECK(handler.events == std::vector<std::string>{"request 1 slow", "request 2 ping"});
  CHECK(handler.hand_offs == std::vector<bool>{true});
  CHECK(handler.threads[0] != handler.threads[1]);
}

TEST_CASE("stdio transport: no hand-off while lines already read wait to be dispatched") {
  Pipes pipes;
  HandingOff handler;
  StdioTransport transport(pipes.in[0], pipes.out[1]);
  handler.transport = &transport;
  // One write: both lines arrive in one read, so the second waits for the first to return.
  pipes.write_in(request_line(1, "slow") + request_line(2, "after"));
  pipes.close_in();
  CHECK(transport.serve(handler).has_value());
  CHECK(handler.events == std::vector<std::string>{"request 1 slow", "request 2 after"});
  CHECK(handler.hand_offs == std::vector<bool>{false});
}

TEST_CASE("stdio transport: hand_off_reading is refused off the reading thread") {
  Pipes pipes;
  StdioTransport transport(pipes.in[0], pipes.out[1]);
  CHECK_FALSE(transport.hand_off_reading());
}

TEST_CASE("stdio transport: serve returns at end of input while handed-off work still runs") {
  Pipes pipes;
  HandingOff handler;
  auto transport = std::make_unique<StdioTransport>(pipes.in[0], pipes.out[1]);
  handler.transport = transport.get();
  pipes.write_in(request_line(1, "slow"));
  std::thread closer([&] {
    handler.wait_for_hand_offs(1);
    pipes.close_in();
  });
  CHECK(transport->serve(handler).has_value());
  closer.join();
  CHECK(handler.hand_offs == std::vector<bool>{true});
  CHECK(transport->reading_threads() >= 1);  // the handed-off handler is still waiting
  handler.release();
  transport.reset();  // waits for that thread to come back and end
  CHECK(handler.events == std::vector<std::string>{"request 1 slow"});
}

TEST_CASE("stdio transport: stop() ends serving while a handler holds a handed-off thread") {
  Pipes pipes;
  HandingOff handler;
  StdioTransport transport(pipes.in[0], pipes.out[1]);
  handler.transport = &transport;
  std::thread stopper([&] {
    handler.wait_for_hand_offs(1);
    transport.stop();
  });
  pipes.write_in(request_line(1, "slow"));
  CHECK(transport.serve(handler).has_value());
  stopper.join();
  handler.release();
}

TEST_CASE("stdio transport: a parked reading thread gives its free memory back and reads on") {
  testing::IdleMemoryProbe probe;
  Pipes pipes;
  HandingOff handler;
  StdioTransport transport(pipes.in[0], pipes.out[1]);
  handler.transport = &transport;
  std::thread serving([&] { (void)transport.serve(handler); });
  pipes.write_in(request_line(1, "ping"));
  REQUIRE(handler.wait_for_events(1));
  std::unique_lock lock(handler.mutex);
  const std::thread::id reader = handler.threads.at(0);
  lock.unlock();
  CHECK(probe.wait_for_release_on(reader, std::chrono::seconds(5)));
  pipes.write_in(request_line(2, "ping"));
  REQUIRE(handler.wait_for_events(2));
  lock.lock();
  CHECK(handler.threads.at(1) == reader);  // the only reading thread, still parked after it
  lock.unlock();
  pipes.close_in();
  serving.join();
}

TEST_CASE("stdio transport: idle reading threads end after the linger time, all but one") {
  Pipes pipes;
  HandingOff handler;
  StdioTransport transport(pipes.in[0], pipes.out[1], kMaxLineBytes, std::chrono::milliseconds(20));
  handler.transport = &transport;
  std::thread serving([&] { (void)transport.serve(handler); });
  // Three slow requests in flight at once take three threads, and one more reads.
  for (int id = 1; id <= 3; ++id) {
    pipes.write_in(request_line(id, "slow"));
    REQUIRE(handler.wait_for_hand_offs(static_cast<std::size_t>(id)));
  }
  CHECK(transport.reading_threads() == 4);
  handler.release();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (transport.reading_threads() > 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(transport.reading_threads() == 1);
  pipes.write_in(request_line(4, "ping"));  // the one left still reads
  CHECK(handler.wait_for_events(4));
  pipes.close_in();
  serving.join();
}

TEST_CASE(
    "stdio transport: an input the waiter cannot share (a regular file) is read without "
    "hand-offs") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  const std::string lines = request_line(1, "slow") + request_line(2, "ping");
  REQUIRE(std::fwrite(lines.data(), 1, lines.size(), file) == lines.size());
  std::fflush(file);
  std::rewind(file);
  Pipes pipes;
  HandingOff handler;
  StdioTransport transport(::fileno(file), pipes.out[1]);
  handler.transport = &transport;
  CHECK(transport.serve(handler).has_value());
  CHECK(handler.events == std::vector<std::string>{"request 1 slow", "request 2 ping"});
  CHECK(handler.hand_offs == std::vector<bool>{false});
  std::fclose(file);
}

}  // namespace
}  // namespace lava_mcp::transport
