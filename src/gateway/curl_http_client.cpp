#include "gateway/curl_http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "gateway/address_policy.h"
#include "gateway/http_fields.h"
#include "gateway/url.h"
#include "platform/socket.h"

namespace lava_mcp::gateway {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";
// While a transfer is blocked, curl_multi_poll wakes at the transfer's own timeout or when
// curl_multi_wakeup is called (cancellation); this only bounds one wait between checks.
constexpr int kPollMs = 1000;

Unexpected failure(std::string_view kind, std::string message) {
  return fail(error_code::kInternalError, std::move(message), {{"kind", kind}});
}

std::string numeric_address(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (address->sa_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text,
                sizeof text);
  } else if (address->sa_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
                sizeof text);
  }
  return text;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// What curl's callbacks of one exchange see and record.
struct Transfer {
  PeerPolicy policy = PeerPolicy::kAny;
  bool plain_http = false;
  std::size_t max_body = 0;
  HttpResponse response;
  std::size_t header_bytes = 0;
  std::size_t header_count = 0;
  bool headers_too_large = false;
  bool body_cut = false;
  std::string blocked_peer;  // the address the policy refused, if any
  // Streaming (HttpRequest::stream): whether this response's body goes to the reader.
  const BodyStream* stream = nullptr;
  const CurlLibrary* curl = nullptr;
  CURL* easy = nullptr;
  bool head_seen = false;
  bool streaming = false;
  std::size_t streamed_bytes = 0;
  const std::stop_token* stop = nullptr;
  Clock::time_point last_activity = Clock::now();  // the idle timeout counts from here
};

bool peer_allowed(const Transfer& transfer, const sockaddr* address) {
  const AddressClass kind = classify_address(address);
  switch (transfer.policy) {
    case PeerPolicy::kAny:
      return true;
    case PeerPolicy::kPublicHttps:
      return kind == AddressClass::kPublic && !transfer.plain_http;
    case PeerPolicy::kPublicOrLoopback:
      return transfer.plain_http ? kind == AddressClass::kLoopback
                                 : kind != AddressClass::kNonPublic;
  }
  return false;
}

// Called with each address curl is about to connect to, after resolution: the check and the
// connection use the same address, so a second lookup (DNS rebinding) cannot swap it.
curl_socket_t open_checked_socket(void* user, curlsocktype, curl_sockaddr* address) {
  auto& transfer = *static_cast<Transfer*>(user);
  if (!peer_allowed(transfer, &address->addr)) {
    transfer.blocked_peer = numeric_address(&address->addr);
    return CURL_SOCKET_BAD;
  }
  return platform::open_socket(address->family, address->socktype, address->protocol);
}

// One header line as it arrives; refusing (returning less than given) ends the transfer, so
// neither the count nor the total can grow past the caps.
std::size_t on_header_line(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  transfer.last_activity = Clock::now();
  transfer.header_bytes += length;
  if (transfer.header_bytes > kMaxResponseHeaderBytes) {
    transfer.headers_too_large = true;
    return 0;
  }
  const std::string_view line(data, length);
  Headers& headers = transfer.response.headers;
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();  // a new response (after a 1xx): its own headers
    transfer.header_count = 0;
    transfer.head_seen = false;
    return length;
  }
  if (trim(line).empty()) {
    return length;
  }
  if (line.front() == ' ' || line.front() == '\t') {
    if (!headers.empty()) {  // an obsolete folded continuation of the previous value
      headers.back().second.append(" ").append(trim(line));
    }
    return length;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return length;
  }
  if (++transfer.header_count > kMaxResponseHeaderCount) {
    transfer.headers_too_large = true;
    return 0;
  }
  headers.emplace_back(std::string(line.substr(0, colon)),
                       std::string(trim(line.substr(colon + 1))));
  return length;
}

// The first body byte of a response: its status is known, and the reader says whether it
// takes this body as a stream.
void begin_body(Transfer& transfer) {
  transfer.head_seen = true;
  long status = 0;
  transfer.curl->easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
  transfer.response.status = static_cast<int>(status);
  transfer.streaming = transfer.stream->on_head(transfer.response);
}

