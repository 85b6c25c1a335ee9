#include "platform/stop_requests.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace lava_mcp::platform {
namespace {

// Lock-free atomics only: the handler may touch nothing else.
std::atomic<int> g_signals{0};
std::atomic<StopRequests::OnFirst> g_on_first{nullptr};
std::atomic<void*> g_context{nullptr};
struct sigaction g_previous_term {};
struct sigaction g_previous_int {};

extern "C" void on_stop_signal(int) {
  if (g_signals.fetch_add(1) > 0) {
    ::_exit(0);
  }
  if (const auto on_first = g_on_first.load(); on_first != nullptr) {
    on_first(g_context.load());
  }
}

}  // namespace

StopRequests::StopRequests(OnFirst on_first, void* context) {
  static_assert(std::atomic<int>::is_always_lock_free);
  g_signals = 0;
  g_context = context;
  g_on_first = on_first;
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGPIPE, &ignore, nullptr);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, &g_previous_term);
  ::sigaction(SIGINT, &action, &g_previous_int);
}

StopRequests::~StopRequests() {
  ::sigaction(SIGTERM, &g_previous_term, nullptr);
  ::sigaction(SIGINT, &g_previous_int, nullptr);
  g_on_first = nullptr;
  g_context = nullptr;
}

bool StopRequests::requested() const { return g_signals.load() > 0; }

}  // namespace lava_mcp::platform
