#include "gateway/win_http_client.h"

#include <windows.h>
#include <winhttp.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "gateway/address_policy.h"
#include "gateway/http_fields.h"
#include "gateway/url.h"
#include "platform/wide_text.h"

namespace lava_mcp::gateway {
namespace {

using Clock = std::chrono::steady_clock;
using platform::to_utf8;
using platform::to_wide;

Unexpected failure(std::string_view kind, std::string message) {
  return fail(error_code::kInternalError, std::move(message), {{"kind", kind}});
}

// WinHTTP resolves and connects by itself, so the peer is checked here on the addresses the
// system resolver gives for the host, just before WinHTTP asks the same resolver. Unlike
// CurlHttpClient (which checks the very address it connects to), a name whose answer changes
// between the two lookups is not caught: README "Windows" lists this.
Expected<void> check_peer(const HttpRequest& request, const ParsedUrl& url) {
  if (request.peer_policy == PeerPolicy::kAny) {
    return {};
  }
  addrinfoW hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfoW* found = nullptr;
  if (::GetAddrInfoW(to_wide(url.host).c_str(), nullptr, &hints, &found) != 0) {
    return failure(failure_kind::kDns, "could not resolve host " + url.host);
  }
  bool allowed = true;
  for (const addrinfoW* a = found; a != nullptr && allowed; a = a->ai_next) {
    const AddressClass kind = classify_address(a->ai_addr);
    allowed =
        kind == AddressClass::kPublic ||
        (kind == AddressClass::kLoopback && request.peer_policy == PeerPolicy::kPublicOrLoopback);
  }
  ::FreeAddrInfoW(found);
  if (!allowed) {
    return failure(failure_kind::kBlockedAddress,
                   "refusing to connect to " + url.host +
                       ": it resolves to a non-public address (only public hosts are fetched "
                       "here)");
  }
  return {};
}

Unexpected transport_failure(DWORD error, const std::string& where, const HttpRequest& request) {
  switch (error) {
    case ERROR_WINHTTP_TIMEOUT:
      return failure(failure_kind::kTimeout, "no complete answer from " + where + " within " +
                                                 std::to_string(request.timeout.count()) + " ms");
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
      return failure(failure_kind::kDns, "could not resolve host of " + where);
    case ERROR_WINHTTP_CANNOT_CONNECT:
      return failure(failure_kind::kConnect, "could not connect to " + where);
    case ERROR_WINHTTP_SECURE_FAILURE:
    case ERROR_WINHTTP_SECURE_INVALID_CERT:
    case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
    case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
    case ERROR_WINHTTP_SECURE_INVALID_CA:
    case ERROR_WINHTTP_SECURE_CERT_REV_FAILED:
      return failure(failure_kind::kTls, "TLS with " + where +
                                             " failed (the certificate was not accepted by the "
                                             "Windows certificate store)");
    case ERROR_WINHTTP_OPERATION_CANCELLED:
      return failure(failure_kind::kCancelled, "request to " + where + " cancelled");
    case ERROR_WINHTTP_HEADER_COUNT_EXCEEDED:
    case ERROR_WINHTTP_HEADER_SIZE_OVERFLOW:
      return failure(failure_kind::kHeadersTooLarge,
                     "the response headers from " + where + " exceed " +
                         std::to_string(kMaxResponseHeaderCount) + " headers or " +
                         std::to_string(kMaxResponseHeaderBytes >> 10) + " KiB; refused");
    default:
      return failure(
          failure_kind::kReset,
          "the connection to " + where + " failed (WinHTTP error " + std::to_string(error) + ")");
  }
}

// A request handle that the stop callback may close from another thread, which makes the
// blocked WinHTTP call return ERROR_WINHTTP_OPERATION_CANCELLED; closed exactly once.
class RequestHandle {
 public:
  explicit RequestHandle(HINTERNET handle) : handle_(handle) {}
  ~RequestHandle() { close(); }
  RequestHandle(const RequestHandle&) = delete;
  RequestHandle& operator=(const RequestHandle&) = delete;
  HINTERNET get() const { return handle_; }
  void close() {
    std::lock_guard lock(mutex_);
    if (handle_ != nullptr) {
      ::WinHttpCloseHandle(handle_);
      handle_ = nullptr;
    }
  }

