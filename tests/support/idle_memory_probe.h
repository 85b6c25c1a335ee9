// While alive, records every thread that runs the idle-memory hook (base/idle_memory.h), for
// tests of the threads that park.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "base/idle_memory.h"

namespace lava_mcp::testing {

class IdleMemoryProbe {
 public:
  IdleMemoryProbe() { set_idle_memory_hook(&record); }
  ~IdleMemoryProbe() {
    set_idle_memory_hook(nullptr);
    std::lock_guard lock(state().mutex);
    state().threads.clear();
  }
  IdleMemoryProbe(const IdleMemoryProbe&) = delete;
  IdleMemoryProbe& operator=(const IdleMemoryProbe&) = delete;

  // True once `thread` has run the hook, false when `timeout` passes first.
  bool wait_for_release_on(std::thread::id thread, std::chrono::milliseconds timeout) {
    std::unique_lock lock(state().mutex);
    return state().changed.wait_for(lock, timeout, [&] {
      for (const auto& released : state().threads) {
        if (released == thread) {
          return true;
        }
      }
      return false;
    });
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::thread::id> threads;
  };
  static State& state() {
    static State shared;
    return shared;
  }
  static void record() {
    std::lock_guard lock(state().mutex);
    state().threads.push_back(std::this_thread::get_id());
    state().changed.notify_all();
  }
};

}  // namespace lava_mcp::testing