// Hands a chunk to the reader; 0 (stop) past the byte cap or when the reader has had enough.
std::size_t stream_chunk(Transfer& transfer, std::string_view chunk) {
  const std::size_t room = transfer.max_body - std::min(transfer.streamed_bytes, transfer.max_body);
  if (chunk.size() > room) {
    transfer.body_cut = true;
    return 0;
  }
  transfer.streamed_bytes += chunk.size();
  if (!transfer.stream->on_chunk(chunk)) {
    transfer.response.stopped_by_reader = true;
    return 0;
  }
  return chunk.size();
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  transfer.last_activity = Clock::now();
  if (transfer.stop != nullptr && transfer.stop->stop_requested()) {
    return 0;  // cancelled: not one more byte is read
  }
  if (transfer.stream != nullptr && !transfer.head_seen) {
    begin_body(transfer);
  }
  if (transfer.streaming) {
    return stream_chunk(transfer, std::string_view(data, length));
  }
  std::string& body = transfer.response.body;
  const std::size_t room = transfer.max_body - std::min(body.size(), transfer.max_body);
  body.append(data, std::min(room, length));
  if (length > room) {
    transfer.body_cut = true;
    return 0;  // the rest is not read; the connection is closed
  }
  return length;
}

}  // namespace

// One easy handle in its own multi handle: the multi keeps the connection alive between
// requests, and curl_multi_wakeup lets another thread interrupt a blocked wait.
struct CurlHttpClient::Handle {
  explicit Handle(const CurlLibrary& library)
      : curl(library), multi(curl.multi_init()), easy(curl.easy_init()) {}
  ~Handle() {
    curl.easy_cleanup(easy);
    curl.multi_cleanup(multi);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  const CurlLibrary& curl;
  CURLM* multi;
  CURL* easy;
};

// Name-resolution answers shared by every handle, kept for curl's DNS cache time (60 s; the
// system resolver does not report TTLs).
struct CurlHttpClient::SharedDns {
  explicit SharedDns(const CurlLibrary& library) : curl(library), share(curl.share_init()) {
    curl.share_setopt(share, CURLSHOPT_LOCKFUNC, &SharedDns::lock);
    curl.share_setopt(share, CURLSHOPT_UNLOCKFUNC, &SharedDns::unlock);
    curl.share_setopt(share, CURLSHOPT_USERDATA, this);
    curl.share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  }
  ~SharedDns() { curl.share_cleanup(share); }
  SharedDns(const SharedDns&) = delete;
  SharedDns& operator=(const SharedDns&) = delete;
  static void lock(CURL*, curl_lock_data, curl_lock_access, void* self) {
    static_cast<SharedDns*>(self)->mutex.lock();
  }
  static void unlock(CURL*, curl_lock_data, void* self) {
    static_cast<SharedDns*>(self)->mutex.unlock();
  }
  const CurlLibrary& curl;
  CURLSH* share;
  std::mutex mutex;
};

CurlHttpClient::CurlHttpClient() : CurlHttpClient(Options{}) {}

CurlHttpClient::CurlHttpClient(Options options) : options_(std::move(options)) {
  if (options_.ca_bundle.empty() && std::filesystem::exists(kSystemCaBundle)) {
    options_.ca_bundle = kSystemCaBundle;
  }
}

CurlHttpClient::~CurlHttpClient() = default;

// libcurl (and through it OpenSSL) is initialised on the first request, not at startup: a
// session that never reaches the network (initialize, tools/list, search) never pays for it.
Expected<std::unique_ptr<CurlHttpClient::Handle>> CurlHttpClient::acquire(const std::string& key) {
  std::lock_guard lock(pool_mutex_);
  if (curl_ == nullptr) {
    auto loaded = load_curl_library(options_.libcurl);
    if (!loaded) {
      return fail(loaded.error());
    }
    curl_ = *loaded;
    dns_ = std::make_unique<SharedDns>(*curl_);
  }
  auto& idle = idle_[key];
  if (idle.empty()) {
    return std::make_unique<Handle>(*curl_);
  }
  auto handle = std::move(idle.back());
  idle.pop_back();
  return handle;
}

void CurlHttpClient::release(const std::string& key, std::unique_ptr<Handle> handle) {
  std::lock_guard lock(pool_mutex_);
  auto& idle = idle_[key];
  if (idle.size() < options_.max_idle_per_origin) {
    idle.push_back(std::move(handle));
  }
}

Expected<HttpResponse> CurlHttpClient::send(const HttpRequest& request, std::stop_token stop) {
  const auto deadline = Clock::now() + request.timeout;
  return send_following_redirects(request, [&](const ParsedUrl&, const std::string& url) {
    return send_once(request, url, deadline, stop);
  });
}

namespace {

struct HeaderList {
  explicit HeaderList(const CurlLibrary& library) : curl(library) {}
  ~HeaderList() { curl.slist_free_all(list); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  void add(const std::string& line) { list = curl.slist_append(list, line.c_str()); }
  const CurlLibrary& curl;
  curl_slist* list = nullptr;
};

void set_method_and_body(const CurlLibrary& curl, CURL* easy, const HttpRequest& request) {
  if (request.method == "HEAD") {
    curl.easy_setopt(easy, CURLOPT_NOBODY, 1L);
    return;
  }
  const bool sends_body = !request.body.empty() || request.method == "POST" ||
                          request.method == "PUT" || request.method == "PATCH";
  if (sends_body) {
    curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl.easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
  } else {
    curl.easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  }
  if (request.method != "GET" && request.method != "POST") {
    curl.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

// How long the next wait may block: until the idle limit would pass, at most kPollMs.
int poll_ms(const Transfer& transfer, std::chrono::milliseconds idle_timeout) {
  if (idle_timeout.count() <= 0) {
    return kPollMs;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      transfer.last_activity + idle_timeout - Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count() + 1, 1, kPollMs));
}

bool idle_too_long(const Transfer& transfer, std::chrono::milliseconds idle_timeout) {
  return idle_timeout.count() > 0 && Clock::now() - transfer.last_activity >= idle_timeout;
}

// How a transfer ended short of curl's own result.
enum class Interrupted { kNo, kCancelled, kIdle };

// Runs one transfer on the handle's multi; returns curl's result, or nullopt when cancelled or
// the peer stayed silent past the idle limit (`interrupted` says which).
std::optional<CURLcode> run_transfer(const CurlLibrary& curl, CURLM* multi, CURL* easy,
                                     std::stop_token stop, const Transfer& transfer,
                                     std::chrono::milliseconds idle_timeout,
                                     Interrupted& interrupted) {
  curl.multi_add_handle(multi, easy);
  std::optional<CURLcode> result;
  {
    std::stop_callback wake(stop, [&curl, multi] { curl.multi_wakeup(multi); });
    for (;;) {
      int running = 0;
      if (curl.multi_perform(multi, &running) != CURLM_OK) {
        result = CURLE_FAILED_INIT;
        break;
      }
      int queued = 0;
      while (CURLMsg* message = curl.multi_info_read(multi, &queued)) {
        if (message->msg == CURLMSG_DONE) {
          result = message->data.result;
        }
      }
      if (result || running == 0) {
        break;
      }
      if (stop.stop_requested() || idle_too_long(transfer, idle_timeout)) {
        interrupted = stop.stop_requested() ? Interrupted::kCancelled : Interrupted::kIdle;
        break;
      }
      curl.multi_poll(multi, nullptr, 0, poll_ms(transfer, idle_timeout), nullptr);
    }
  }
  curl.multi_remove_handle(multi, easy);  // an unfinished transfer's connection is closed
  if (stop.stop_requested() && (!result || *result == CURLE_WRITE_ERROR)) {
    interrupted = Interrupted::kCancelled;  // also when the write callback saw the stop first
  }
  if (interrupted != Interrupted::kNo) {
    return std::nullopt;
  }
  return result.value_or(CURLE_GOT_NOTHING);
}

}  // namespace

Expected<HttpResponse> CurlHttpClient::send_once(const HttpRequest& request, const std::string& url,
                                                 Clock::time_point deadline, std::stop_token stop) {
  const auto parsed = parse_url(url);
  if (!parsed) {
    return failure(failure_kind::kInvalidUrl, "not an absolute http(s) URL: " + url);
  }
  const std::string where = parsed->origin();
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) {
    return failure(failure_kind::kTimeout, "timed out before " + where + " answered");
  }
  const std::string key = std::to_string(static_cast<int>(request.peer_policy)) + " " + where;
  auto acquired = acquire(key);
  if (!acquired) {
    return fail(acquired.error());
  }
  std::unique_ptr<Handle> handle = std::move(*acquired);
  const CurlLibrary& curl = handle->curl;
  CURL* easy = handle->easy;
  curl.easy_reset(easy);  // keeps the live connection and the caches

