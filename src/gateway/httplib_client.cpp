#include "gateway/httplib_client.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <filesystem>

#include <httplib.h>

#include "gateway/http_fields.h"
#include "gateway/url.h"
#include "log.h"

namespace lava_mcp::gateway {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

Unexpected failure(std::string_view kind, std::string message) {
  return fail(error_code::kInternalError, std::move(message), {{"kind", kind}});
}

bool host_resolves(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (result != nullptr) {
    ::freeaddrinfo(result);
  }
  return rc == 0;
}

void set_timeouts(httplib::Client& client, std::chrono::milliseconds left) {
  const auto seconds = static_cast<time_t>(left.count() / 1000);
  const auto micros = static_cast<time_t>((left.count() % 1000) * 1000);
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  client.set_write_timeout(seconds, micros);
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

// What the callbacks of one exchange record while httplib runs it.
struct HttplibClient::Exchange {
  HttpResponse response;
  bool got_headers = false;
  bool timed_out = false;
  bool cancelled = false;
};

HttplibClient::HttplibClient() : HttplibClient(Options{}) {}

HttplibClient::HttplibClient(Options options) : options_(std::move(options)) {
  if (options_.ca_bundle.empty() && std::filesystem::exists(kSystemCaBundle)) {
    options_.ca_bundle = kSystemCaBundle;
  }
}

HttplibClient::~HttplibClient() = default;

std::unique_ptr<httplib::Client> HttplibClient::acquire(const std::string& origin) {
  {
    std::lock_guard lock(pool_mutex_);
    auto& idle = idle_[origin];
    if (!idle.empty()) {
      auto client = std::move(idle.back());
      idle.pop_back();
      return client;
    }
  }
  auto client = std::make_unique<httplib::Client>(origin);
  client->set_keep_alive(true);
  // Headers and body leave in separate send() calls: with Nagle the body waits for the peer's
  // delayed ACK (40 ms on Linux) on every reused connection.
  client->set_tcp_nodelay(true);
  client->set_follow_location(false);  // redirects are ours to count and to refuse
  client->enable_server_certificate_verification(true);
  if (!options_.ca_bundle.empty()) {
    client->set_ca_cert_path(options_.ca_bundle);
  }
  return client;
}

void HttplibClient::release(const std::string& origin, std::unique_ptr<httplib::Client> client) {
  std::lock_guard lock(pool_mutex_);
  auto& idle = idle_[origin];
  if (idle.size() < options_.max_idle_per_origin) {
    idle.push_back(std::move(client));
  }
}

Expected<HttpResponse> HttplibClient::send(const HttpRequest& request, std::stop_token stop) {
  // No method, URL or header that could split the request or add one reaches the wire.
  if (auto valid = validate(request); !valid) {
    return fail(valid.error());
  }
  const auto deadline = Clock::now() + request.timeout;
  std::string url = request.url;
  for (int hop = 0;; ++hop) {
    auto response = send_once(request, url, deadline, stop);
    if (!response || !is_redirect(response->status) || request.max_redirects == 0) {
      return response;
    }
    const std::string location = response->header("location");
    if (location.empty()) {
      return response;
    }
    if (hop >= request.max_redirects) {
      return failure(failure_kind::kRedirects, "more than " + std::to_string(request.max_redirects) +
                                                   " redirects from " + request.url);
    }
    url = resolve_location(*parse_url(url), location);
  }
}

Expected<HttpResponse> HttplibClient::send_once(const HttpRequest& request, const std::string& url,
                                                Clock::time_point deadline, std::stop_token stop) {
  const auto parsed = parse_url(url);
  if (!parsed) {
    return failure(failure_kind::kInvalidUrl, "not an absolute http(s) URL: " + url);
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) {
    return failure(failure_kind::kTimeout, "timed out before " + parsed->origin() + " answered");
  }
  const std::string origin = parsed->origin();
  auto client = acquire(origin);
  set_timeouts(*client, left);

  Exchange exchange;
  exchange.response.final_url = url;
  httplib::Request req;
  req.method = request.method;
  req.path = parsed->target;
  for (const auto& [name, value] : request.headers) {
    req.headers.emplace(name, value);
  }
  req.body = request.body;
  req.response_handler = [&exchange](const httplib::Response& res) {
    exchange.got_headers = true;
    exchange.response.status = res.status;
    for (const auto& [name, value] : res.headers) {
      exchange.response.headers.emplace_back(name, value);
    }
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t length, uint64_t, uint64_t) {
    if (stop.stop_requested()) {
      exchange.cancelled = true;
      return false;
    }
    if (Clock::now() > deadline) {
      exchange.timed_out = true;
      return false;
    }
    std::string& body = exchange.response.body;
    const std::size_t room = request.max_response_bytes - std::min(body.size(), request.max_response_bytes);
    body.append(data, std::min(room, length));
    if (length > room) {
      exchange.response.truncated = true;
      return false;
    }
    return true;
  };
  req.progress = [&](uint64_t, uint64_t) {
    exchange.cancelled = exchange.cancelled || stop.stop_requested();
    exchange.timed_out = exchange.timed_out || Clock::now() > deadline;
    return !exchange.cancelled && !exchange.timed_out;
  };

  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  bool ok = false;
  {
    // Shuts the socket from this callback's thread, so a blocked read returns at once.
    std::stop_callback abort(stop, [&client] { client->stop(); });
    ok = client->send(req, res, error);
  }
  if (ok && !exchange.cancelled) {
    if (!exchange.got_headers) {
      exchange.response.status = res.status;
    }
    release(origin, std::move(client));
    return std::move(exchange.response);
  }
  if (exchange.response.truncated && exchange.got_headers) {
    return std::move(exchange.response);  // the connection is dropped: the rest is unread
  }
  const std::string where = parsed->origin();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(request.timeout);
  if (exchange.cancelled || stop.stop_requested()) {
    return failure(failure_kind::kCancelled, "request to " + where + " cancelled");
  }
  // Socket timeouts are set to the remaining budget, so a read that fails as the budget runs
  // out (within scheduling slack) is the deadline, not a broken connection.
  const bool out_of_time = Clock::now() + std::chrono::milliseconds(20) >= deadline;
  if (exchange.timed_out || out_of_time || error == httplib::Error::ConnectionTimeout) {
    return failure(failure_kind::kTimeout, "no complete answer from " + where + " within " +
                                               std::to_string(took.count()) + " ms");
  }
  switch (error) {
    case httplib::Error::Connection:
      if (!host_resolves(parsed->host)) {
        return failure(failure_kind::kDns, "could not resolve host " + parsed->host +
                                               " (DNS lookup failed; check the URL and the network)");
      }
      return failure(failure_kind::kConnect,
                     "could not connect to " + where + " (connection refused or unreachable)");
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return failure(failure_kind::kTls, "TLS handshake with " + where + " failed (" +
                                             httplib::to_string(error) +
                                             "); the certificate is not trusted or TLS is not spoken there");
    default:
      return failure(failure_kind::kReset, "the connection to " + where +
                                               " failed before a complete response (" +
                                               httplib::to_string(error) + ")");
  }
}

}  // namespace lava_mcp::gateway
