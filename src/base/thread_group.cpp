#include "base/thread_group.h"

namespace lava_mcp {

void ThreadGroup::start(std::function<void()> body) {
  join_ended();
  std::lock_guard lock(mutex_);
  const auto self = running_.emplace(running_.end());
  try {
    // The thread moves its own handle under mutex_, which this assignment holds until done.
    *self = std::thread([this, self, body = std::move(body)] {
      body();
      std::lock_guard ending(mutex_);
      ended_.push_back(std::move(*self));
      running_.erase(self);
      ended_changed_.notify_all();
    });
  } catch (...) {
    running_.erase(self);
    throw;
  }
}

void ThreadGroup::join_all() {
  {
    std::unique_lock lock(mutex_);
    ended_changed_.wait(lock, [this] { return running_.empty(); });
  }
  join_ended();
}

void ThreadGroup::join_ended() {
  std::vector<std::thread> ended;
  {
    std::lock_guard lock(mutex_);
    ended.swap(ended_);
  }
  for (std::thread& thread : ended) {
    thread.join();  // its body has returned: only its teardown is left
  }
}

}  // namespace lava_mcp
