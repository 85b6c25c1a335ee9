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
