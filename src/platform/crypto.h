// The cryptographic primitives lava-mcp needs from the system: OpenSSL's libcrypto on POSIX,
// CNG (bcrypt.dll, part of Windows) on Windows.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace lava_mcp::platform {

// `size` bytes from the system's CSPRNG; false when it cannot give them (never guess instead).
bool random_bytes(unsigned char* out, std::size_t size);

std::array<unsigned char, 32> sha256(std::string_view bytes);

// Equal bytes, compared in a time that says nothing about where they first differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// HMAC-SHA-256 (RFC 2104) of `bytes` under `key`.
std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view bytes);

}  // namespace lava_mcp::platform
