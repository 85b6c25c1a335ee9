// HttpClient over cpp-httplib: HTTPS with certificate verification, a deadline for the whole
// exchange, a body cap, keep-alive connections pooled per origin, prompt cancellation.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/http_client.h"

namespace httplib {
class Client;
}  // namespace httplib

namespace lava_mcp::gateway {

class HttplibClient final : public HttpClient {
 public:
  struct Options {
    std::string ca_bundle;  // empty: the system store
    std::size_t max_idle_per_origin = 64;  // as many as calls run at once (WorkerPool)
  };
  HttplibClient();
  explicit HttplibClient(Options options);
  ~HttplibClient() override;
  HttplibClient(const HttplibClient&) = delete;
  HttplibClient& operator=(const HttplibClient&) = delete;

  Expected<HttpResponse> send(const HttpRequest& request, std::stop_token stop) override;

 private:
  struct Exchange;
  std::unique_ptr<httplib::Client> acquire(const std::string& origin);
  void release(const std::string& origin, std::unique_ptr<httplib::Client> client);
  Expected<HttpResponse> send_once(const HttpRequest& request, const std::string& url,
                                   std::chrono::steady_clock::time_point deadline,
                                   std::stop_token stop);

  Options options_;
  std::mutex pool_mutex_;
  std::map<std::string, std::vector<std::unique_ptr<httplib::Client>>> idle_;
};

}  // namespace lava_mcp::gateway
