#include <windows.h>

#include <atomic>
#include <cstdlib>

#include "platform/stop_requests.h"

namespace lava_mcp::platform {
namespace {

std::atomic<int> g_signals{0};
std::atomic<StopRequests::OnFirst> g_on_first{nullptr};
std::atomic<void*> g_context{nullptr};

// Windows gives the process this long after a close, logoff or shutdown event before it ends
// it: the handler holds the process open that long for the stop to finish (the main thread's
// exit ends the process, and this thread with it).
constexpr DWORD kCloseGraceMs = 4000;

// After Ctrl-C the stop ends the process well within this (the shutdown's own grace for
// running calls is 1.5 s, transport/stdio_session.h). It bounds a stop whose stdin read could
// not be cancelled: one that had not begun yet when the event came (input_waiter_windows.cpp),
// or any read under Wine 8, whose CancelSynchronousIo finds nothing to cancel in a read of a
// pipe from the Unix side (ERROR_NOT_FOUND; README "Windows"). Then the process ends here, as
// after that grace, with 0.
constexpr DWORD kStopBoundMs = 3000;

DWORD WINAPI end_after_bound(void*) {
  ::Sleep(kStopBoundMs);
  std::_Exit(0);
}

// Runs on a thread Windows starts for each event: Ctrl-C and Ctrl-Break as SIGINT, closing the
// console, logoff and shutdown as SIGTERM.
BOOL WINAPI on_console_event(DWORD event) {
  if (g_signals.fetch_add(1) > 0) {
    std::_Exit(0);
  }
  if (const auto on_first = g_on_first.load(); on_first != nullptr) {
    on_first(g_context.load());
  }
  if (event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT) {
    ::Sleep(kCloseGraceMs);
    return TRUE;
  }
  // The bound on a thread of its own: the handler returns at once, so the next event is
  // handled now even where events are handled one at a time (as under Wine).
  if (HANDLE bound = ::CreateThread(nullptr, 0, end_after_bound, nullptr, 0, nullptr)) {
    ::CloseHandle(bound);
  }
  return TRUE;
}

}  // namespace

// No SIGPIPE on Windows: a write to a closed pipe fails with ERROR_NO_DATA (platform/stdio.h).
StopRequests::StopRequests(OnFirst on_first, void* context) {
  g_signals = 0;
  g_context = context;
  g_on_first = on_first;
  ::SetConsoleCtrlHandler(on_console_event, TRUE);
}

StopRequests::~StopRequests() {
  ::SetConsoleCtrlHandler(on_console_event, FALSE);
  g_on_first = nullptr;
  g_context = nullptr;
}

bool StopRequests::requested() const { return g_signals.load() > 0; }

}  // namespace lava_mcp::platform
