// Base64 (RFC 4648), in plain C++ (no OpenSSL: the Windows build has none), so the pure layers
// may use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lava_mcp {

// Standard alphabet with '=' padding (what Node's Buffer "base64" writes).
std::string base64_encode(std::string_view bytes);

// Standard or URL-safe alphabet (section 5), padding optional, a last partial group decoded as
// far as its bits reach; nullopt on any other byte (whitespace included).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lava_mcp
