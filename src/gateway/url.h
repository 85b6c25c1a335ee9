// URL pieces the gateway needs: parsing origins, percent-encoding, joining queries. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lava_mcp::gateway {

struct ParsedUrl {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // without brackets for IPv6
  int port = 0;        // explicit or the scheme's default
  std::string target;  // path and query, at least "/"
  std::string origin() const;  // scheme://host[:port] (port only when not the default)
};

// Accepts only absolute http(s) URLs with a host (a name of letters, digits, "-._~", or a
// bracketed IPv6 literal); no userinfo, no control characters.
std::optional<ParsedUrl> parse_url(std::string_view url);

// encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) is %XX-encoded.
std::string percent_encode(std::string_view text);

// Appends "key=value" (both encoded) to `url` with '?' or '&'.
std::string append_query(std::string url, std::string_view key, std::string_view value);

// "localhost", "::1" or a dotted-quad 127.x.y.z address.
bool is_loopback_host(std::string_view host);

// Resolves `location` (absolute, scheme-relative or path) against `base`.
std::string resolve_location(const ParsedUrl& base, std::string_view location);

}  // namespace lava_mcp::gateway
