// A whole session on stdin/stdout, from the first byte to the exit: serving, stop signals, and
// the grace the calls in flight get at the end.
#pragma once

#include <chrono>

#include "transport/stdio_transport.h"
#include "transport/transport.h"

namespace lava_mcp::transport {

// A MessageHandler that also runs work after dispatch (the server's tool calls).
class SessionHandler : public MessageHandler {
 public:
  // The input ended: no answer to a request of ours can arrive any more.
  virtual void input_closed() = 0;
  // True when no work is running or queued before `timeout` passes.
  virtual bool wait_idle(std::chrono::milliseconds timeout) = 0;
  // Cancels the work in flight and waits up to `grace` for it; true if all of it ended.
  virtual bool shutdown(std::chrono::milliseconds grace) = 0;
};

struct SessionTimings {
  // After a stop signal or a read failure: what cancelled calls get to finish (the host expects
  // the process gone within 2 s of closing its input, mcp.md 2).
  std::chrono::milliseconds shutdown_grace{1500};
  // How often the wait for calls in flight after end of input looks for a stop signal.
  std::chrono::milliseconds signal_check{50};
};

// Serves until end of input, a read failure, or SIGTERM/SIGINT, and returns the exit code.
// At end of input the calls in flight run on to their answers within their own deadlines
// (tools.md 4) unless a stop signal comes first; a second signal ends the process at once.
// A call that ignores its cancellation past the grace ends the process without waiting for it.
int serve_session(StdioTransport& transport, SessionHandler& handler, SessionTimings timings = {});

}  // namespace lava_mcp::transport
