#include "base/worker_pool.h"

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/idle_memory_probe.h"

namespace lava_mcp {
namespace {

using namespace std::chrono_literals;

// How many tasks the current thread has run: 1 on a fresh thread, more on a reused one.
int tasks_on_this_thread() {
  thread_local int count = 0;
  return ++count;
}

TEST_CASE("worker pool: calls one after another reuse the parked worker") {
  WorkerPool pool(4);
  std::atomic<int> seen{0};
  for (int i = 0; i < 3; ++i) {
    pool.submit([&seen] { seen = tasks_on_this_thread(); });
    REQUIRE(pool.wait_idle(5s));
  }
  CHECK(seen == 3);
}

TEST_CASE("worker pool: a worker idle for longer than the linger time ends") {
  WorkerPool pool(4, 1ms);
  std::atomic<int> seen{0};
  pool.submit([&seen] { seen = tasks_on_this_thread(); });
  REQUIRE(pool.wait_idle(5s));
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  do {  // the lone worker may still be parked; once it has ended, the next task gets a new one
    std::this_thread::sleep_for(10ms);
    pool.submit([&seen] { seen = tasks_on_this_thread(); });
    REQUIRE(pool.wait_idle(5s));
  } while (seen != 1 && std::chrono::steady_clock::now() < deadline);
  CHECK(seen == 1);
}

TEST_CASE("worker pool: a parked worker gives its free memory back, then takes the next task") {
  testing::IdleMemoryProbe probe;
  WorkerPool pool(4);
  std::mutex mutex;
  std::vector<std::thread::id> threads;
  const auto task = [&] {
    std::lock_guard lock(mutex);
    threads.push_back(std::this_thread::get_id());
  };
  pool.submit(task);
  REQUIRE(pool.wait_idle(5s));
  std::unique_lock lock(mutex);
  const std::thread::id worker = threads.at(0);
  lock.unlock();
  CHECK(probe.wait_for_release_on(worker, 5s));
  pool.submit(task);  // still parked for the rest of the linger time: the same thread runs it
  REQUIRE(pool.wait_idle(5s));
  lock.lock();
  CHECK(threads == std::vector<std::thread::id>{worker, worker});
}

TEST_CASE("worker pool: at most max_workers tasks run at once, the rest in order") {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  std::vector<int> order;
  std::mutex order_mutex;
  {
    WorkerPool pool(2);
    for (int i = 0; i < 8; ++i) {
      pool.submit([&, i] {
        const int now = ++running;
        for (int seen = peak; now > seen && !peak.compare_exchange_weak(seen, now);) {
        }
        {
          std::lock_guard lock(order_mutex);
          order.push_back(i);
        }
        std::this_thread::sleep_for(2ms);
        --running;
      });
    }
  }  // the destructor waits for all eight
  CHECK(peak <= 2);
  REQUIRE(order.size() == 8);
  for (std::size_t i = 2; i < order.size(); ++i) {
    CHECK(order[i] > order[i - 2]);  // queued tasks start in submission order
  }
}

TEST_CASE("worker pool: the destructor waits for queued work, not for the linger time") {
  std::atomic<int> done{0};
  const auto start = std::chrono::steady_clock::now();
  {
    WorkerPool pool(1, 60s);
    for (int i = 0; i < 5; ++i) {
      pool.submit([&done] {
        std::this_thread::sleep_for(1ms);
        ++done;
      });
    }
  }
  CHECK(done == 5);
  CHECK(std::chrono::steady_clock::now() - start < 30s);
}

// A thread-local whose destructor, run in the thread's teardown after the pool stopped
// counting the thread, takes a while: as OpenSSL's per-thread state does at thread exit.
struct SlowTeardown {
  std::atomic<int>* torn_down = nullptr;
  ~SlowTeardown() {
    if (torn_down != nullptr) {
      std::this_thread::sleep_for(50ms);
      ++*torn_down;
    }
  }
};

void touch_slow_teardown(std::atomic<int>& torn_down) {
  thread_local SlowTeardown teardown;
  teardown.torn_down = &torn_down;
}

TEST_CASE("worker pool: the destructor returns after every worker's teardown, not before") {
  std::atomic<int> torn_down{0};
  {
    WorkerPool pool(3, 1ms);  // the workers also end on their own while the pool lives
    for (int i = 0; i < 6; ++i) {
      pool.submit([&torn_down] { touch_slow_teardown(torn_down); });
    }
    REQUIRE(pool.wait_idle(5s));
    std::this_thread::sleep_for(20ms);
    pool.submit([&torn_down] { touch_slow_teardown(torn_down); });
  }
  const int threads = torn_down.load();
  CHECK(threads >= 2);  // at least the first workers and the one started after they ended
  std::this_thread::sleep_for(200ms);
  CHECK(torn_down == threads);  // nothing was still tearing down when the destructor returned
}

TEST_CASE("worker pool: run_here_or_submit runs on the caller's thread once the caller is free") {
  WorkerPool pool(2);
  std::thread::id ran_on;
  int freed = 0;
  pool.run_here_or_submit([&] { ran_on = std::this_thread::get_id(); },
                          [&] { return ++freed > 0; });
  CHECK(freed == 1);
  CHECK(ran_on == std::this_thread::get_id());
  CHECK(pool.wait_idle(5s));
}

TEST_CASE(
    "worker pool: run_here_or_submit hands the task to a worker when the caller cannot let go") {
  WorkerPool pool(2);
  std::atomic<std::thread::id> ran_on{};
  pool.run_here_or_submit([&] { ran_on = std::this_thread::get_id(); }, [] { return false; });
  REQUIRE(pool.wait_idle(5s));
  CHECK(ran_on.load() != std::thread::id());
  CHECK(ran_on.load() != std::this_thread::get_id());
}

TEST_CASE(
    "worker pool: a task run here takes a slot, and queued work waits for it, then runs in order") {
  WorkerPool pool(1);
  std::mutex mutex;
  std::vector<std::string> order;
  const auto note = [&](std::string what) {
    std::lock_guard lock(mutex);
    order.push_back(std::move(what));
  };
  bool asked = false;
  pool.run_here_or_submit(
      [&] {
        // The only slot is this task's: these two queue, and must not start before it ends.
        pool.submit([&] { note("queued 1"); });
        pool.run_here_or_submit([&] { note("queued 2"); }, [&] { return asked = true; });
        std::this_thread::sleep_for(20ms);
        note("here");
      },
      [] { return true; });
  CHECK_FALSE(asked);  // no slot free: the caller is not asked to let go
  REQUIRE(pool.wait_idle(5s));
  CHECK(order == std::vector<std::string>{"here", "queued 1", "queued 2"});
}

TEST_CASE("worker pool: a held queue starts nothing until released, a freed slot included") {
  WorkerPool pool(1);
  std::atomic<bool> first_started{false};
  std::atomic<bool> first_done{false};
  std::atomic<bool> second_started{false};
  pool.submit([&] {
    first_started = true;
    std::this_thread::sleep_for(20ms);
    first_done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!first_started && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  pool.hold_queue();  // as the reading side does while it dispatches what it read
  pool.submit([&] { second_started = true; });
  while (!first_done && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  REQUIRE(first_done);
  CHECK_FALSE(pool.wait_idle(100ms));  // the slot is free, but the queue is held
  CHECK_FALSE(second_started);
  pool.release_queue();
  REQUIRE(pool.wait_idle(5s));
  CHECK(second_started);
}

TEST_CASE("worker pool: releasing a held queue starts as many queued tasks as there are slots") {
  WorkerPool pool(4);
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  pool.hold_queue();
  for (int i = 0; i < 8; ++i) {
    pool.submit([&] {
      const int now = ++running;
      for (int seen = peak; now > seen && !peak.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(30ms);
      --running;
    });
  }
  CHECK(peak == 0);
  pool.release_queue();
  REQUIRE(pool.wait_idle(5s));
  CHECK(peak > 1);  // released together, not one after another
  CHECK(peak <= 4);
}

}  // namespace
}  // namespace lava_mcp
