// Runs tool calls off the reader thread: up to `max_workers` at once, the rest queued in order.
// Workers stay parked for a while after their last task, so a steady stream of calls reuses
// threads (no clone/exit per call, warm malloc caches) instead of starting one per call.
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
  explicit WorkerPool(std::size_t max_workers,
                      std::chrono::milliseconds linger = std::chrono::seconds(30))
      : max_workers_(max_workers), linger_(linger) {}
  ~WorkerPool();  // waits for every task; call wait_idle first to bound the wait
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Thread-safe. Tasks must not throw.
  void submit(std::function<void()> task);

  // True when no task is queued or running before `timeout` passes.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  void work();

  const std::size_t max_workers_;
  const std::chrono::milliseconds linger_;
  std::mutex mutex_;
  std::condition_variable idle_;  // busy_ == 0 && queue_ empty, or a worker exited
  std::condition_variable wake_;  // a task was queued, or stopping_
  std::deque<std::function<void()>> queue_;
  std::size_t threads_ = 0;  // alive (busy or parked)
  std::size_t parked_ = 0;   // waiting for a task
  std::size_t busy_ = 0;     // running a task
  bool stopping_ = false;
};

}  // namespace lava_mcp
