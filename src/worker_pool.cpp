#include "worker_pool.h"

#include <thread>

namespace lava_mcp {

WorkerPool::~WorkerPool() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return running_ == 0 && queue_.empty(); });
}

void WorkerPool::submit(std::function<void()> task) {
  std::lock_guard lock(mutex_);
  if (running_ >= max_workers_) {
    queue_.push_back(std::move(task));
    return;
  }
  ++running_;
  // Detached: a worker ends itself when the queue is empty, and the destructor waits for that.
  std::thread([this, first = std::move(task)]() mutable { work(std::move(first)); }).detach();
}

void WorkerPool::work(std::function<void()> task) {
  for (;;) {
    task();
    task = nullptr;  // release captured state before the pool can be destroyed
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      --running_;
      idle_.notify_all();
      return;
    }
    task = std::move(queue_.front());
    queue_.pop_front();
  }
}

bool WorkerPool::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return running_ == 0 && queue_.empty(); });
}

}  // namespace lava_mcp
