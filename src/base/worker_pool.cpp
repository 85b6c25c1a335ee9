#include "base/worker_pool.h"

#include <algorithm>

#include "base/idle_memory.h"

namespace lava_mcp {

WorkerPool::~WorkerPool() {
  release_queue();
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return idle(); });
  stopping_ = true;
  wake_.notify_all();
  idle_.wait(lock, [this] { return threads_ == 0; });  // workers use *this until then
  lock.unlock();
  workers_.join_all();  // and then end
}

void WorkerPool::start_worker() {
  workers_.start([this] { work(); });
  ++threads_;
}

void WorkerPool::submit(std::function<void()> task) {
  bool parked_worker_takes_it = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
    parked_worker_takes_it = queue_.size() <= parked_;
    if (!parked_worker_takes_it && threads_ < max_workers_) {
      start_worker();
    }
  }
  if (parked_worker_takes_it) {
    // After unlocking: a worker woken under the lock would block on it again at once.
    wake_.notify_one();
  }
}

void WorkerPool::run_here_or_submit(std::function<void()> task,
                                    const std::function<bool()>& free_caller) {
  bool here = false;
  {
    std::lock_guard lock(mutex_);
    here = queue_.empty() && slot_free();
    if (here) {
      ++running_here_;  // the slot is ours before the caller lets go of its duties
    }
  }
  if (here && free_caller()) {
    task();
    task = nullptr;  // as in work(): nothing of the task outlives the slot
    release_slot_here();
    return;
  }
  if (here) {
    release_slot_here();
  }
  submit(std::move(task));
}

void WorkerPool::release_slot_here() {
  std::lock_guard lock(mutex_);
  --running_here_;
  if (can_take()) {  // a task queued while the slot was taken
    if (parked_ > 0) {
      wake_.notify_one();
    } else if (threads_ < max_workers_) {
      start_worker();
    }
  }
  if (idle()) {
    idle_.notify_all();
  }
}

void WorkerPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!can_take()) {
      ++parked_;
      const bool woken = park(lock);
      --parked_;
      if (!woken || !can_take()) {  // lingered long enough, or the pool is going away
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
    if (idle()) {
      idle_.notify_all();
    }
  }
}

bool WorkerPool::park(std::unique_lock<std::mutex>& lock) {
  const auto woken = [this] { return can_take() || stopping_; };
  const auto first = std::min(linger_, kIdleAfter);
  if (wake_.wait_for(lock, first, woken)) {
    return true;
  }
  if (first == linger_) {
    return false;
  }
  lock.unlock();
  release_idle_memory();
  lock.lock();
  return wake_.wait_for(lock, linger_ - first, woken);
}

void WorkerPool::hold_queue() {
  std::lock_guard lock(mutex_);
  held_ = true;
}

void WorkerPool::release_queue() {
  std::lock_guard lock(mutex_);
  if (!held_) {
    return;
  }
  held_ = false;
  const std::size_t free_slots = max_workers_ - std::min(max_workers_, busy_ + running_here_);
  const std::size_t startable = std::min(queue_.size(), free_slots);
  for (std::size_t waiting = parked_; waiting < startable && threads_ < max_workers_; ++waiting) {
    start_worker();
  }
  if (startable > 0 && parked_ > 0) {
    wake_.notify_all();
  }
}

bool WorkerPool::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return idle(); });
}

}  // namespace lava_mcp
