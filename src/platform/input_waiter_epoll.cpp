#include <poll.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "platform/input_waiter.h"
#include "platform/input_waiter_common.h"
#include "platform/pipe.h"

namespace lava_mcp::platform {
namespace {

constexpr std::uint64_t kInputReady = 1;
constexpr std::uint64_t kEndReading = 2;

// The input for the waiting threads: one of them per arrival, until re-armed.
epoll_event one_shot_input() {
  epoll_event input{};
  input.events = EPOLLIN | EPOLLONESHOT;
  input.data.u64 = kInputReady;
  return input;
}

}  // namespace

struct InputWaiter::State {
  int input = -1;
  int end_pipe[2] = {-1, -1};  // readable once reading must end
  int epoll = -1;              // -1: not shared
};

InputWaiter::InputWaiter(int input_fd) : state_(std::make_unique<State>()) {
  state_->input = input_fd;
  if (!open_pipe(state_->end_pipe, {.nonblocking = true})) {
    state_->end_pipe[0] = state_->end_pipe[1] = -1;
    return;
  }
  state_->epoll = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event end{};
  end.events = EPOLLIN;  // level-triggered: every waiting thread sees it, one after another
  end.data.u64 = kEndReading;
  epoll_event input = one_shot_input();
  if (state_->epoll >= 0 &&
      (::epoll_ctl(state_->epoll, EPOLL_CTL_ADD, state_->end_pipe[0], &end) != 0 ||
       ::epoll_ctl(state_->epoll, EPOLL_CTL_ADD, input_fd, &input) != 0)) {
    ::close(state_->epoll);  // EPERM for a regular file or /dev/null: always readable anyway
    state_->epoll = -1;
  }
}

InputWaiter::~InputWaiter() {
  for (int fd : {state_->end_pipe[0], state_->end_pipe[1], state_->epoll}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

bool InputWaiter::shared() const { return state_->epoll >= 0; }

Expected<InputWaiter::Wake> InputWaiter::wait(std::optional<std::chrono::milliseconds> timeout) {
  if (!shared()) {
    return wait_alone(state_->input, state_->end_pipe[0], timeout);
  }
  epoll_event events[2];
  for (;;) {
    const int n = ::epoll_wait(state_->epoll, events, 2, poll_timeout_ms(timeout));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return io_failure("epoll_wait");
    }
    bool input = false;
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == kEndReading) {
        return Wake::kEnd;
      }
      input = true;
    }
    return input ? Wake::kInput : Wake::kTimeout;
  }
}

Expected<void> InputWaiter::rearm() {
  if (!shared()) {
    return {};
  }
  epoll_event input = one_shot_input();
  if (::epoll_ctl(state_->epoll, EPOLL_CTL_MOD, state_->input, &input) != 0) {
    return io_failure("epoll_ctl");
  }
  return {};
}

void InputWaiter::end() { signal_end(state_->end_pipe[1]); }

}  // namespace lava_mcp::platform
