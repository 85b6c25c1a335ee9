#include "gateway/credential_route.h"

namespace lava_mcp::gateway {

std::string_view credential_name(Credential credential) {
  return credential == Credential::kSpendKey ? "spend_key" : "forward_token";
}

std::vector<Credential> credentials_for(bool unified, const KnownKeys& keys,
                                        const ForwardCredentialMemory& memory) {
  std::vector<Credential> out;
  const bool spend_key_first =
      keys.spend_key && (unified || !keys.secret_key || !memory.refuses_spend_keys());
  if (spend_key_first) {
    out.push_back(Credential::kSpendKey);
  }
  if (keys.secret_key && !(unified && spend_key_first)) {
    out.push_back(Credential::kForwardToken);
  }
  return out;
}

bool falls_back_to_token(int status, const std::optional<LavaRefusal>& refusal) {
  if (status != 401 && status != 403) {
    return false;
  }
  // Only a refused credential: a paused key, a reached limit or an allow-list are the key's
  // owner's choices, which the token would get round.
  return !refusal || refusal->kind == LavaRefusalKind::kInvalidKey;
}

}  // namespace lava_mcp::gateway
