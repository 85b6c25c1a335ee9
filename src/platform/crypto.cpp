#include "platform/crypto.h"

#ifdef _WIN32
#include <windows.h>
// windows.h first: bcrypt.h needs its types.
#include <bcrypt.h>
#else
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <unistd.h>
#ifdef __APPLE__
#include <sys/random.h>
#endif

#include <algorithm>
#endif

namespace lava_mcp::platform {

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

#ifdef _WIN32
bool random_bytes(unsigned char* out, std::size_t size) {
  return BCRYPT_SUCCESS(
      ::BCryptGenRandom(nullptr, out, static_cast<ULONG>(size), BCRYPT_USE_SYSTEM_PREFERRED_RNG));
}

namespace {

// SHA-256, or HMAC-SHA-256 when `key` is given.
std::array<unsigned char, 32> digest_of(const std::string_view* key, std::string_view bytes) {
  std::array<unsigned char, 32> digest{};
  BCRYPT_ALG_HANDLE algorithm = nullptr;
  const ULONG flags = key != nullptr ? BCRYPT_ALG_HANDLE_HMAC_FLAG : 0;
  if (!BCRYPT_SUCCESS(
          ::BCryptOpenAlgorithmProvider(&algorithm, BCRYPT_SHA256_ALGORITHM, nullptr, flags))) {
    return digest;  // cannot happen on a Windows with CNG (Vista and later)
  }
  BCRYPT_HASH_HANDLE hash = nullptr;
  auto* secret =
      key != nullptr ? reinterpret_cast<PUCHAR>(const_cast<char*>(key->data())) : nullptr;
  const auto secret_size = key != nullptr ? static_cast<ULONG>(key->size()) : 0;
  if (BCRYPT_SUCCESS(::BCryptCreateHash(algorithm, &hash, nullptr, 0, secret, secret_size, 0))) {
    ::BCryptHashData(hash, reinterpret_cast<PUCHAR>(const_cast<char*>(bytes.data())),
                     static_cast<ULONG>(bytes.size()), 0);
    ::BCryptFinishHash(hash, digest.data(), static_cast<ULONG>(digest.size()), 0);
    ::BCryptDestroyHash(hash);
  }
  ::BCryptCloseAlgorithmProvider(algorithm, 0);
  return digest;
}

}  // namespace

std::array<unsigned char, 32> sha256(std::string_view bytes) { return digest_of(nullptr, bytes); }

std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view bytes) {
  return digest_of(&key, bytes);
}
#else
// The kernel's generator directly: OpenSSL's RAND_bytes would first build its DRBG and read its
// configuration, about a third of the work of starting the server for one 32-byte key.
bool random_bytes(unsigned char* out, std::size_t size) {
  constexpr std::size_t kMostPerCall = 256;  // getentropy's limit
  while (size > 0) {
    const std::size_t part = std::min(size, kMostPerCall);
    if (::getentropy(out, part) != 0) {
      return false;
    }
    out += part;
    size -= part;
  }
  return true;
}

std::array<unsigned char, 32> sha256(std::string_view bytes) {
  std::array<unsigned char, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  return digest;
}

std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view bytes) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data(), &size);
  return digest;
}
#endif

}  // namespace lava_mcp::platform
