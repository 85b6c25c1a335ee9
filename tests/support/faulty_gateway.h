// A gateway on 127.0.0.1 that misbehaves on purpose, at the byte level. The fault is chosen per
// request by the forwarded URL: `call` with url "https://faults.test/<fault>" reaches it as
// POST /v1/forward?u=https%3A%2F%2Ffaults.test%2F<fault>. Each connection has its own thread,
// so a fault that never ends does not hold up the next request.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/fake_upstream.h"

namespace lava_mcp::testing {

class FaultyGateway {
 public:
  // Faults: "trickle" (headers, then a byte every 100 ms), "endless" (chunks without end),
  // "reset" (half the promised body, then a TCP reset), "broken-chunked" (a bad chunk size),
  // "big-error" (a 500 with a 10 MiB body), "ok" (a small JSON 200).
  FaultyGateway();
  ~FaultyGateway();  // ends every fault in progress and joins its thread
  std::string origin() const { return server_->base_url(); }
  static std::string url_of(const std::string& fault) { return "https://faults.test/" + fault; }

 private:
  void serve(int socket);
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::unique_ptr<RawTcpServer> server_;  // stopped first, so no connection starts late
};

}  // namespace lava_mcp::testing
