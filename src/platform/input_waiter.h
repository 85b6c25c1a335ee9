// Several threads waiting for one input to become readable, or for the end of reading.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "base/expected.h"

namespace lava_mcp::platform {

// Shared (a pipe or a socket, what hosts give): each arrival wakes exactly one waiting thread,
// which then owns the input until it calls rearm(); the others keep waiting. Otherwise (a
// regular file, /dev/null: always readable) one thread reads, and wait() reports input until
// the end. end() wakes every waiter, now and later.
// Two builds of this class exist: epoll with a one-shot registration on Linux (the kernel
// picks the one thread), and poll(2) everywhere else, where one waiter polls and the others
// wait their turn on a condition variable (bench/README.md, "Portable reading").
class InputWaiter {
 public:
  enum class Wake { kInput, kEnd, kTimeout };

  explicit InputWaiter(int input_fd);  // does not take ownership of input_fd
  ~InputWaiter();
  InputWaiter(const InputWaiter&) = delete;
  InputWaiter& operator=(const InputWaiter&) = delete;

  bool shared() const;

  // Blocks until an arrival this thread now owns, the end, or `timeout` (none: no limit).
  Expected<Wake> wait(std::optional<std::chrono::milliseconds> timeout);

  // The owner of an arrival is done with the input: the next arrival wakes a waiter.
  Expected<void> rearm();

  // Async-signal-safe (one write(2) to a pipe).
  void end();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace lava_mcp::platform
