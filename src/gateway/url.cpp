#include "gateway/url.h"

#include <algorithm>
#include <charconv>

#include "base/error.h"
#include "base/hex.h"
#include "base/text_basics.h"

namespace lava_mcp::gateway {
namespace {

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// A name or IPv4 address: what every HTTP client can connect to, and what origin() writes back.
// No empty label but the root's ("example.com."): a host "." or ".." would be a dot segment in
// the rewrite path the host becomes part of.
bool is_host_name(std::string_view host) {
  return !host.empty() && host.front() != '.' && host.find("..") == std::string_view::npos &&
         std::all_of(host.begin(), host.end(), is_host_char);
}

// The inside of [...]: hex digits, colons, and dots for an embedded IPv4 tail.
bool is_ipv6_literal(std::string_view host) {
  return host.find(':') != std::string_view::npos &&
         std::all_of(host.begin(), host.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                  c == ':' || c == '.';
         });
}

bool has_control_char(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

// Dotted-quad 127.a.b.c, each part 0-255: "127.example.com" is a name anyone can register.
bool is_ipv4_loopback(std::string_view host) {
  if (host.substr(0, 4) != "127.") {
    return false;
  }
  int parts = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view part = host.substr(start, dot - start);
    int value = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.size() > 3 || ec != std::errc() || end != part.data() + part.size() ||
        value > 255) {
      return false;
    }
    ++parts;
    start = dot + 1;
  }
  return parts == 4;
}

// RFC 3986 5.2.4 on an output buffer. `climbed` is set when a ".." finds nothing left to remove:
// the path tried to leave its root.
std::string remove_dots(std::string_view input, bool& climbed) {
  std::string output;
  output.reserve(input.size());
  const auto remove_last_segment = [&] {
    if (output.empty()) {
      climbed = true;
    }
    const auto slash = output.rfind('/');
    output.resize(slash == std::string::npos ? 0 : slash);
  };
  while (!input.empty()) {
    if (input.substr(0, 3) == "../") {  // A
      input.remove_prefix(3);
      climbed = true;
    } else if (input.substr(0, 2) == "./") {
      input.remove_prefix(2);
    } else if (input.substr(0, 3) == "/./") {  // B
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.substr(0, 4) == "/../") {  // C
      input.remove_prefix(3);
      remove_last_segment();
    } else if (input == "/..") {
      input = "/";
      remove_last_segment();
    } else if (input == "." || input == "..") {  // D
      climbed = climbed || input == "..";
      input = {};
    } else {  // E: the first segment, with its leading "/"
      const std::size_t end = std::min(input.find('/', 1), input.size());
      output.append(input.substr(0, end));
      input.remove_prefix(end);
    }
  }
  return output;
}

// "%2E" and "%2e" as "." (percent-encoded unreserved characters are equivalent to themselves,
// RFC 3986 6.2.2.2); other escapes stay.
std::string decode_dots(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size() && path[i + 1] == '2' &&
        (path[i + 2] | 0x20) == 'e') {
      out += '.';
      i += 2;
    } else {
      out += path[i];
    }
  }
  return out;
}

// The path as the most lenient server reads it: dots decoded, and "\", "%2F" and "%5C" (either
// case) as "/".
std::string lenient_path(std::string_view path) {
  std::string out = decode_dots(path);
  std::string lenient;
  lenient.reserve(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool escape = out[i] == '%' && i + 2 < out.size();
    const char hi = escape ? out[i + 1] : '\0';
    const char lo = escape ? static_cast<char>(out[i + 2] | 0x20) : '\0';
    if ((hi == '2' && lo == 'f') || (hi == '5' && lo == 'c')) {
      lenient += '/';
      i += 2;
    } else {
      lenient += out[i] == '\\' ? '/' : out[i];
    }
  }
  return lenient;
}

bool is_scheme(std::string_view text) {
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  return !text.empty() && alpha(text.front()) && std::all_of(text.begin(), text.end(), [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
  });
}

// A URI reference split as RFC 3986 appendix B does, with the scheme held to its grammar (3.1):
// in "1:x" or "/a:b" there is none.
struct Reference {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

Reference split_reference(std::string_view text) {
  Reference ref;
  if (const auto hash = text.find('#'); hash != std::string_view::npos) {
    ref.fragment = text.substr(hash + 1);
    text = text.substr(0, hash);
  }
  if (const auto question = text.find('?'); question != std::string_view::npos) {
    ref.query = text.substr(question + 1);
    text = text.substr(0, question);
  }
  if (const auto colon = text.find(':'); colon != std::string_view::npos &&
                                         colon < text.find('/') &&
                                         is_scheme(text.substr(0, colon))) {
    ref.scheme = text.substr(0, colon);
    text = text.substr(colon + 1);
  }
  if (text.substr(0, 2) == "//") {
    const auto end = std::min(text.find('/', 2), text.size());
    ref.authority = text.substr(2, end - 2);
    text = text.substr(end);
  }
  ref.path = text;
  return ref;
}

}  // namespace

