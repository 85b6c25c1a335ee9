#include "gateway/docs_fetcher.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "base/bounded_json.h"
#include "base/hex.h"
#include "base/json_access.h"
#include "base/secrets.h"
#include "gateway/url.h"
#include "platform/crypto.h"
#include "platform/private_folder.h"

namespace lava_mcp::gateway {
namespace {

using Json = nlohmann::json;

// The first hop's scheme, checked before the cache is read; the client checks every hop again,
// with the addresses it connects to.
bool allowed_url(const std::string& url, PeerPolicy policy) {
  const auto parsed = parse_url(url);
  return parsed && (parsed->scheme == "https" ||
                    (policy == PeerPolicy::kPublicOrLoopback && is_loopback_host(parsed->host)));
}

std::optional<FetchedDoc> read_cache(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  const Json entry = parse_bounded_json(text.str());
  if (!entry.is_object() || !entry.contains("body") || !entry["body"].is_string()) {
    return std::nullopt;  // a damaged entry is only a cache miss
  }
  FetchedDoc doc;
  doc.url = string_or_empty(entry, "url");
  doc.content_type = string_or_empty(entry, "content_type");
  doc.body = entry["body"].get<std::string>();
  const auto fetched_at = entry.find("fetched_at");
  doc.fetched_at = fetched_at != entry.end() && fetched_at->is_number_integer()
                       ? fetched_at->get<std::time_t>()
                       : 0;
  doc.source = "cache";
  return doc;
}

// Atomic: a reader sees the old entry or the new one, never half of one.
void write_cache(const std::string& path, const FetchedDoc& doc, const std::string& etag,
                 const std::string& last_modified) {
  const std::filesystem::path file(path);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  const auto folder = platform::PrivateFolder::open(file.parent_path().string());
  if (!folder) {
    return;  // a cache that cannot be written is only a slower next fetch
  }
  const std::string name = file.filename().string();
  const std::string temporary = name + ".tmp-" + std::to_string(platform::process_id()) + "-" +
                                std::to_string(std::random_device{}());
  // A file outlives the process: like stdout, it never holds a key, even one a page echoed.
  const Json entry = {
      {"url", doc.url}, {"content_type", doc.content_type}, {"fetched_at", doc.fetched_at},
      {"etag", etag},   {"last_modified", last_modified},   {"body", doc.body}};
  folder->replace(name, temporary,
                  secrets::redact(entry.dump(-1, ' ', false, Json::error_handler_t::replace)));
}

std::string cached_validator(const std::string& path, const char* key) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  const Json entry = parse_bounded_json(text.str());
  return std::string(string_or_empty(entry, key));
}

}  // namespace

std::string docs_cache_path(const std::string& home, const std::string& url) {
  const auto digest = platform::sha256(url);
  return home + "/cache/docs/" + hex_encode(digest.data(), digest.size()) + ".json";
}

Expected<FetchedDoc> DocsFetcher::fetch(const std::string& url, const std::string& home,
                                        PeerPolicy policy, std::stop_token stop) {
  if (!allowed_url(url, policy)) {
    return fail(error_code::kInvalidParams,
                "refusing to fetch " + url + ": documentation is fetched over https only");
  }
  const std::string path = docs_cache_path(home, url);
  std::optional<FetchedDoc> cached = read_cache(path);
  if (cached && now_() - cached->fetched_at < kDocsCacheTtlSeconds) {
    return *cached;
  }
  HttpRequest request;
  request.url = url;
  request.timeout = timeout;
  request.max_response_bytes = kMaxDocsBytes;
  request.max_redirects = 5;
  request.peer_policy = policy;
  request.headers = {
      {"Accept",
       "text/markdown, text/plain;q=0.9, text/html;q=0.8, application/json;q=0.7, */*;q=0.5"},
      {"User-Agent", "lava-mcp (get_provider_docs)"}};
  if (cached) {
    if (const std::string etag = cached_validator(path, "etag"); !etag.empty()) {
      request.headers.emplace_back("If-None-Match", etag);
    }
    if (const std::string since = cached_validator(path, "last_modified"); !since.empty()) {
      request.headers.emplace_back("If-Modified-Since", since);
    }
  }
  auto response = http_.send(request, stop);
  if (!response) {
    if (cached) {
      return *cached;  // stale, but better than nothing while the network is down
    }
    return fail(response.error());
  }
  if (response->status == 304 && cached) {
    cached->fetched_at = now_();
    write_cache(path, *cached,
                response->header("etag").empty() ? cached_validator(path, "etag")
                                                 : response->header("etag"),
                cached_validator(path, "last_modified"));
    return *cached;
  }
  if (response->status != 200) {
    if (cached) {
      return *cached;
    }
    return fail(error_code::kInternalError,
                "HTTP " + std::to_string(response->status) + " from " + url);
  }
  FetchedDoc doc{response->final_url,
                 response->header("content-type"),
                 std::move(response->body),
                 "live",
                 now_(),
                 response->truncated};
  if (!doc.truncated) {
    write_cache(path, doc, response->header("etag"), response->header("last-modified"));
  }
  return doc;
}

}  // namespace lava_mcp::gateway
