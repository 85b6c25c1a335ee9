// Threads that end on their own and are all joined when the group goes. The pools that start
// them (WorkerPool, StdioTransport's readers) count their threads themselves and wait for that
// count to reach zero; the count falls before a thread has ended, though: thread-local state
// (OpenSSL's per-thread error queue, the allocator's thread heap) is torn down after. Joining
// them as well means that no thread is still in its teardown when its owner, or the process,
// goes away (LeakSanitizer reported the error queue of a worker still tearing down at exit).
#pragma once

#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace lava_mcp {

class ThreadGroup {
 public:
  ThreadGroup() = default;
  ~ThreadGroup() { join_all(); }
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;

  // Starts `body` on a thread of the group; joins the threads that have ended since the last
  // start (at most a few handles are kept however long the group lives). Thread-safe.
  void start(std::function<void()> body);
  // Waits for every body to return and joins every thread. Not from a thread of the group.
  void join_all();

 private:
  void join_ended();

  std::mutex mutex_;
  std::condition_variable ended_changed_;
  std::list<std::thread> running_;  // a thread moves itself to ended_ when its body returns
  std::vector<std::thread> ended_;
};

}  // namespace lava_mcp
