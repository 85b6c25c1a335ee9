// SIGTERM and SIGINT as requests to stop, for as long as a StopRequests lives (one at a time).
#pragma once

namespace lava_mcp::platform {

class StopRequests {
 public:
  // Runs in the signal handler: async-signal-safe code only (a write(2) to a pipe).
  using OnFirst = void (*)(void* context);

  // The first signal calls on_first(context); a second one ends the process at once with
  // _exit(0): the person or host will not wait for the first to take effect. SIGPIPE is ignored
  // from now on, for the process's life: a closed output shows up as EPIPE instead.
  StopRequests(OnFirst on_first, void* context);
  ~StopRequests();  // the previous SIGTERM and SIGINT handlers are back
  StopRequests(const StopRequests&) = delete;
  StopRequests& operator=(const StopRequests&) = delete;

  bool requested() const;  // a stop signal arrived while this lived
};

}  // namespace lava_mcp::platform
