// Who refused a gateway request: Lava itself (the credential, the balance, a spend key's limits
// or allow-lists) or the provider behind it, and what the user can do about it. Pure: the
// response's status, body and headers in, a decision out. The cases and their reasons are in
// docs/lava-errors.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace lava_mcp::gateway {

enum class LavaRefusalKind {
  kInvalidKey,           // unknown, revoked or expired key or forward token
  kKeyPaused,            // the spend key's status is "paused"
  kInsufficientBalance,  // the wallet cannot pay for the call (402)
  kSpendLimit,           // the spend key's spend_limit for this cycle is reached
  kRequestLimit,         // the spend key's request_limit for this cycle is reached
  kRateLimit,            // the spend key's rate_limit (rpm): Lava's own 429
  kNotAllowed,           // a model or provider outside the spend key's allow-lists
};

struct LavaRefusal {
  LavaRefusalKind kind;
  std::string what;     // "the Lava key was refused (invalid, revoked or expired)"
  std::string fix;      // "call the login tool with force: true, or set LAVA_SECRET_KEY"
  std::string message;  // Lava's own message, as it sent it
  // Whether every other attempt would meet the same refusal (the key, the wallet, the key's
  // limits); a per-model refusal lets the chain go on.
  bool stops_chain = true;
};

using HeaderLookup = std::function<std::string(std::string_view name)>;

// nullopt when the response is the provider's (or a success). `app_origin` names the dashboard
// in the fixes.
std::optional<LavaRefusal> classify_lava_refusal(int status, std::string_view body,
                                                 const HeaderLookup& header,
                                                 const std::string& app_origin);

// "Lava refused the request (HTTP 402): the wallet ... Fix: ... Lava said: ...".
std::string describe_refusal(int status, const LavaRefusal& refusal);

}  // namespace lava_mcp::gateway
