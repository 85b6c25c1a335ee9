// Facts of Lava's HTTP API as functions: forward and rewrite URLs, forward tokens, the choice of
// bearer credential, request metadata. Pure (spec: lava-api.md sections 2 and 3).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "gateway/config.h"

namespace lava_mcp::gateway {

// Optional forward-token fields besides the secret key (customer billing, BYOK).
struct Billing {
  std::optional<std::string> customer_id;
  std::optional<std::string> meter_slug;
  std::optional<std::string> provider_key;
  std::optional<bool> disable_billing;
  bool any() const { return customer_id || meter_slug || provider_key || disable_billing; }
};

// base64 of the compact JSON {secret_key, customer_id?, meter_slug?, provider_key?,
// disable_billing?} in that order, absent fields left out. Registered with the redactor.
std::string forward_token(const std::string& secret_key, const Billing& billing);

// Lava's rules for the billing fields: customer_id needs meter_slug; disable_billing needs both.
// The error message names the field and the fix.
Expected<void> check_billing(const Billing& billing);

// <api>/v1/forward?u=<target, percent-encoded whole, query included>
std::string forward_url(const std::string& api_origin, const std::string& target_url);

// <api>/v1/rewrite/<format>/<target without its scheme>
std::string rewrite_url(const std::string& api_origin, const std::string& format,
                        const std::string& target_url);

// The Authorization value for a gateway request: a forward token minted from the secret key
// when there is one (with `billing`), else the spend key (then billing fields are an input
// error). Neither: an error telling the user to log in.
Expected<std::string> gateway_bearer(const Config& config, const Billing& billing);

// The x-lava-metadata header value: compact JSON of string pairs.
std::string metadata_header(const nlohmann::json& metadata);

// The user-facing message for missing credentials.
inline constexpr const char* kNotLoggedIn =
    "not logged in: call the login tool or set LAVA_SECRET_KEY in the server's environment";

}  // namespace lava_mcp::gateway
