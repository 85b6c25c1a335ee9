// HttpClient over libcurl: HTTPS with certificate verification against the system store, one
// deadline for the whole exchange (name resolution, connect, TLS, headers, body), capped headers
// and body, an optional idle limit (HttpRequest::idle_timeout), redirects followed here hop by
// hop under the request's PeerPolicy, keep-alive connections pooled per origin, cancellation
// that wakes a blocked transfer at once.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/curl_library.h"
#include "gateway/http_client.h"
#include "platform/host_system.h"

namespace lava_mcp::gateway {

class CurlHttpClient final : public HttpClient {
 public:
  struct Options {
    std::string ca_bundle;                 // empty: the system store
    std::size_t max_idle_per_origin = 64;  // as many as calls run at once (WorkerPool)
    // Loaded on the first request (gateway/curl_library.h).
    std::string libcurl = platform::libcurl_file(platform::this_host_system());
  };
  CurlHttpClient();
  explicit CurlHttpClient(Options options);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Expected<HttpResponse> send(const HttpRequest& request, std::stop_token stop) override;

 private:
  struct Handle;
  struct SharedDns;
  Expected<std::unique_ptr<Handle>> acquire(const std::string& key);
  void release(const std::string& key, std::unique_ptr<Handle> handle);
  Expected<HttpResponse> send_once(const HttpRequest& request, const std::string& url,
                                   std::chrono::steady_clock::time_point deadline,
                                   std::stop_token stop);

  Options options_;
  const CurlLibrary* curl_ = nullptr;  // loaded by the first acquire(), under pool_mutex_
  std::unique_ptr<SharedDns> dns_;     // made by the first acquire(), under pool_mutex_
  std::mutex pool_mutex_;
  std::map<std::string, std::vector<std::unique_ptr<Handle>>> idle_;  // by policy and origin
};

}  // namespace lava_mcp::gateway
