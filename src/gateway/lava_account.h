// Lava account calls used by login: the CLI code exchange and spend-key provisioning
// (spec: lava-api.md sections 4.3 and 5).
#pragma once

#include <chrono>
#include <stop_token>
#include <string>

#include "base/expected.h"
#include "gateway/credentials.h"
#include "gateway/http_client.h"

namespace lava_mcp::gateway {

// POST <api>/v1/auth/callback {"code"} without auth. The answer must carry secret_key; the
// other known fields are kept when present. Errors say what failed and what to do.
Expected<Credentials> exchange_login_code(HttpClient& http, const std::string& api_origin,
                                          const std::string& code,
                                          std::chrono::milliseconds timeout, std::stop_token stop);

struct SpendKey {
  std::string key;
  std::string id;
  std::string preview;
};

// POST <api>/v1/spend_keys with the secret key, named "lava-mcp (<hostname>)", OpenAI shape.
Expected<SpendKey> create_spend_key(HttpClient& http, const std::string& api_origin,
                                    const std::string& secret_key,
                                    std::chrono::milliseconds timeout, std::stop_token stop);

// "Lava API Error: 400 - <error>" style text from an error body (string or object error).
std::string lava_error_text(int status, const std::string& body);

}  // namespace lava_mcp::gateway