  Transfer transfer;
  transfer.policy = request.peer_policy;
  transfer.plain_http = parsed->scheme == "http";
  transfer.max_body = request.max_response_bytes;
  transfer.response.final_url = url;
  transfer.stream = request.stream;
  transfer.curl = &curl;
  transfer.easy = easy;
  transfer.stop = &stop;
  char detail[CURL_ERROR_SIZE] = "";

  HeaderList headers(curl);
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    headers.add(value.empty() ? name + ";" : name + ": " + value);  // "X;" sends an empty value
    has_content_type = has_content_type || ::strcasecmp(name.c_str(), "content-type") == 0;
  }
  headers.add("Expect:");  // no 100-continue round trip for large bodies
  if (!has_content_type) {
    headers.add("Content-Type:");  // curl's form-encoded default is not what the caller sent
  }

  curl.easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl.easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);  // the target is sent as the caller built it
  curl.easy_setopt(easy, CURLOPT_PROXY, "");       // no proxy from the environment
  curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(easy, CURLOPT_QUICK_EXIT, 1L);  // a stuck lookup is abandoned, not waited for
  curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
  curl.easy_setopt(easy, CURLOPT_SHARE, dns_->share);
  curl.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are ours to check and count
  curl.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_bundle.empty()) {
    curl.easy_setopt(easy, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  }
  curl.easy_setopt(easy, CURLOPT_USERAGENT, "lava-mcp");
  curl.easy_setopt(easy, CURLOPT_HTTPHEADER, headers.list);
  curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, detail);
  curl.easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &open_checked_socket);
  curl.easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &transfer);
  curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header_line);
  curl.easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl.easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  set_method_and_body(curl, easy, request);

  Interrupted interrupted = Interrupted::kNo;
  const std::optional<CURLcode> result =
      run_transfer(curl, handle->multi, easy, stop, transfer, request.idle_timeout, interrupted);
  long status = 0;
  curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  transfer.response.status = static_cast<int>(status);
  curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);  // `detail` ends with this call

  if (interrupted == Interrupted::kCancelled) {
    return failure(failure_kind::kCancelled, "request to " + where + " cancelled");
  }
  if (interrupted == Interrupted::kIdle) {
    return failure(failure_kind::kTimeout,
                   std::string(transfer.head_seen ? "the answer from " : "no answer from ") +
                       where + (transfer.head_seen ? " stalled: nothing more for " : " for ") +
                       std::to_string(request.idle_timeout.count()) +
                       " ms (the idle limit: nothing arrived in that time)");
  }
  if (*result == CURLE_OK) {
    release(key, std::move(handle));
    return std::move(transfer.response);
  }
  if (transfer.response.stopped_by_reader) {
    return std::move(transfer.response);  // the reader's own reason; the rest is unread
  }
  if (transfer.body_cut) {
    transfer.response.truncated = true;
    return std::move(transfer.response);  // the connection is dropped: the rest is unread
  }
  if (transfer.headers_too_large) {
    return failure(failure_kind::kHeadersTooLarge,
                   "the response headers from " + where + " exceed " +
                       std::to_string(kMaxResponseHeaderCount) + " headers or " +
                       std::to_string(kMaxResponseHeaderBytes >> 10) + " KiB; refused");
  }
  if (!transfer.blocked_peer.empty() && *result == CURLE_COULDNT_CONNECT) {
    return failure(
        failure_kind::kBlockedAddress,
        "refusing to connect to " + where + " at " + transfer.blocked_peer +
            (transfer.plain_http ? ": plain http is fetched only from loopback"
                                 : ": a loopback, private or otherwise non-public address") +
            (url == request.url ? "" : " (a redirect from " + request.url + ")"));
  }
  const std::string because = detail[0] != '\0' ? detail : curl.easy_strerror(*result);
  switch (*result) {
    case CURLE_OPERATION_TIMEDOUT:
      return failure(failure_kind::kTimeout, "no complete answer from " + where + " within " +
                                                 std::to_string(request.timeout.count()) + " ms");
    case CURLE_COULDNT_RESOLVE_HOST:
      return failure(failure_kind::kDns, "could not resolve host " + parsed->host +
                                             " (DNS lookup failed; check the URL and the network)");
    case CURLE_COULDNT_CONNECT:
      return failure(failure_kind::kConnect,
                     "could not connect to " + where + " (connection refused or unreachable)");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return failure(failure_kind::kTls,
                     "TLS handshake with " + where + " failed (" + because +
                         "); the certificate is not trusted or TLS is not spoken there");
    default:
      return failure(
          failure_kind::kReset,
          "the connection to " + where + " failed before a complete response (" + because + ")");
  }
}

}  // namespace lava_mcp::gateway
