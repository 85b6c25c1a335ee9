// Which peers a fetch made on behalf of untrusted input (a docs page, an image URL, any redirect
// from them) may reach. Pure: classifies socket addresses, touches no network.
#pragma once

#include <optional>
#include <string_view>

#include "platform/net.h"

namespace lava_mcp::gateway {

enum class AddressClass {
  kPublic,     // globally routable unicast
  kLoopback,   // 127.0.0.0/8, ::1, and ::ffff:127.0.0.0/104
  kNonPublic,  // private, CGNAT, link-local, multicast, unspecified, documentation, reserved, ...
};

// AF_INET and AF_INET6 (IPv4-mapped, NAT64 and 6to4 forms are judged by the IPv4 address they
// carry); any other family is non-public.
AddressClass classify_address(const sockaddr* address);

// The same for a numeric address ("10.0.0.1", "::ffff:10.0.0.1"); nullopt when it is not one.
std::optional<AddressClass> classify_numeric_address(std::string_view text);

}  // namespace lava_mcp::gateway
