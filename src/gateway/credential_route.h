// Which Lava credential each route gets (tools.md 3.2): the spend key on the unified endpoint;
// on /v1/forward the spend key first (its limits then apply) and, when Lava refuses it and a
// secret key is known, a forward token, which the process then keeps using for forward. Lava
// documents the spend key only for its unified endpoints, so the refusal is learnt, not
// assumed. Pure apart from the one remembered fact.
#pragma once

#include <atomic>
#include <optional>
#include <string_view>
#include <vector>

#include "gateway/lava_refusal.h"

namespace lava_mcp::gateway {

enum class Credential { kSpendKey, kForwardToken };

// "spend_key" or "forward_token", as the attempt record says.
std::string_view credential_name(Credential credential);

// What this process has learnt about /v1/forward. Shared by all calls; thread-safe.
class ForwardCredentialMemory {
 public:
  bool refuses_spend_keys() const { return refuses_spend_keys_.load(); }
  void remember_spend_key_refused() { refuses_spend_keys_.store(true); }

 private:
  std::atomic<bool> refuses_spend_keys_{false};
};

struct KnownKeys {
  bool spend_key = false;
  bool secret_key = false;
};

// The credentials to try on one attempt, in order (one or two); empty when neither key is known.
std::vector<Credential> credentials_for(bool unified, const KnownKeys& keys,
                                        const ForwardCredentialMemory& memory);

// Whether a refused spend key is worth one more try with the forward token: a 401 or 403 that
// refuses the credential itself, not one of the key's limits, its pause or its allow-lists
// (the token would get round those, and the key's limits are the point of sending it). Lava's
// refusal bodies are not documented, so a 401/403 in a provider's shape counts too: a wrong
// guess costs one round trip.
bool falls_back_to_token(int status, const std::optional<LavaRefusal>& refusal);

}  // namespace lava_mcp::gateway
