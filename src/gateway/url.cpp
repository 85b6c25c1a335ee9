#include "gateway/url.h"

#include <charconv>

#include "text_basics.h"

namespace lava_mcp::gateway {
namespace {

}  // namespace

std::string ParsedUrl::origin() const {
  const bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + shown_host + (default_port ? "" : ":" + std::to_string(port));
}

std::optional<ParsedUrl> parse_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::nullopt;
  }
  ParsedUrl parsed;
  parsed.scheme = ascii_lower(url.substr(0, scheme_end));
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    return std::nullopt;
  }
  std::string_view rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view port_text;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    parsed.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        return std::nullopt;
      }
      port_text = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
    }
  }
  parsed.host = ascii_lower(parsed.host);
  parsed.port = parsed.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    int port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port <= 0 || port > 65535) {
      return std::nullopt;
    }
    parsed.port = port;
  }
  if (parsed.host.empty()) {
    return std::nullopt;
  }
  if (const auto fragment = target.find('#'); fragment != std::string_view::npos) {
    target = target.substr(0, fragment);
  }
  parsed.target = target.empty() || target.front() == '?' ? "/" + std::string(target)
                                                          : std::string(target);
  return parsed;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*' ||
                      c == '\'' || c == '(' || c == ')';
    if (keep) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string append_query(std::string url, std::string_view key, std::string_view value) {
  const auto fragment = url.find('#');
  std::string tail;
  if (fragment != std::string::npos) {
    tail = url.substr(fragment);
    url.resize(fragment);
  }
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += percent_encode(key) + "=" + percent_encode(value);
  return url + tail;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || host.substr(0, 4) == "127.";
}

std::string resolve_location(const ParsedUrl& base, std::string_view location) {
  if (location.find("://") != std::string_view::npos) {
    return std::string(location);
  }
  if (location.substr(0, 2) == "//") {
    return base.scheme + ":" + std::string(location);
  }
  if (!location.empty() && location.front() == '/') {
    return base.origin() + std::string(location);
  }
  std::string path = base.target.substr(0, base.target.find('?'));
  path = path.substr(0, path.rfind('/') + 1);
  return base.origin() + path + std::string(location);
}

}  // namespace lava_mcp::gateway
