#include <windows.h>

#include <atomic>

#include "platform/input_waiter.h"

namespace lava_mcp::platform {

// Windows pipes have no poll(2): the input is never shared, and the one reading thread
// blocks in ReadFile itself (platform/stdio.h, read_input). wait() only reports the end;
// end() wakes a thread blocked in that read by cancelling it (CancelSynchronousIo), which
// read_input reports as the end of the input.
struct InputWaiter::State {
  std::atomic<bool> ended{false};
  std::atomic<DWORD> reader{0};  // the thread that last waited: the one that reads next
};

InputWaiter::InputWaiter(int) : state_(std::make_unique<State>()) {}

InputWaiter::~InputWaiter() = default;

bool InputWaiter::shared() const { return false; }

Expected<InputWaiter::Wake> InputWaiter::wait(std::optional<std::chrono::milliseconds>) {
  state_->reader = ::GetCurrentThreadId();
  return state_->ended ? Wake::kEnd : Wake::kInput;
}

Expected<void> InputWaiter::rearm() { return {}; }

// Called from the console control handler's thread, never from a signal handler. A read that
// has not begun yet when this runs still blocks until input or its end: the next Ctrl-C (which
// exits at once, platform/stop_requests.h) or the host closing stdin ends it.
void InputWaiter::end() {
  state_->ended = true;
  const DWORD reader = state_->reader;
  if (reader == 0) {
    return;
  }
  if (HANDLE thread = ::OpenThread(THREAD_TERMINATE, FALSE, reader); thread != nullptr) {
    ::CancelSynchronousIo(thread);
    ::CloseHandle(thread);
  }
}

}  // namespace lava_mcp::platform
