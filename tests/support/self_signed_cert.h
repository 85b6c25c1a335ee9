// A throwaway self-signed certificate for 127.0.0.1, made with OpenSSL at test time (nothing
// secret is committed), to check that certificate verification stays on.
#pragma once

#include <string>

namespace lava_mcp::testing {

struct CertificateFiles {
  std::string certificate;  // PEM paths inside `folder`
  std::string private_key;
};

CertificateFiles write_self_signed_certificate(const std::string& folder);

}  // namespace lava_mcp::testing
