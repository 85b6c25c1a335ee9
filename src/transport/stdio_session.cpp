#include "transport/stdio_session.h"

#include <cstdlib>

#include "base/log.h"
#include "platform/stop_requests.h"

namespace lava_mcp::transport {
namespace {

void stop_transport(void* transport) {
  static_cast<StdioTransport*>(transport)->stop();  // async-signal-safe: one write() to a pipe
}

}  // namespace

int serve_session(StdioTransport& transport, SessionHandler& handler, SessionTimings timings) {
  const platform::StopRequests stop_requests(stop_transport, &transport);
  const auto served = transport.serve(handler);
  if (!served) {
    log::error("server", served.error().message);
  }
  if (served && !stop_requests.requested()) {
    handler.input_closed();
    // Polled: a signal handler can only set a flag.
    while (!stop_requests.requested() && !handler.wait_idle(timings.signal_check)) {
    }
  }
  if (!handler.shutdown(timings.shutdown_grace)) {
    log::warn("server", "tool calls still running at exit; leaving without waiting");
    std::_Exit(0);
  }
  return 0;
}

}  // namespace lava_mcp::transport
