// Runs tool calls off the reader thread: up to `max_workers` at once, the rest queued in order.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace lava_mcp {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t max_workers) : max_workers_(max_workers) {}
  ~WorkerPool();  // waits for every task; call wait_idle first to bound the wait
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Thread-safe. Tasks must not throw.
  void submit(std::function<void()> task);

  // True when no task is queued or running before `timeout` passes.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  void work(std::function<void()> task);

  const std::size_t max_workers_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
};

}  // namespace lava_mcp
