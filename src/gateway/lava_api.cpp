#include "gateway/lava_api.h"

#include <array>
#include <mutex>

#include "base/base64.h"
#include "base/secrets.h"
#include "gateway/url.h"

namespace lava_mcp::gateway {
namespace {

// Replace, not throw: config refuses keys that are not printable ASCII, but this stays total.
std::string dump(const nlohmann::ordered_json& token) {
  return token.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// What every forward token of `secret_key` starts with, whatever the billing: the shortest start
// of the base64 that decodes to all of `{"secret_key":"<key>`. Its last character may be a
// partial group, whose remaining bits belong to the closing quote every token has there; a
// family of whole groups only would miss a token cut a character short of it, which still
// decodes to the whole key.
std::string common_start(const std::string& encoded, const std::string& secret_key) {
  const std::size_t key_end = dump({{"secret_key", secret_key}}).size() - 2;  // without "}
  return encoded.substr(0, (key_end * 8 + 5) / 6);
}

std::string make_forward_token(const std::string& secret_key, const Billing& billing) {
  // Key order as Lava's SDK writes it; ordered_json keeps insertion order.
  nlohmann::ordered_json token;
  token["secret_key"] = secret_key;
  if (billing.customer_id) token["customer_id"] = *billing.customer_id;
  if (billing.meter_slug) token["meter_slug"] = *billing.meter_slug;
  if (billing.provider_key) token["provider_key"] = *billing.provider_key;
  if (billing.disable_billing) token["disable_billing"] = *billing.disable_billing;
  std::string encoded = base64_encode(dump(token));
  // One registry entry per secret key, however many customers and meters its tokens name.
  secrets::register_secret_prefix(common_start(encoded, secret_key));
  if (billing.provider_key) {
    secrets::register_secret(*billing.provider_key);
  }
  return encoded;
}

}  // namespace

// Most calls carry no billing fields, and their token is the same for every call of one key:
// the last such token is kept (building it is a JSON document, its dump and base64, about 10 k
// instructions of a prompt call's 380 k).
std::string forward_token(const std::string& secret_key, const Billing& billing) {
  if (billing.any()) {
    return make_forward_token(secret_key, billing);
  }
  static std::mutex mutex;
  static std::string last_key;
  static std::string last_token;
  std::lock_guard lock(mutex);
  if (last_token.empty() || last_key != secret_key) {
    last_token = make_forward_token(secret_key, billing);
    last_key = secret_key;
  }
  return last_token;
}

Expected<void> check_billing(const Billing& billing) {
  if (billing.customer_id && !billing.meter_slug) {
    return fail(error_code::kInvalidParams,
                "customer_id needs meter_slug: the meter prices what the customer is charged");
  }
  if (billing.disable_billing && !(billing.customer_id && billing.meter_slug)) {
    return fail(error_code::kInvalidParams,
                "disable_billing needs customer_id and meter_slug: it tracks a customer's usage "
                "on a meter without charging");
  }
  return {};
}

std::string forward_url(const std::string& api_origin, const std::string& target_url) {
  return api_origin + "/v1/forward?u=" + percent_encode(target_url);
}

std::string rewrite_url(const std::string& api_origin, const std::string& format,
                        const std::string& target_url) {
  const auto scheme = target_url.find("://");
  const std::string bare = scheme == std::string::npos ? target_url : target_url.substr(scheme + 3);
  return api_origin + "/v1/rewrite/" + format + "/" + bare;
}

Expected<std::string> gateway_bearer(const Config& config, const Billing& billing) {
  if (!config.secret_key.empty()) {
    if (auto valid = check_billing(billing); !valid) {
      return fail(valid.error());
    }
    return forward_token(config.secret_key, billing);
  }
  if (!config.spend_key.empty()) {
    if (billing.any()) {
      return fail(error_code::kInvalidParams,
                  "customer_id, meter_slug, provider_key and disable_billing need the merchant "
                  "secret key, and only a spend key is configured: leave them out, or set "
                  "LAVA_SECRET_KEY (or call login)");
    }
    return config.spend_key;
  }
  return fail(error_code::kInvalidRequest, kNotLoggedIn);
}

std::string metadata_header(const nlohmann::json& metadata) {
  return metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lava_mcp::gateway
