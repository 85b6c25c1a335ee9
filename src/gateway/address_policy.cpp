#include "gateway/address_policy.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace lava_mcp::gateway {
namespace {

struct Ipv4Range {
  std::uint32_t base;
  int prefix;
  AddressClass kind;
};

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// IANA's special-purpose registry: everything here is not reachable on the public internet.
constexpr std::array<Ipv4Range, 17> kSpecialIpv4{{
    {v4(0, 0, 0, 0), 8, AddressClass::kNonPublic},  // "this network"; 0.0.0.0 reaches the host
    {v4(10, 0, 0, 0), 8, AddressClass::kNonPublic},
    {v4(100, 64, 0, 0), 10, AddressClass::kNonPublic},  // CGNAT
    {v4(127, 0, 0, 0), 8, AddressClass::kLoopback},
    {v4(169, 254, 0, 0), 16, AddressClass::kNonPublic},  // link-local, cloud metadata
    {v4(172, 16, 0, 0), 12, AddressClass::kNonPublic},
    {v4(192, 0, 0, 0), 24, AddressClass::kNonPublic},
    {v4(192, 0, 2, 0), 24, AddressClass::kNonPublic},
    {v4(192, 31, 196, 0), 24, AddressClass::kNonPublic},
    {v4(192, 52, 193, 0), 24, AddressClass::kNonPublic},
    {v4(192, 88, 99, 0), 24, AddressClass::kNonPublic},
    {v4(192, 168, 0, 0), 16, AddressClass::kNonPublic},
    {v4(198, 18, 0, 0), 15, AddressClass::kNonPublic},
    {v4(198, 51, 100, 0), 24, AddressClass::kNonPublic},
    {v4(203, 0, 113, 0), 24, AddressClass::kNonPublic},
    {v4(224, 0, 0, 0), 4, AddressClass::kNonPublic},  // multicast
    {v4(240, 0, 0, 0), 4, AddressClass::kNonPublic},  // reserved and broadcast
}};

AddressClass classify_ipv4(std::uint32_t address) {
  for (const Ipv4Range& range : kSpecialIpv4) {
    const std::uint32_t mask = ~std::uint32_t{0} << (32 - range.prefix);
    if ((address & mask) == range.base) {
      return range.kind;
    }
  }
  return AddressClass::kPublic;
}

std::uint32_t ipv4_at(const std::uint8_t* bytes) {
  return v4(bytes[0], bytes[1], bytes[2], bytes[3]);
}

bool starts_with_bits(const std::uint8_t* bytes, std::initializer_list<std::uint8_t> prefix,
                      int bits) {
  int index = 0;
  for (const std::uint8_t byte : prefix) {
    const int take = std::min(8, bits - index * 8);
    if (take <= 0) {
      break;
    }
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
    if ((bytes[index] & mask) != (byte & mask)) {
      return false;
    }
    ++index;
  }
  return true;
}

AddressClass classify_ipv6(const std::uint8_t* b) {
  static constexpr std::uint8_t kZero[16] = {};
  static constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(b, kMappedPrefix, 12) == 0) {
    return classify_ipv4(ipv4_at(b + 12));  // ::ffff:a.b.c.d connects to a.b.c.d
  }
  if (std::memcmp(b, kZero, 15) == 0 && b[15] == 1) {
    return AddressClass::kLoopback;
  }
  if (std::memcmp(b, kZero, 12) == 0) {
    return AddressClass::kNonPublic;  // unspecified and the deprecated IPv4-compatible form
  }
  if (starts_with_bits(b, {0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0}, 96)) {
    return classify_ipv4(ipv4_at(b + 12));  // NAT64: the gateway connects to the IPv4 address
  }
  if (starts_with_bits(b, {0x20, 0x02}, 16)) {
    return classify_ipv4(ipv4_at(b + 2));  // 6to4 carries its IPv4 address
  }
  const bool special =
      starts_with_bits(b, {0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01}, 48) ||  // local NAT64
      starts_with_bits(b, {0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64) ||        // discard
      starts_with_bits(b, {0x20, 0x01, 0x00}, 23) ||                    // IETF, Teredo
      starts_with_bits(b, {0x20, 0x01, 0x0D, 0xB8}, 32) ||              // documentation
      starts_with_bits(b, {0x3F, 0xFF, 0x00}, 20) ||                    // documentation
      starts_with_bits(b, {0xFC}, 7) ||                                 // unique local
      starts_with_bits(b, {0xFE, 0x80}, 10) ||                          // link-local
      starts_with_bits(b, {0xFE, 0xC0}, 10) ||                          // site-local
      b[0] == 0xFF;                                                     // multicast
  return special ? AddressClass::kNonPublic : AddressClass::kPublic;
}

}  // namespace

AddressClass classify_address(const sockaddr* address) {
  if (address == nullptr) {
    return AddressClass::kNonPublic;
  }
  if (address->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof in);
    return classify_ipv4(ntohl(in.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof in6);
    return classify_ipv6(in6.sin6_addr.s6_addr);
  }
  return AddressClass::kNonPublic;
}

std::optional<AddressClass> classify_numeric_address(std::string_view text) {
  const std::string address(text);
  sockaddr_in in{};
  if (::inet_pton(AF_INET, address.c_str(), &in.sin_addr) == 1) {
    in.sin_family = AF_INET;
    return classify_address(reinterpret_cast<const sockaddr*>(&in));
  }
  sockaddr_in6 in6{};
  if (::inet_pton(AF_INET6, address.c_str(), &in6.sin6_addr) == 1) {
    in6.sin6_family = AF_INET6;
    return classify_address(reinterpret_cast<const sockaddr*>(&in6));
  }
  return std::nullopt;
}

}  // namespace lava_mcp::gateway
