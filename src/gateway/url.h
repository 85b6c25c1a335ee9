// URL pieces the gateway needs: parsing origins, percent-encoding, joining queries. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"

namespace lava_mcp::gateway {

struct ParsedUrl {
  std::string scheme;          // "http" or "https", lower case
  std::string host;            // without brackets for IPv6
  int port = 0;                // explicit or the scheme's default
  std::string target;          // path and query, at least "/"
  std::string origin() const;  // scheme://host[:port] (port only when not the default)
};

// Accepts only absolute http(s) URLs with a host (a name of letters, digits, "-._~" with no
// empty label but a trailing one, or a bracketed IPv6 literal); no userinfo, no control
// characters.
std::optional<ParsedUrl> parse_url(std::string_view url);

// encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) is %XX-encoded.
std::string percent_encode(std::string_view text);

// Appends "key=value" (both encoded) to `url` with '?' or '&'.
std::string append_query(std::string url, std::string_view key, std::string_view value);

// "localhost", "::1" or a dotted-quad 127.x.y.z address.
bool is_loopback_host(std::string_view host);

// A path ("/a/b", no query) holds a "." or ".." segment: "%2E" read as ".", and "\", "%2F" and
// "%5C" read as "/" too, as lenient servers read them.
bool has_dot_segment(std::string_view path);

// RFC 3986 section 5.2.4: "." and ".." segments removed; a ".." at the root stays at the root.
std::string remove_dot_segments(std::string_view path);

// A target ("/path?query") in the form a gateway path is built from: "%2E" and "%2e" in the path
// decoded to "." (RFC 3986 6.2.2.2), dot segments removed, spaces encoded as %20. An input error
// naming `field` when a ".." climbs above the root, or when a dot segment hides behind "\",
// "%2F" or "%5C", which lenient servers read as "/".
Expected<std::string> normalize_target(std::string_view target, std::string_view field);

// RFC 3986 section 5.2: `location` (a URI reference: absolute, "//host...", "/path", "path",
// "?query", "#fragment" or "") resolved against `base`, dot segments removed (the base's too,
// which 5.2.2 would keep for an empty reference), the fragment kept.
// A reference with another scheme ("mailto:x") stays in its scheme, for the caller to refuse.
std::string resolve_location(const ParsedUrl& base, std::string_view location);

}  // namespace lava_mcp::gateway