 private:
  std::mutex mutex_;
  HINTERNET handle_;
};

struct InternetHandle {
  explicit InternetHandle(HINTERNET h) : handle(h) {}
  ~InternetHandle() {
    if (handle != nullptr) {
      ::WinHttpCloseHandle(handle);
    }
  }
  InternetHandle(const InternetHandle&) = delete;
  InternetHandle& operator=(const InternetHandle&) = delete;
  HINTERNET handle;
};

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 1, 0x7fffffff));
}

// The raw header block (status line first, CRLF separated) into headers, under the caps.
Expected<void> read_headers(HINTERNET request, HttpResponse& response, const std::string& where) {
  DWORD size = 0;
  ::WinHttpQueryHeaders(request, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX,
                        nullptr, &size, WINHTTP_NO_HEADER_INDEX);
  if (size / sizeof(wchar_t) > kMaxResponseHeaderBytes) {
    return failure(
        failure_kind::kHeadersTooLarge,
        where + " sent more than " + std::to_string(kMaxResponseHeaderBytes) + " bytes of headers");
  }
  std::wstring raw(size / sizeof(wchar_t) + 1, L'\0');
  if (!::WinHttpQueryHeaders(request, WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX,
                             raw.data(), &size, WINHTTP_NO_HEADER_INDEX)) {
    return transport_failure(::GetLastError(), where, HttpRequest{});
  }
  raw.resize(size / sizeof(wchar_t));
  const std::string text = to_utf8(raw);
  std::size_t start = text.find("\r\n");  // after the status line
  while (start != std::string::npos && start + 2 < text.size()) {
    const std::size_t end = text.find("\r\n", start + 2);
    const std::string line =
        text.substr(start + 2, end == std::string::npos ? std::string::npos : end - start - 2);
    start = end;
    const auto colon = line.find(':');
    if (line.empty() || colon == std::string::npos) {
      continue;
    }
    if (response.headers.size() >= kMaxResponseHeaderCount) {
      return failure(
          failure_kind::kHeadersTooLarge,
          where + " sent more than " + std::to_string(kMaxResponseHeaderCount) + " headers");
    }
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    response.headers.emplace_back(line.substr(0, colon), std::move(value));
  }
  return {};
}

// WinHTTP's timeout; Wine's WinHTTP reports a receive timeout as the socket's WSAETIMEDOUT.
bool is_timeout(DWORD error) { return error == ERROR_WINHTTP_TIMEOUT || error == WSAETIMEDOUT; }

// A body that ended short of its Content-Length: the peer closed mid-body. Wine's WinHTTP
// reports that as the end of the data, so it is checked here (curl reports it itself). A 204
// or 304 has no body whatever its Content-Length says.
Expected<void> check_length(const HttpResponse& response, std::size_t received,
                            const std::string& where) {
  const std::string length = response.header("content-length");
  if (response.status == 204 || response.status == 304 || length.empty() ||
      length.find_first_not_of("0123456789") != std::string::npos || length.size() > 18) {
    return {};
  }
  const auto expected = std::stoull(length);
  if (received >= expected) {
    return {};
  }
  return failure(failure_kind::kReset, "the connection to " + where + " closed after " +
                                           std::to_string(received) + " of the " + length +
                                           " bytes its Content-Length promised");
}

// How long the next wait may block: the rest of the deadline, or the idle limit if shorter.
int wait_ms(Clock::time_point deadline, std::chrono::milliseconds idle) {
  const int left = remaining_ms(deadline);
  return idle.count() > 0 ? std::min<int>(left, static_cast<int>(idle.count())) : left;
}

