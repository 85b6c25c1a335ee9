#include "gateway/url.h"

#include <doctest/doctest.h>

namespace lava_mcp::gateway {
namespace {

TEST_CASE("url: parse keeps scheme, host, port and target") {
  auto u = parse_url("HTTPS://API.Example.com:8443/v1/x?q=1#frag");
  REQUIRE(u.has_value());
  CHECK(u->scheme == "https");
  CHECK(u->host == "api.example.com");
  CHECK(u->port == 8443);
  CHECK(u->target == "/v1/x?q=1");
  CHECK(u->origin() == "https://api.example.com:8443");
  CHECK(parse_url("http://127.0.0.1")->target == "/");
  CHECK(parse_url("http://127.0.0.1?a=b")->target == "/?a=b");
  CHECK(parse_url("https://[::1]:9/p")->host == "::1");
  CHECK(parse_url("https://x")->origin() == "https://x");
  for (const char* bad : {"", "api.lava.so", "ftp://x/", "https://", "https://u:p@x/",
                          "https://x:0/", "https://x:99999/", "https://x:1a/"}) {
    CHECK_MESSAGE(!parse_url(bad).has_value(), bad);
  }
}

TEST_CASE("url: hosts are names or bracketed IPv6 - control characters are refused") {
  // Each accepted URL's origin parses again to the same host and port.
  for (const char* good : {"https://a-b_c.example~x:81/p", "http://[fe80::1:2]:8080/",
                           "http://[::ffff:1.2.3.4]/", "https://xn--bcher-kva.example/"}) {
    const auto first = parse_url(good);
    REQUIRE_MESSAGE(first.has_value(), good);
    const auto again = parse_url(first->origin());
    REQUIRE_MESSAGE(again.has_value(), first->origin());
    CHECK(again->host == first->host);
    CHECK(again->port == first->port);
  }
  for (const char* bad : {"http://x]:y:8080/", "http://[x]:y]:8080", "http://[zz::1]/",
                          "http://[127.0.0.1]/", "http://a b/", "http://x/\r\nHost: evil",
                          "http://x/\x7f", "http://b\xc3\xbc" "cher.example/", "http://x%41/"}) {
    CHECK_MESSAGE(!parse_url(bad).has_value(), bad);
  }
}

TEST_CASE("url: only dotted-quad 127/8 addresses, localhost and ::1 are loopback") {
  for (const char* host : {"127.0.0.1", "127.1.2.254", "localhost", "::1"}) {
    CHECK_MESSAGE(is_loopback_host(host), host);
  }
  for (const char* host : {"127.example.com", "127.0.0.1.evil.com", "127.0.0.256", "127.0.0",
                           "127.0.0.1.", "127..0.1", "127.0.0.01234", "128.0.0.1", "api.lava.so"}) {
    CHECK_MESSAGE(!is_loopback_host(host), host);
  }
}

TEST_CASE("url: percent_encode is encodeURIComponent") {
  CHECK(percent_encode("https://api.openai.com/v1/chat?x=1&y=a b") ==
        "https%3A%2F%2Fapi.openai.com%2Fv1%2Fchat%3Fx%3D1%26y%3Da%20b");
  CHECK(percent_encode("AZaz09-_.!~*'()") == "AZaz09-_.!~*'()");
  CHECK(percent_encode("é+/") == "%C3%A9%2B%2F");
}

TEST_CASE("url: append_query and resolve_location") {
  CHECK(append_query("https://x/p", "q", "a b") == "https://x/p?q=a%20b");
  CHECK(append_query("https://x/p?a=1#f", "b", "&") == "https://x/p?a=1&b=%26#f");
  const auto base = *parse_url("https://docs.x.com/a/b/page?x=1");
  CHECK(resolve_location(base, "https://other/") == "https://other/");
  CHECK(resolve_location(base, "//cdn.x.com/y") == "https://cdn.x.com/y");
  CHECK(resolve_location(base, "/root") == "https://docs.x.com/root");
  CHECK(resolve_location(base, "sibling") == "https://docs.x.com/a/b/sibling");
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("localhost"));
  CHECK_FALSE(is_loopback_host("api.lava.so"));
}

}  // namespace
}  // namespace lava_mcp::gateway
