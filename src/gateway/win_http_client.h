// HttpClient over WinHTTP, the Windows build's (README "Windows" says why not OpenSSL): HTTPS
// verified against the Windows certificate store, always (no flag here turns it off), the
// system's proxy settings, one deadline for the whole exchange and the idle limit, capped
// headers and body, the body handed to a BodyStream as it arrives (a provider's stream), and
// redirects followed here hop by hop under the request's PeerPolicy, as CurlHttpClient does.
#pragma once

#include "gateway/http_client.h"

namespace lava_mcp::gateway {

class WinHttpClient final : public HttpClient {
 public:
  WinHttpClient();
  ~WinHttpClient() override;
  WinHttpClient(const WinHttpClient&) = delete;
  WinHttpClient& operator=(const WinHttpClient&) = delete;

  Expected<HttpResponse> send(const HttpRequest& request, std::stop_token stop) override;

 private:
  void* session_;  // HINTERNET: one session, thread-safe, shared by every request
};

}  // namespace lava_mcp::gateway
