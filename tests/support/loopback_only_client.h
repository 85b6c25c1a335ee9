// An HttpClient for tests that must never leave the machine: loopback URLs go to the real
// client; anything else fails as an unreachable host would, without a packet sent.
#pragma once

#include "gateway/http_client.h"
#include "gateway/url.h"

namespace lava_mcp::testing {

class LoopbackOnlyClient final : public gateway::HttpClient {
 public:
  explicit LoopbackOnlyClient(gateway::HttpClient& inner) : inner_(inner) {}
  Expected<gateway::HttpResponse> send(const gateway::HttpRequest& request,
                                       std::stop_token stop) override {
    const auto url = gateway::parse_url(request.url);
    if (!url || !gateway::is_loopback_host(url->host)) {
      ++refused;
      return fail(error_code::kInternalError,
                  "could not connect to " + request.url + " (offline test)", {{"kind", "connect"}});
    }
    return inner_.send(request, stop);
  }
  std::atomic<int> refused{0};

 private:
  gateway::HttpClient& inner_;
};

}  // namespace lava_mcp::testing
