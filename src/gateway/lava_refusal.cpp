#include "gateway/lava_refusal.h"

#include <array>
#include <nlohmann/json.hpp>

#include "base/text_basics.h"

namespace lava_mcp::gateway {
namespace {

bool has(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}

template <std::size_t N>
bool has_any(const std::string& text, const std::array<std::string_view, N>& words) {
  for (const auto word : words) {
    if (has(text, word)) {
      return true;
    }
  }
  return false;
}

std::string string_member(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Lava's message when the response is Lava's own, else nullopt. Lava's error bodies are
// {"error": "<message>"} (what its SDK reads); providers' chat APIs all send an object there.
// An object names Lava when its type or code says so, or its message speaks of Lava's
// credentials; an x-lava-error header marks Lava's answer whatever the body.
std::optional<std::string> lava_message(std::string_view body, const HeaderLookup& header) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  const nlohmann::json error =
      parsed.is_object() && parsed.contains("error") ? parsed["error"] : nlohmann::json();
  std::string message = error.is_string() ? error.get<std::string>() : "";
  if (error.is_object()) {
    const std::string text = string_member(error, "message");
    const std::string kind =
        ascii_lower(string_member(error, "type") + " " + string_member(error, "code"));
    const std::string lowered = ascii_lower(text);
    if (has(kind, "lava") || has(lowered, "lava") || has(lowered, "spend key") ||
        has(lowered, "forward token")) {
      message = text.empty() ? kind : text;
    }
  }
  const std::string marked = header ? header("x-lava-error") : "";
  if (message.empty() && !marked.empty()) {
    message = marked;
  }
  if (message.empty() && marked.empty() && !error.is_string()) {
    return std::nullopt;
  }
  return message;
}

constexpr std::array<std::string_view, 3> kNotAllowedWords = {"not allowed", "not permitted",
                                                              "allowed_"};
constexpr std::array<std::string_view, 4> kBalanceWords = {"insufficient", "balance", "funds",
                                                           "wallet"};

LavaRefusal refusal(LavaRefusalKind kind, std::string what, std::string fix, bool stops = true) {
  return LavaRefusal{kind, std::move(what), std::move(fix), "", stops};
}

LavaRefusal kind_of(int status, const std::string& lowered, const std::string& app_origin) {
  const std::string keys_page =
      "the spend key's settings in the Lava dashboard (" + app_origin + ")";
  if (has(lowered, "spend limit")) {
    return refusal(LavaRefusalKind::kSpendLimit, "the spend key has reached its spend limit",
                   "raise the limit in " + keys_page + ", or wait for its cycle to renew");
  }
  if (has(lowered, "request limit")) {
    return refusal(LavaRefusalKind::kRequestLimit, "the spend key has reached its request limit",
                   "raise the limit in " + keys_page + ", or wait for its cycle to renew");
  }
  if (status == 429 || has(lowered, "rate limit")) {
    return refusal(LavaRefusalKind::kRateLimit,
                   "the spend key's rate limit (requests per minute) is reached",
                   "wait a minute (see retry-after), or raise the rate limit in " + keys_page);
  }
  if (status == 402 || has_any(lowered, kBalanceWords)) {
    return refusal(LavaRefusalKind::kInsufficientBalance,
                   "the Lava wallet's balance cannot pay for the call",
                   "add funds on the Wallet page of the Lava dashboard (" + app_origin + ")");
  }
  if (has_any(lowered, kNotAllowedWords) && (has(lowered, "model") || has(lowered, "provider"))) {
    return refusal(LavaRefusalKind::kNotAllowed, "the spend key may not use this model or provider",
                   "pick a model the key allows (its allowed_models and allowed_providers), or "
                   "widen them in " +
                       keys_page,
                   false);
  }
  if (has(lowered, "paused")) {
    return refusal(LavaRefusalKind::kKeyPaused, "the spend key is paused",
                   "resume it in " + keys_page + ", or call login with force: true for a new one");
  }
  return refusal(LavaRefusalKind::kInvalidKey,
                 "the Lava key was refused (invalid, revoked or expired)",
                 "call the login tool with force: true, or set LAVA_SECRET_KEY in the server's "
                 "environment");
}

}  // namespace

std::optional<LavaRefusal> classify_lava_refusal(int status, std::string_view body,
                                                 const HeaderLookup& header,
                                                 const std::string& app_origin) {
  if (status != 401 && status != 402 && status != 403 && status != 429) {
    return std::nullopt;  // Lava's refusals are these four; anything else is the provider's
  }
  auto message = lava_message(body, header);
  if (!message) {
    return std::nullopt;
  }
  LavaRefusal out = kind_of(status, ascii_lower(*message), app_origin);
  out.message = std::move(*message);
  return out;
}

std::string describe_refusal(int status, const LavaRefusal& refusal) {
  std::string text = "Lava refused the request (HTTP " + std::to_string(status) +
                     "): " + refusal.what + ". Fix: " + refusal.fix + ".";
  if (!refusal.message.empty()) {
    text += " Lava said: " + refusal.message;
  }
  return text;
}

}  // namespace lava_mcp::gateway
