#include "gateway/http_fields.h"

#include <algorithm>

#include "base/hex.h"
#include "gateway/url.h"

namespace lava_mcp::gateway {
namespace {

bool is_tchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

std::string hex_byte(unsigned char c) {
  std::string out = "0x";
  append_hex_byte(out, c, HexCase::kUpper);
  return out;
}

// "CR (byte 3)": the byte named the way RFC 9110 names it, and where it is (1-based).
std::string describe(unsigned char c, std::size_t index) {
  std::string what;
  switch (c) {
    case '\r':
      what = "CR";
      break;
    case '\n':
      what = "LF";
      break;
    case '\0':
      what = "NUL";
      break;
    case '\t':
      what = "a tab";
      break;
    case ' ':
      what = "a space";
      break;
    case 0x7F:
      what = "DEL";
      break;
    default:
      what = c < 0x20    ? "the control character " + hex_byte(c)
             : c >= 0x80 ? "the non-ASCII byte " + hex_byte(c)
                         : std::string("'") + static_cast<char>(c) + "'";
  }
  return what + " (byte " + std::to_string(index + 1) + ")";
}

template <class Allowed>
std::optional<std::string> first_refused(std::string_view text, Allowed allowed) {
  const auto it = std::find_if_not(text.begin(), text.end(),
                                   [&](char c) { return allowed(static_cast<unsigned char>(c)); });
  if (it == text.end()) {
    return std::nullopt;
  }
  return "holds " +
         describe(static_cast<unsigned char>(*it), static_cast<std::size_t>(it - text.begin()));
}

bool is_field_value_byte(unsigned char c) { return c == '\t' || !is_control(c); }

Unexpected refused(std::string_view kind, std::string message) {
  return fail(error_code::kInvalidParams, std::move(message), {{"kind", kind}});
}

}  // namespace

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return is_tchar(static_cast<unsigned char>(c));
  });
}

bool is_field_value(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return is_field_value_byte(static_cast<unsigned char>(c)); });
}

std::optional<std::string> token_problem(std::string_view text) {
  if (text.empty()) {
    return "is empty";
  }
  return first_refused(text, is_tchar);
}

std::optional<std::string> field_value_problem(std::string_view text) {
  return first_refused(text, is_field_value_byte);
}

std::optional<std::string> control_problem(std::string_view text) {
  return first_refused(text, [](unsigned char c) { return !is_control(c); });
}

std::string printable_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c >= 0x7F) {
      out += "\\x" + hex_byte(c).substr(2);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::optional<std::string> url_problem(std::string_view url) {
  if (auto problem = first_refused(url, [](unsigned char c) { return c > 0x20 && c != 0x7F; })) {
    return *problem;
  }
  const auto parsed = parse_url(url);
  if (!parsed) {
    return "is not an absolute http:// or https:// URL with a valid host";
  }
  if (has_dot_segment(parsed->target.substr(0, parsed->target.find('?')))) {
    return "has a \".\" or \"..\" segment in its path, which a server would resolve to another "
           "path";
  }
  return std::nullopt;
}

Expected<void> validate(const HttpRequest& request) {
  if (auto problem = token_problem(request.method)) {
    return refused(failure_kind::kInvalidField, "method " + printable_quoted(request.method) +
                                                    ": " + *problem +
                                                    "; a method is an RFC 9110 token");
  }
  if (auto problem = url_problem(request.url)) {
    return refused(failure_kind::kInvalidUrl, "url: " + *problem);
  }
  for (const auto& [name, value] : request.headers) {
    if (auto problem = token_problem(name)) {
      return refused(
          failure_kind::kInvalidField,
          "header " + printable_quoted(name) + ": the name " + *problem +
              "; header names are RFC 9110 tokens (letters, digits and !#$%&'*+-.^_`|~)");
    }
    if (auto problem = field_value_problem(value)) {
      return refused(
          failure_kind::kInvalidField,
          "header " + printable_quoted(name) + ": the value " + *problem +
              "; header values may not hold CR, LF, NUL or any control character but tab");
    }
  }
  return {};
}

namespace {

Unexpected failure(std::string_view kind, std::string message) {
  return fail(error_code::kInternalError, std::move(message), {{"kind", kind}});
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

Expected<ParsedUrl> check_hop(const HttpRequest& request, const std::string& url) {
  auto parsed = parse_url(url);
  if (!parsed) {
    return failure(failure_kind::kInvalidUrl, "not an absolute http(s) URL: " + url);
  }
  if (auto problem = url_problem(url)) {  // a redirect's Location is the peer's text
    return failure(failure_kind::kInvalidUrl,
                   "refusing the URL " + printable_quoted(url) + ": " + *problem);
  }
  if (request.peer_policy == PeerPolicy::kPublicHttps && parsed->scheme != "https") {
    return failure(failure_kind::kBlockedUrl,
                   "refusing to fetch " + parsed->origin() + ": only https URLs are fetched here" +
                       (url == request.url ? "" : " (a redirect from " + request.url + ")"));
  }
  return *parsed;
}

Expected<HttpResponse> send_following_redirects(const HttpRequest& request,
                                                const HopSender& send_hop) {
  // No method, URL or header that could split the request or add one reaches the wire.
  if (auto valid = validate(request); !valid) {
    return fail(valid.error());
  }
  std::string url = request.url;
  for (int hop = 0;; ++hop) {
    auto parsed = check_hop(request, url);
    if (!parsed) {
      return fail(parsed.error());
    }
    auto response = send_hop(*parsed, url);
    if (!response || !is_redirect(response->status) || request.max_redirects == 0) {
      return response;
    }
    const std::string location = response->header("location");
    if (location.empty()) {
      return response;
    }
    if (hop >= request.max_redirects) {
      return failure(
          failure_kind::kRedirects,
          "more than " + std::to_string(request.max_redirects) + " redirects from " + request.url);
    }
    url = resolve_location(*parsed, location);
  }
}

}  // namespace lava_mcp::gateway
