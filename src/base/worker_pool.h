// Runs tool calls off the reading thread: up to `max_workers` at once, the rest queued in order.
// Workers stay parked for a while after their last task, so a steady stream of calls reuses
// threads (no clone/exit per call, warm malloc caches) instead of starting one per call.
// A caller that can give its own duties away runs a task itself (run_here_or_submit): no
// worker has to be woken before the task starts. While the queue is held, no task is started
// from it: the reading side holds it while it still has messages to dispatch.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "base/thread_group.h"

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

  // Runs `task` on the calling thread when it may start at once (nothing queued, fewer than
  // max_workers running) and `free_caller()` returns true (the caller's duties have moved to
  // another thread); otherwise the same as submit(). Counts toward max_workers while it runs.
  void run_here_or_submit(std::function<void()> task, const std::function<bool()>& free_caller);

  // While held, submitted tasks wait in the queue. The reading side holds it from reading input
  // until it has dispatched every message of it, so a notifications/cancelled already read
  // marks its call before a freed slot can start that call.
  void hold_queue();
  void release_queue();

  // True when no task is queued or running before `timeout` passes (the queue must be released).
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  void work();
  // Waits for a task or stopping_ (true) or the linger time (false); gives the thread's free
  // memory back after kIdleAfter of it (base/idle_memory.h). mutex_ held.
  bool park(std::unique_lock<std::mutex>& lock);
  bool slot_free() const { return busy_ + running_here_ < max_workers_; }     // mutex_ held
  bool can_take() const { return !held_ && !queue_.empty() && slot_free(); }  // mutex_ held
  bool idle() const { return busy_ == 0 && running_here_ == 0 && queue_.empty(); }
  void start_worker();  // mutex_ held
  void release_slot_here();

  const std::size_t max_workers_;
  const std::chrono::milliseconds linger_;
  std::mutex mutex_;
  std::condition_variable idle_;  // idle(), or a worker exited
  std::condition_variable wake_;  // a task can be taken, or stopping_
  std::deque<std::function<void()>> queue_;
  std::size_t threads_ = 0;       // alive (busy or parked)
  std::size_t parked_ = 0;        // waiting for a task
  std::size_t busy_ = 0;          // running a task
  std::size_t running_here_ = 0;  // tasks run by run_here_or_submit on their callers' threads
  bool held_ = false;
  bool stopping_ = false;
  ThreadGroup workers_;  // last: joined before the members the workers use go
};

}  // namespace lava_mcp
