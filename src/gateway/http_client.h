// The HTTP seam: tools and the Lava client speak to this interface; CurlHttpClient is the only
// implementation with real I/O, and tests substitute their own.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/expected.h"

namespace lava_mcp::gateway {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; the first match.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

// Where a request and each of its redirects may go. Checked for every hop before it is requested
// (the scheme) and for every address before a socket is opened to it (the peer), so the
// connection goes to the address that was checked.
enum class PeerPolicy {
  kAny,               // the configured Lava API origin: any scheme, any address
  kPublicHttps,       // untrusted URLs (docs pages, images): https to public addresses only
  kPublicOrLoopback,  // the same, plus loopback peers, over http too
                      // (LAVA_MCP_ALLOW_LOOPBACK_FETCH)
};

struct HttpResponse;

// A body read as it arrives (a provider's stream) rather than collected whole. The client calls
// `on_head` once per response, on its first body byte, with the status and headers; when it
// returns true the body goes to `on_chunk`, chunk by chunk, instead of into HttpResponse::body
// (max_response_bytes still bounds the bytes handed over). `on_chunk` returning false stops the
// transfer at once: nothing more is read, and the response comes back with stopped_by_reader.
struct BodyStream {
  std::function<bool(const HttpResponse& head)> on_head;
  std::function<bool(std::string_view chunk)> on_chunk;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{120000};  // the whole exchange, connect to last byte
  // The longest the peer may stay silent (no header or body byte) once connected; 0: no limit
  // but `timeout`. A failure of kind timeout.
  std::chrono::milliseconds idle_timeout{0};
  std::size_t max_response_bytes = 1u << 20;  // the body is cut here and marked truncated
  int max_redirects = 0;                      // 0: a 3xx is returned as it is
  PeerPolicy peer_policy = PeerPolicy::kAny;
  const BodyStream* stream = nullptr;  // null: the body is collected whole
};

// Response headers beyond these are refused (failure kind headers_too_large): they are held in
// memory whole, and a peer could otherwise send them without end.
inline constexpr std::size_t kMaxResponseHeaderBytes = 64u << 10;
inline constexpr std::size_t kMaxResponseHeaderCount = 100;

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  bool truncated = false;          // the body exceeded max_response_bytes and was cut
  bool stopped_by_reader = false;  // BodyStream::on_chunk ended the transfer
  std::string final_url;           // after redirects
  std::string header(std::string_view name) const {
    return find_header(headers, name).value_or("");
  }
};

// Kinds of transport failure, in Error::data["kind"].
namespace failure_kind {
inline constexpr std::string_view kInvalidUrl = "invalid_url";
inline constexpr std::string_view kDns = "dns";
inline constexpr std::string_view kConnect = "connect";
inline constexpr std::string_view kTls = "tls";
inline constexpr std::string_view kTimeout = "timeout";
inline constexpr std::string_view kReset = "reset";
inline constexpr std::string_view kCancelled = "cancelled";
inline constexpr std::string_view kRedirects = "redirects";
inline constexpr std::string_view kBlockedUrl = "blocked_url";  // scheme refused by PeerPolicy
inline constexpr std::string_view kBlockedAddress =
    "blocked_address";  // peer refused by PeerPolicy
inline constexpr std::string_view kHeadersTooLarge = "headers_too_large";
inline constexpr std::string_view kNoHttpLibrary = "no_http_library";  // libcurl cannot be loaded
}  // namespace failure_kind

// The failure kind of an Error made by an HttpClient ("" when it carries none).
std::string failure_kind_of(const Error& error);

// Thread-safe: one client serves every concurrent call. HTTP statuses (4xx, 5xx) are values;
// only failures to get a response at all are Errors, with a kind and a message a model can act on.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Expected<HttpResponse> send(const HttpRequest& request, std::stop_token stop) = 0;
};

}  // namespace lava_mcp::gateway
