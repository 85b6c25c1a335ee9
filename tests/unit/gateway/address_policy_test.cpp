#include "gateway/address_policy.h"

#include <doctest/doctest.h>

#include <string>

namespace lava_mcp::gateway {
namespace {

struct Row {
  const char* address;
  AddressClass expected;
};

TEST_CASE("address policy: public, loopback and every non-public IPv4 and IPv6 range") {
  using enum AddressClass;
  const Row rows[] = {
      {"8.8.8.8", kPublic},
      {"1.1.1.1", kPublic},
      {"93.184.216.34", kPublic},
      {"172.15.255.255", kPublic},  // just below 172.16/12
      {"172.32.0.0", kPublic},      // just above it
      {"100.63.255.255", kPublic},  // just below CGNAT
      {"100.128.0.0", kPublic},     // just above it
      {"127.0.0.1", kLoopback},
      {"127.255.255.254", kLoopback},
      {"0.0.0.0", kNonPublic},  // connects to this host on Linux
      {"0.1.2.3", kNonPublic},
      {"10.9.9.9", kNonPublic},
      {"172.16.0.1", kNonPublic},
      {"172.31.255.255", kNonPublic},
      {"192.168.1.1", kNonPublic},
      {"100.64.0.1", kNonPublic},  // CGNAT
      {"100.127.255.255", kNonPublic},
      {"169.254.169.254", kNonPublic},  // link-local: cloud metadata services
      {"192.0.0.8", kNonPublic},
      {"192.0.2.1", kNonPublic},
      {"198.18.0.1", kNonPublic},
      {"198.19.255.255", kNonPublic},
      {"198.51.100.7", kNonPublic},
      {"203.0.113.9", kNonPublic},
      {"224.0.0.1", kNonPublic},  // multicast
      {"239.255.255.250", kNonPublic},
      {"240.0.0.1", kNonPublic},  // reserved
      {"255.255.255.255", kNonPublic},
      {"2606:4700:4700::1111", kPublic},
      {"2001:4860:4860::8888", kPublic},
      {"::1", kLoopback},
      {"::", kNonPublic},
      {"::ffff:127.0.0.1", kLoopback},  // IPv4-mapped: judged by the IPv4 address
      {"::ffff:10.0.0.1", kNonPublic},
      {"::ffff:169.254.169.254", kNonPublic},
      {"::ffff:8.8.8.8", kPublic},
      {"::10.0.0.1", kNonPublic},      // IPv4-compatible (deprecated)
      {"64:ff9b::a00:1", kNonPublic},  // NAT64 of 10.0.0.1
      {"64:ff9b::808:808", kPublic},   // NAT64 of 8.8.8.8
      {"64:ff9b:1::1", kNonPublic},    // local-use NAT64
      {"2002:a00:1::1", kNonPublic},   // 6to4 of 10.0.0.1
      {"2002:808:808::1", kPublic},    // 6to4 of 8.8.8.8
      {"2001::1", kNonPublic},         // Teredo
      {"2001:db8::1", kNonPublic},     // documentation
      {"3fff::1", kNonPublic},         // documentation
      {"100::1", kNonPublic},          // discard
      {"fc00::1", kNonPublic},         // unique local
      {"fd12:3456::1", kNonPublic},
      {"fe80::1", kNonPublic},  // link-local
      {"febf::1", kNonPublic},
      {"fec0::1", kNonPublic},  // site-local
      {"ff02::1", kNonPublic},  // multicast
  };
  for (const Row& row : rows) {
    CAPTURE(row.address);
    const auto kind = classify_numeric_address(row.address);
    REQUIRE(kind.has_value());
    CHECK(*kind == row.expected);
  }
  CHECK_FALSE(classify_numeric_address("example.com").has_value());
  CHECK_FALSE(classify_numeric_address("10.0.0").has_value());
  CHECK(classify_address(nullptr) == kNonPublic);
}

}  // namespace
}  // namespace lava_mcp::gateway
