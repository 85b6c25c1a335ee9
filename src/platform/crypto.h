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

}  // namespace lava_mcp::platform