// The failure of a wait that timed out: the idle limit's when it, not the deadline, ended it.
Unexpected timed_out(const HttpRequest& options, Clock::time_point deadline, bool body_seen,
                     const std::string& where) {
  if (options.idle_timeout.count() > 0 && Clock::now() < deadline) {
    return failure(failure_kind::kTimeout,
                   std::string(body_seen ? "the answer from " : "no answer from ") + where +
                       (body_seen ? " stalled: nothing more for " : " for ") +
                       std::to_string(options.idle_timeout.count()) +
                       " ms (the idle limit: nothing arrived in that time)");
  }
  return transport_failure(ERROR_WINHTTP_TIMEOUT, where, options);
}

// The body, chunk by chunk as it arrives: WinHttpQueryDataAvailable blocks until some bytes
// are there and says how many, so a stream's events are handed over as they come rather than
// when a buffer fills. With HttpRequest::stream, the reader sees the head on the first byte
// and may take the body (as CurlHttpClient does); otherwise it is collected, both capped.
Expected<void> read_body(HINTERNET request, const HttpRequest& options, HttpResponse& response,
                         Clock::time_point deadline, const std::string& where,
                         const std::stop_token& stop) {
  char chunk[16 * 1024];
  bool head_seen = false;
  bool streaming = false;
  std::size_t streamed = 0;
  std::size_t received = 0;  // every byte of the body read, handed over or kept
  for (;;) {
    if (Clock::now() >= deadline) {
      return transport_failure(ERROR_WINHTTP_TIMEOUT, where, options);
    }
    DWORD receive = static_cast<DWORD>(wait_ms(deadline, options.idle_timeout));
    ::WinHttpSetOption(request, WINHTTP_OPTION_RECEIVE_TIMEOUT, &receive, sizeof receive);
    DWORD available = 0;
    DWORD n = 0;
    if (!::WinHttpQueryDataAvailable(request, &available) ||
        (available > 0 &&
         !::WinHttpReadData(request, chunk, std::min<DWORD>(available, sizeof chunk), &n))) {
      const DWORD error = ::GetLastError();
      if (is_timeout(error)) {
        return timed_out(options, deadline, head_seen, where);
      }
      return transport_failure(error, where, options);
    }
    if (n == 0) {
      return check_length(response, received, where);
    }
    received += n;
    if (stop.stop_requested()) {
      return transport_failure(ERROR_WINHTTP_OPERATION_CANCELLED, where, options);
    }
    if (options.stream != nullptr && !head_seen) {
      streaming = options.stream->on_head(response);
    }
    head_seen = true;
    const std::size_t held = streaming ? streamed : response.body.size();
    const std::size_t room =
        options.max_response_bytes - std::min(held, options.max_response_bytes);
    if (streaming) {
      if (n > room) {
        response.truncated = true;  // nothing past the cap is handed over
        return {};
      }
      streamed += n;
      if (!options.stream->on_chunk(std::string_view(chunk, n))) {
        response.stopped_by_reader = true;  // the rest is not read; closing the handle drops it
        return {};
      }
      continue;
    }
    response.body.append(chunk, std::min<std::size_t>(room, n));
    if (n > room) {
      response.truncated = true;  // the rest is not read; closing the handle drops it
      return {};
    }
  }
}

