// Fetches provider documentation directly (not through the gateway), with an on-disk cache under
// <home>/cache/docs/: fresh for 24 h, then revalidated with ETag / Last-Modified.
#pragma once

#include <ctime>
#include <functional>
#include <stop_token>
#include <string>

#include "base/expected.h"
#include "gateway/http_client.h"

namespace lava_mcp::gateway {

inline constexpr std::time_t kDocsCacheTtlSeconds = 24 * 60 * 60;
inline constexpr std::size_t kMaxDocsBytes = 5u << 20;

struct FetchedDoc {
  std::string url;  // after redirects
  std::string content_type;
  std::string body;
  std::string source;  // "live" (fetched now) or "cache"
  std::time_t fetched_at = 0;
  bool truncated = false;  // the page was larger than kMaxDocsBytes
};

class DocsFetcher {
 public:
  using Clock = std::function<std::time_t()>;
  explicit DocsFetcher(
      HttpClient& http, Clock now = [] { return std::time(nullptr); })
      : http_(http), now_(std::move(now)) {}

  // At most 5 redirects, 10 s, 5 MiB; every hop under `policy` (https to public addresses only,
  // unless configured otherwise). A stale cache entry is used when the network fails.
  Expected<FetchedDoc> fetch(const std::string& url, const std::string& home, PeerPolicy policy,
                             std::stop_token stop);

  std::time_t now() const { return now_(); }
  std::chrono::milliseconds timeout{10000};  // per fetch, redirects included

 private:
  HttpClient& http_;
  Clock now_;
};

// The cache file of `url` under `home` (a SHA-256 of the URL: stable and filesystem-safe).
std::string docs_cache_path(const std::string& home, const std::string& url);

}  // namespace lava_mcp::gateway
