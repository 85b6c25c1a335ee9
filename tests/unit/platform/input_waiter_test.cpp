#include "platform/input_waiter.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

namespace lava_mcp::platform {
namespace {

using namespace std::chrono_literals;
using Wake = InputWaiter::Wake;

struct Pipe {
  Pipe() { REQUIRE(::pipe(fds) == 0); }
  ~Pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  void put(const char* bytes) { REQUIRE(::write(fds[1], bytes, 1) == 1); }
  int fds[2];
};

Wake wait_for(InputWaiter& waiter, std::optional<std::chrono::milliseconds> timeout) {
  const auto wake = waiter.wait(timeout);
  REQUIRE(wake.has_value());
  return *wake;
}

TEST_CASE("input waiter: a pipe is shared, a regular file and /dev/null are not") {
  Pipe pipe;
  CHECK(InputWaiter(pipe.fds[0]).shared());
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  CHECK_FALSE(InputWaiter(::fileno(file)).shared());
  std::fclose(file);
  const int null = ::open("/dev/null", O_RDONLY);
  CHECK_FALSE(InputWaiter(null).shared());
  ::close(null);
}

TEST_CASE("input waiter: nothing arrives, the wait times out") {
  Pipe pipe;
  InputWaiter waiter(pipe.fds[0]);
  CHECK(wait_for(waiter, 20ms) == Wake::kTimeout);
}

TEST_CASE("input waiter: one arrival wakes exactly one of several waiters") {
  Pipe pipe;
  InputWaiter waiter(pipe.fds[0]);
  std::vector<std::future<Wake>> waits;
  for (int i = 0; i < 3; ++i) {
    waits.push_back(std::async(std::launch::async, [&] { return wait_for(waiter, 500ms); }));
  }
  pipe.put("x");  // never read: the input stays readable, yet only its owner hears of it
  int inputs = 0;
  for (auto& wait : waits) {
    inputs += wait.get() == Wake::kInput ? 1 : 0;
  }
  CHECK(inputs == 1);
}

TEST_CASE("input waiter: after rearm() the input still readable wakes the next waiter") {
  Pipe pipe;
  InputWaiter waiter(pipe.fds[0]);
  pipe.put("x");
  CHECK(wait_for(waiter, 1000ms) == Wake::kInput);
  auto next = std::async(std::launch::async, [&] { return wait_for(waiter, std::nullopt); });
  CHECK(next.wait_for(50ms) == std::future_status::timeout);  // the input is still owned
  REQUIRE(waiter.rearm().has_value());
  CHECK(next.get() == Wake::kInput);
}

TEST_CASE("input waiter: end() wakes every waiter, also while the input is owned") {
  Pipe pipe;
  InputWaiter waiter(pipe.fds[0]);
  pipe.put("x");
  CHECK(wait_for(waiter, 1000ms) == Wake::kInput);  // owned from now on, never re-armed
  std::vector<std::future<Wake>> waits;
  for (int i = 0; i < 3; ++i) {
    waits.push_back(std::async(std::launch::async, [&] { return wait_for(waiter, std::nullopt); }));
  }
  std::this_thread::sleep_for(20ms);
  waiter.end();
  for (auto& wait : waits) {
    CHECK(wait.get() == Wake::kEnd);
  }
  CHECK(wait_for(waiter, std::nullopt) == Wake::kEnd);  // and every later wait
}

TEST_CASE("input waiter: end of input (the writer closed) wakes a waiter as input") {
  Pipe pipe;
  InputWaiter waiter(pipe.fds[0]);
  ::close(pipe.fds[1]);
  pipe.fds[1] = ::open("/dev/null", O_WRONLY);  // keeps the destructor's close harmless
  CHECK(wait_for(waiter, 1000ms) == Wake::kInput);
}

TEST_CASE("input waiter: a regular file is input at once, until the end") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  InputWaiter waiter(::fileno(file));
  CHECK(wait_for(waiter, std::nullopt) == Wake::kInput);
  CHECK(waiter.rearm().has_value());
  waiter.end();
  CHECK(wait_for(waiter, std::nullopt) == Wake::kEnd);
  std::fclose(file);
}

}  // namespace
}  // namespace lava_mcp::platform
