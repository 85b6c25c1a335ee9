#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

#include "platform/input_waiter.h"
#include "platform/input_waiter_common.h"
#include "platform/pipe.h"

namespace lava_mcp::platform {
namespace {

using Clock = std::chrono::steady_clock;

// Pipes and sockets: what poll(2) watches on every system. A terminal is read by one thread
// (macOS's poll does not watch devices), as are regular files and /dev/null.
bool pollable(int fd) {
  struct stat info {};
  return ::fstat(fd, &info) == 0 && (S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode));
}

void drain(int fd) {
  char bytes[64];
  while (::read(fd, bytes, sizeof bytes) > 0) {
  }
}

}  // namespace

// One waiter at a time polls (the poller); the others wait on `turn` until it returns. While
// the input is disarmed the poller still polls the end pipe, so end() reaches a waiter at any
// moment, and rearm() wakes it through the rearm pipe to poll the input again.
struct InputWaiter::State {
  int input = -1;
  int end_pipe[2] = {-1, -1};    // readable once reading must end
  int rearm_pipe[2] = {-1, -1};  // a byte: the poller must add the input it left out
  bool is_shared = false;

  std::mutex mutex;
  std::condition_variable turn;  // the poller left, or the input was re-armed
  bool polling = false;
  bool polling_input = false;  // what the poller is polling right now
  bool armed = true;
  bool ended = false;
};

InputWaiter::InputWaiter(int input_fd) : state_(std::make_unique<State>()) {
  state_->input = input_fd;
  if (!open_pipe(state_->end_pipe, {.nonblocking = true})) {
    state_->end_pipe[0] = state_->end_pipe[1] = -1;
    return;
  }
  state_->is_shared = pollable(input_fd) && open_pipe(state_->rearm_pipe, {.nonblocking = true});
}

InputWaiter::~InputWaiter() {
  for (int fd :
       {state_->end_pipe[0], state_->end_pipe[1], state_->rearm_pipe[0], state_->rearm_pipe[1]}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

bool InputWaiter::shared() const { return state_->is_shared; }

Expected<InputWaiter::Wake> InputWaiter::wait(std::optional<std::chrono::milliseconds> timeout) {
  State& s = *state_;
  if (!s.is_shared) {
    return wait_alone(s.input, s.end_pipe[0], timeout);
  }
  const auto deadline = timeout ? Clock::now() + *timeout : Clock::time_point::max();
  std::unique_lock lock(s.mutex);
  for (;;) {
    if (s.ended) {
      return Wake::kEnd;
    }
    if (s.polling) {
      if (!timeout) {
        s.turn.wait(lock);
      } else if (s.turn.wait_until(lock, deadline) == std::cv_status::timeout && s.polling &&
                 !s.ended) {
        return Wake::kTimeout;
      }
      continue;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (timeout && left.count() <= 0) {
      return Wake::kTimeout;
    }
    s.polling = true;
    s.polling_input = s.armed;
    lock.unlock();
    pollfd fds[3] = {
        {s.end_pipe[0], POLLIN, 0}, {s.rearm_pipe[0], POLLIN, 0}, {s.input, POLLIN, 0}};
    const int n = ::poll(fds, s.polling_input ? 3 : 2,
                         poll_timeout_ms(timeout ? std::optional(left) : std::nullopt));
    const int poll_errno = errno;
    if ((fds[1].revents & POLLIN) != 0) {
      drain(s.rearm_pipe[0]);
    }
    lock.lock();
    const bool had_input = s.polling_input;
    s.polling = false;
    s.turn.notify_one();  // another waiter takes over the polling
    if (n < 0 && poll_errno != EINTR) {
      return io_failure("poll", poll_errno);
    }
    if ((fds[0].revents & POLLIN) != 0) {
      s.ended = true;
      s.turn.notify_all();
      return Wake::kEnd;
    }
    if (had_input && fds[2].revents != 0) {
      s.armed = false;
      return Wake::kInput;
    }
    if (n == 0) {
      return Wake::kTimeout;
    }
    // Re-armed, or interrupted: poll again.
  }
}

Expected<void> InputWaiter::rearm() {
  State& s = *state_;
  if (!s.is_shared) {
    return {};
  }
  std::lock_guard lock(s.mutex);
  s.armed = true;
  if (s.polling && !s.polling_input) {
    const char byte = 1;
    if (::write(s.rearm_pipe[1], &byte, 1) < 0 && errno != EAGAIN) {
      return io_failure("write");  // EAGAIN: bytes already wait to be drained
    }
  } else if (!s.polling) {
    s.turn.notify_one();
  }
  return {};
}

void InputWaiter::end() { signal_end(state_->end_pipe[1]); }

}  // namespace lava_mcp::platform
