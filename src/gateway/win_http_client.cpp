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

Expected<void> read_body(HINTERNET request, const HttpRequest& options, HttpResponse& response,
                         Clock::time_point deadline, const std::string& where) {
  char chunk[16 * 1024];
  for (;;) {
    if (Clock::now() >= deadline) {
      return transport_failure(ERROR_WINHTTP_TIMEOUT, where, options);
    }
    DWORD n = 0;
    if (!::WinHttpReadData(request, chunk, sizeof chunk, &n)) {
      return transport_failure(::GetLastError(), where, options);
    }
    if (n == 0) {
      return {};
    }
    const std::size_t room =
        options.max_response_bytes - std::min(response.body.size(), options.max_response_bytes);
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
  ::WinHttpSetOption(request.get(), WINHTTP_OPTION_DISABLE_FEATURE, &no_redirects,
                     sizeof no_redirects);
  const int left = remaining_ms(deadline);
  ::WinHttpSetTimeouts(request.get(), left, left, left, left);
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
    return transport_failure(stop.stop_requested() ? ERROR_WINHTTP_OPERATION_CANCELLED : error,
                             where, options);
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
    if (auto read = read_body(request.get(), options, response, deadline, where); !read) {
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