Expected<HttpResponse> send_once(HINTERNET session, const HttpRequest& options,
                                 const ParsedUrl& url, Clock::time_point deadline,
                                 std::stop_token stop) {
  const std::string where = url.origin();
  if (stop.stop_requested()) {
    return failure(failure_kind::kCancelled, "request to " + where + " cancelled");
  }
  InternetHandle connection(::WinHttpConnect(session, to_wide(url.host).c_str(),
                                             static_cast<INTERNET_PORT>(url.port), 0));
  if (connection.handle == nullptr) {
    return transport_failure(::GetLastError(), where, options);
  }
  RequestHandle request(::WinHttpOpenRequest(connection.handle, to_wide(options.method).c_str(),
                                             to_wide(url.target).c_str(), nullptr,
                                             WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES,
                                             url.scheme == "https" ? WINHTTP_FLAG_SECURE : 0));
  if (request.get() == nullptr) {
    return transport_failure(::GetLastError(), where, options);
  }
  DWORD no_redirects = WINHTTP_DISABLE_REDIRECTS;  // ours to check and count
  // WinHTTP's own cap on the header block, set to ours: it holds no more than that in memory.
  DWORD header_cap = static_cast<DWORD>(kMaxResponseHeaderBytes);
  ::WinHttpSetOption(request.get(), WINHTTP_OPTION_MAX_RESPONSE_HEADER_SIZE, &header_cap,
                     sizeof header_cap);
  ::WinHttpSetOption(request.get(), WINHTTP_OPTION_DISABLE_FEATURE, &no_redirects,
                     sizeof no_redirects);
  const int left = remaining_ms(deadline);
  ::WinHttpSetTimeouts(request.get(), left, left, left, wait_ms(deadline, options.idle_timeout));
  // The wait for the response headers has a timeout of its own (90 s by default), which the
  // receive timeout above does not cover: without it neither the deadline nor the idle limit
  // ends a server that accepts the request and stays silent.
  DWORD headers_wait = static_cast<DWORD>(wait_ms(deadline, options.idle_timeout));
  ::WinHttpSetOption(request.get(), WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, &headers_wait,
                     sizeof headers_wait);
  std::wstring headers;
  for (const auto& [name, value] : options.headers) {
    headers += to_wide(name + ": " + value + "\r\n");
  }
  std::stop_callback cancel(stop, [&request] { request.close(); });
  const bool sent = ::WinHttpSendRequest(
      request.get(), headers.empty() ? WINHTTP_NO_ADDITIONAL_HEADERS : headers.c_str(),
      static_cast<DWORD>(headers.size()), const_cast<char*>(options.body.data()),
      static_cast<DWORD>(options.body.size()), static_cast<DWORD>(options.body.size()), 0);
  if (!sent || !::WinHttpReceiveResponse(request.get(), nullptr)) {
    const DWORD error = ::GetLastError();
    if (stop.stop_requested()) {
      return transport_failure(ERROR_WINHTTP_OPERATION_CANCELLED, where, options);
    }
    if (is_timeout(error)) {
      return timed_out(options, deadline, false, where);
    }
    return transport_failure(error, where, options);
  }
  HttpResponse response;
  DWORD status = 0;
  DWORD size = sizeof status;
  ::WinHttpQueryHeaders(request.get(), WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                        WINHTTP_HEADER_NAME_BY_INDEX, &status, &size, WINHTTP_NO_HEADER_INDEX);
  response.status = static_cast<int>(status);
  if (auto read = read_headers(request.get(), response, where); !read) {
    return fail(read.error());
  }
  if (options.method != "HEAD") {
    if (auto read = read_body(request.get(), options, response, deadline, where, stop); !read) {
      if (stop.stop_requested()) {
        return transport_failure(ERROR_WINHTTP_OPERATION_CANCELLED, where, options);
      }
      return fail(read.error());
    }
  }
  return response;
}

}  // namespace

// The system's proxy configuration (WinHTTP's default proxy, set with `netsh winhttp`).
WinHttpClient::WinHttpClient()
    : session_(::WinHttpOpen(L"lava-mcp", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME,
                             WINHTTP_NO_PROXY_BYPASS, 0)) {}

WinHttpClient::~WinHttpClient() {
  if (session_ != nullptr) {
    ::WinHttpCloseHandle(session_);
  }
}

Expected<HttpResponse> WinHttpClient::send(const HttpRequest& request, std::stop_token stop) {
  const auto deadline = Clock::now() + request.timeout;
  return send_following_redirects(
      request, [&](const ParsedUrl& parsed, const std::string& url) -> Expected<HttpResponse> {
        if (session_ == nullptr) {
          return failure(failure_kind::kConnect, "WinHTTP could not start a session");
        }
        if (auto peer = check_peer(request, parsed); !peer) {
          return fail(peer.error());
        }
        auto response = send_once(session_, request, parsed, deadline, stop);
        if (response) {
          response->final_url = url;
        }
        return response;
      });
}

}  // namespace lava_mcp::gateway
