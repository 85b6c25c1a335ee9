#include "gateway/lava_account.h"

#include <nlohmann/json.hpp>

#include "base/bounded_json.h"
#include "base/secrets.h"
#include "platform/private_folder.h"

namespace lava_mcp::gateway {
namespace {

using Json = nlohmann::json;

std::string string_field(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string hostname() {
  const std::string name = platform::host_name();
  return name.empty() ? "unknown host" : name;
}

Expected<Json> post_json(HttpClient& http, const std::string& url, const Json& body,
                         const std::string& bearer, std::chrono::milliseconds timeout,
                         std::stop_token stop, const std::string& what) {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!bearer.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + bearer);
  }
  request.body = body.dump();
  request.timeout = timeout;
  auto response = http.send(request, stop);
  if (!response) {
    return fail(response.error().code, what + " failed: " + response.error().message,
                response.error().data);
  }
  if (response->status < 200 || response->status >= 300) {
    return fail(error_code::kInternalError,
                what + " failed: " + lava_error_text(response->status, response->body),
                {{"status", response->status}});
  }
  Json parsed = parse_bounded_json(response->body);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return fail(error_code::kInternalError, what + " failed: the answer is not a JSON object");
  }
  return parsed;
}

}  // namespace

std::string lava_error_text(int status, const std::string& body) {
  const Json parsed = parse_bounded_json(body);
  std::string detail = "Unknown error";
  if (parsed.is_object() && parsed.contains("error")) {
    const Json& error = parsed["error"];
    if (error.is_string()) {
      detail = error.get<std::string>();
    } else if (error.is_object() && error.contains("message") && error["message"].is_string()) {
      detail = error["message"].get<std::string>();
    } else {
      detail = error.dump();
    }
  }
  return "Lava API Error: " + std::to_string(status) + " - " + detail;
}

Expected<Credentials> exchange_login_code(HttpClient& http, const std::string& api_origin,
                                          const std::string& code,
                                          std::chrono::milliseconds timeout, std::stop_token stop) {
  auto answer = post_json(http, api_origin + "/v1/auth/callback", {{"code", code}}, "", timeout,
                          stop, "exchanging the login code");
  if (!answer) {
    const bool rejected = answer.error().data.is_object() && answer.error().data.contains("status");
    if (rejected) {
      answer.error().message += " (login codes work once and expire after 60 s: call login again)";
    }
    return fail(answer.error());
  }
  Credentials credentials;
  credentials.secret_key = string_field(*answer, "secret_key");
  if (credentials.secret_key.empty()) {
    return fail(error_code::kInternalError,
                "exchanging the login code failed: the answer has no secret_key");
  }
  secrets::register_secret(credentials.secret_key);
  credentials.secret_key_id = string_field(*answer, "secret_key_id");
  credentials.wallet_id = string_field(*answer, "wallet_id");
  credentials.merchant_id = string_field(*answer, "merchant_id");
  credentials.account_id = string_field(*answer, "account_id");
  return credentials;
}

Expected<SpendKey> create_spend_key(HttpClient& http, const std::string& api_origin,
                                    const std::string& secret_key,
                                    std::chrono::milliseconds timeout, std::stop_token stop) {
  const Json body = {{"name", "lava-mcp (" + hostname() + ")"}, {"request_shape", "openai"}};
  auto answer = post_json(http, api_origin + "/v1/spend_keys", body, secret_key, timeout, stop,
                          "creating a spend key");
  if (!answer) {
    return fail(answer.error());
  }
  SpendKey key{string_field(*answer, "key"), string_field(*answer, "spend_key_id"),
               string_field(*answer, "key_preview")};
  if (key.key.empty()) {
    return fail(error_code::kInternalError, "creating a spend key failed: the answer has no key");
  }
  secrets::register_secret(key.key);
  return key;
}

}  // namespace lava_mcp::gateway
