#include "worker_pool.h"

#include <thread>

namespace lava_mcp {

WorkerPool::~WorkerPool() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return busy_ == 0 && queue_.empty(); });
  stopping_ = true;
  wake_.notify_all();
  idle_.wait(lock, [this] { return threads_ == 0; });  // detached workers use *this until then
}

void WorkerPool::submit(std::function<void()> task) {
  bool parked_worker_takes_it = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
    parked_worker_takes_it = queue_.size() <= parked_;
    if (!parked_worker_takes_it && threads_ < max_workers_) {
      ++threads_;
      std::thread([this] { work(); }).detach();
    }
  }
  if (parked_worker_takes_it) {
    // After unlocking: a worker woken under the lock would block on it again at once.
    wake_.notify_one();
  }
}

void WorkerPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (queue_.empty()) {
      ++parked_;
      const bool woken =
          wake_.wait_for(lock, linger_, [this] { return !queue_.empty() || stopping_; });
      --parked_;
      if (!woken || queue_.empty()) {  // lingered long enough, or the pool is going away
        --threads_;
        idle_.notify_all();
        return;
      }
    }
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    task();
    task = nullptr;  // release captured state before the pool can be destroyed
    lock.lock();
    --busy_;
    if (busy_ == 0 && queue_.empty()) {
      idle_.notify_all();
    }
  }
}

bool WorkerPool::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return busy_ == 0 && queue_.empty(); });
}

}  // namespace lava_mcp
