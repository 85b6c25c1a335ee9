#include "gateway/credential_route.h"

#include <doctest/doctest.h>

namespace lava_mcp::gateway {
namespace {

using C = Credential;

TEST_CASE("credential route: spend key on the unified endpoint, token only without one") {
  ForwardCredentialMemory memory;
  CHECK(credentials_for(true, {true, true}, memory) == std::vector{C::kSpendKey});
  CHECK(credentials_for(true, {false, true}, memory) == std::vector{C::kForwardToken});
  CHECK(credentials_for(true, {true, false}, memory) == std::vector{C::kSpendKey});
  CHECK(credentials_for(true, {false, false}, memory).empty());
  memory.remember_spend_key_refused();  // forward's lesson does not touch the unified endpoint
  CHECK(credentials_for(true, {true, true}, memory) == std::vector{C::kSpendKey});
}

TEST_CASE("credential route: forward tries the spend key, then the token, until it learns") {
  ForwardCredentialMemory memory;
  CHECK(credentials_for(false, {true, true}, memory) ==
        std::vector{C::kSpendKey, C::kForwardToken});
  CHECK(credentials_for(false, {true, false}, memory) == std::vector{C::kSpendKey});
  CHECK(credentials_for(false, {false, true}, memory) == std::vector{C::kForwardToken});
  memory.remember_spend_key_refused();
  CHECK(credentials_for(false, {true, true}, memory) == std::vector{C::kForwardToken});
  CHECK(credentials_for(false, {true, false}, memory) == std::vector{C::kSpendKey});
  CHECK(credential_name(C::kSpendKey) == "spend_key");
  CHECK(credential_name(C::kForwardToken) == "forward_token");
}

TEST_CASE("credential route: only a refused credential falls back, never a limit or allow-list") {
  const auto lava = [](int status, const char* message) {
    return classify_lava_refusal(status, std::string(R"({"error":")") + message + "\"}", nullptr,
                                 "https://www.lava.so");
  };
  CHECK(falls_back_to_token(401, lava(401, "invalid credential")));
  CHECK(falls_back_to_token(403, lava(403, "spend keys are not accepted here")));
  CHECK(falls_back_to_token(401, std::nullopt));  // a 401 in a provider's shape: one round trip
  CHECK_FALSE(falls_back_to_token(403, lava(403, "Service key spend limit exceeded.")));
  CHECK_FALSE(falls_back_to_token(403, lava(403, "model x is not allowed for this key")));
  CHECK_FALSE(falls_back_to_token(403, lava(403, "spend key is paused")));
  CHECK_FALSE(falls_back_to_token(402, lava(402, "Insufficient balance")));
  CHECK_FALSE(falls_back_to_token(429, std::nullopt));
  CHECK_FALSE(falls_back_to_token(500, std::nullopt));
}

}  // namespace
}  // namespace lava_mcp::gateway