std::string ParsedUrl::origin() const {
  const bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + shown_host + (default_port ? "" : ":" + std::to_string(port));
}

std::optional<ParsedUrl> parse_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || has_control_char(url)) {
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
    if (!is_ipv6_literal(parsed.host)) {
      return std::nullopt;
    }
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        return std::nullopt;
      }
      port_text = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (!is_host_name(parsed.host)) {
      return std::nullopt;
    }
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
    }
  }
  parsed.host = ascii_lower(parsed.host);
  parsed.port = parsed.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    int port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port <= 0 ||
        port > 65535) {
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
  parsed.target =
      target.empty() || target.front() == '?' ? "/" + std::string(target) : std::string(target);
  return parsed;
}

std::string percent_encode(std::string_view text) {
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
      append_hex_byte(out, c, HexCase::kUpper);
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
  return host == "localhost" || host == "::1" || is_ipv4_loopback(host);
}

bool has_dot_segment(std::string_view path) {
  const std::string lenient = lenient_path(path);
  std::size_t start = 0;
  while (start <= lenient.size()) {
    const std::size_t end = std::min(lenient.find('/', start), lenient.size());
    const std::string_view segment = std::string_view(lenient).substr(start, end - start);
    if (segment == "." || segment == "..") {
      return true;
    }
    start = end + 1;
  }
  return false;
}

std::string remove_dot_segments(std::string_view path) {
  bool climbed = false;
  return remove_dots(path, climbed);
}

Expected<std::string> normalize_target(std::string_view target, std::string_view field) {
  const std::size_t query = std::min(target.find('?'), target.size());
  bool climbed = false;
  std::string normal = remove_dots(decode_dots(target.substr(0, query)), climbed);
  if (climbed) {
    return fail(
        error_code::kInvalidParams,
        std::string(field) + ": the path climbs above the host's root with \"..\" segments");
  }
  if (has_dot_segment(normal)) {
    return fail(error_code::kInvalidParams,
                std::string(field) +
                    ": the path hides a \".\" or \"..\" segment behind \"\\\", %2F or "
                    "%5C, which servers may read as \"/\"");
  }
  normal += target.substr(query);
  std::string encoded;
  encoded.reserve(normal.size());
  for (const char c : normal) {
    if (c == ' ') {
      encoded += "%20";
    } else {
      encoded += c;
    }
  }
  return encoded;
}

std::string resolve_location(const ParsedUrl& base, std::string_view location) {
  const Reference ref = split_reference(location);
  const std::string_view base_path = std::string_view(base.target).substr(0, base.target.find('?'));
  const std::size_t base_query = base.target.find('?');
  std::string scheme = base.scheme;
  std::string authority = base.origin().substr(base.scheme.size() + 3);
  std::string path;
  std::optional<std::string_view> query = ref.query;
  if (ref.scheme) {
    scheme = std::string(*ref.scheme);
    authority = ref.authority ? std::string(*ref.authority) : std::string();
    path = remove_dot_segments(ref.path);
  } else if (ref.authority) {
    authority = std::string(*ref.authority);
    path = remove_dot_segments(ref.path);
  } else if (ref.path.empty()) {
    path = remove_dot_segments(base_path);  // 5.2.2 takes the base's as is; it may hold dots
    if (!query && base_query != std::string::npos) {
      query = std::string_view(base.target).substr(base_query + 1);
    }
  } else if (ref.path.front() == '/') {
    path = remove_dot_segments(ref.path);
  } else {
    // 5.2.3 merge: the base always has an authority and a path of at least "/".
    const std::string merged =
        std::string(base_path.substr(0, base_path.rfind('/') + 1)) + std::string(ref.path);
    path = remove_dot_segments(merged);
  }
  // 5.3 recomposition; a reference with a scheme but no authority ("mailto:x") has no "//".
  std::string out = scheme + ":";
  if (!ref.scheme || ref.authority) {
    out += "//" + authority;
  }
  out += path;
  if (query) {
    out += "?" + std::string(*query);
  }
  if (ref.fragment) {
    out += "#" + std::string(*ref.fragment);
  }
  return out;
}

}  // namespace lava_mcp::gateway
