#include "gateway/url.h"

#include <doctest/doctest.h>

#include <utility>
#include <vector>

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
  for (const char* bad :
       {"http://x]:y:8080/", "http://[x]:y]:8080", "http://[zz::1]/", "http://[127.0.0.1]/",
        "http://a b/", "http://x/\r\nHost: evil", "http://x/\x7f",
        "http://b\xc3\xbc"
        "cher.example/",
        "http://x%41/"}) {
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

// RFC 3986 section 5.4: every normal (5.4.1) and abnormal (5.4.2) example, base
// "http://a/b/c/d;p?q". The strict parser's reading of "http:g" (5.4.2) is the one kept.
TEST_CASE("url: resolve_location resolves the RFC 3986 section 5.4 examples") {
  const auto base = parse_url("http://a/b/c/d;p?q");
  REQUIRE(base.has_value());
  const std::vector<std::pair<const char*, const char*>> examples = {
      {"g:h", "g:h"},
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
      // 5.4.2 abnormal examples
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
      {"http:g", "http:g"},
  };
  for (const auto& [reference, expected] : examples) {
    CHECK_MESSAGE(resolve_location(*base, reference) == expected,
                  "reference \"" << reference << "\"");
  }
}

TEST_CASE("url: a scheme is only a scheme at the start - queries keep the base path") {
  const auto base = *parse_url("https://docs.x.com/a/b/page?x=1");
  CHECK(resolve_location(base, "/login?next=https://x") ==
        "https://docs.x.com/login?next=https://x");
  CHECK(resolve_location(base, "page2?u=http://y/z") ==
        "https://docs.x.com/a/b/page2?u=http://y/z");
  CHECK(resolve_location(base, "?q") == "https://docs.x.com/a/b/page?q");
  CHECK(resolve_location(base, "#top") == "https://docs.x.com/a/b/page?x=1#top");
  CHECK(resolve_location(base, "HTTPS://Other.example/p/../q") == "HTTPS://Other.example/q");
  CHECK(resolve_location(base, "//cdn.x.com/a/./b/../c") == "https://cdn.x.com/a/c");
  CHECK(resolve_location(base, "1:x") == "https://docs.x.com/a/b/1:x");  // "1" is no scheme
  // The base's own dot segments go too (fuzz_http_fields-resolve-base-dot-segments).
  CHECK(resolve_location(*parse_url("https://t/a/../b/./?y"), "#s") == "https://t/b/?y#s");
  CHECK(resolve_location(*parse_url("http://[::1]:9/p"), "q") == "http://[::1]:9/q");
}

TEST_CASE("url: remove_dot_segments is RFC 3986 5.2.4") {
  CHECK(remove_dot_segments("/a/b/c/./../../g") == "/a/g");  // the RFC's own examples
  CHECK(remove_dot_segments("mid/content=5/../6") == "mid/6");
  CHECK(remove_dot_segments("/../../x") == "/x");
  CHECK(remove_dot_segments("/a/..") == "/");
  CHECK(remove_dot_segments("/a/.") == "/a/");
  CHECK(remove_dot_segments("") == "");
  CHECK(remove_dot_segments("/a//../b") == "/a/b");
}

TEST_CASE("url: normalize_target removes dot segments, also encoded, and refuses an escape") {
  CHECK(*normalize_target("/v1/./a/../b?q=../x", "url") == "/v1/b?q=../x");
  CHECK(*normalize_target("/a/%2e%2E/b/%2E/c", "url") == "/b/c");
  CHECK(*normalize_target("/a/..b/.c/c.", "url") == "/a/..b/.c/c.");
  CHECK(*normalize_target("/", "url") == "/");
  CHECK(*normalize_target("/a b?q=c d", "url") == "/a%20b?q=c%20d");
  CHECK(*normalize_target("/a/../", "url") == "/");
  for (const char* escape :
       {"/../../../../v1/spend_keys", "/..", "/a/../..", "/%2e%2e/v1", "/a/%2E%2e/%2e./x"}) {
    const auto normal = normalize_target(escape, "url");
    REQUIRE_MESSAGE(!normal.has_value(), escape);
    CHECK(normal.error().code == error_code::kInvalidParams);
    CHECK(normal.error().message.find("url: the path climbs above the host's root") == 0);
  }
  for (const char* hidden :
       {"/..%2f..%2fv1/spend_keys", "/a/..\\..\\v1", "/%2e%2e%5Cv1", "/x/.%2F"}) {
    const auto normal = normalize_target(hidden, "url");
    REQUIRE_MESSAGE(!normal.has_value(), hidden);
    CHECK(normal.error().message.find("url: the path hides") == 0);
  }
  CHECK(has_dot_segment("/a/../b"));
  CHECK(has_dot_segment("/%2e"));
  CHECK_FALSE(has_dot_segment("/a/..b/c../.d"));
}

TEST_CASE("url: a host has no empty label, so it is never a dot segment of a rewrite path") {
  for (const char* bad :
       {"https://../v1/spend_keys", "https://./x", "https://a..b/", "https://.a/"}) {
    CHECK_MESSAGE(!parse_url(bad).has_value(), bad);
  }
  CHECK(parse_url("https://example.com./x")->host == "example.com.");
}

}  // namespace
}  // namespace lava_mcp::gateway
