#include "gateway/lava_api.h"

#include <doctest/doctest.h>

#include "base/base64.h"
#include "base/secrets.h"

namespace lava_mcp::gateway {
namespace {

TEST_CASE("forward token: compact JSON in the SDK's key order, absent fields left out") {
  CHECK(*base64_decode(forward_token("aks_live_k", {})) == R"({"secret_key":"aks_live_k"})");
  Billing all{"cus_1", "meter-a", "sk-provider", true};
  CHECK(
      *base64_decode(forward_token("aks_live_k", all)) ==
      R"({"secret_key":"aks_live_k","customer_id":"cus_1","meter_slug":"meter-a","provider_key":"sk-provider","disable_billing":true})");
  Billing meter_only;
  meter_only.meter_slug = "m";
  CHECK(*base64_decode(forward_token("aks_live_k", meter_only)) ==
        R"({"secret_key":"aks_live_k","meter_slug":"m"})");
  // Standard base64 of the docs' minimal example.
  CHECK(forward_token("aks_live_abc", {}) == "eyJzZWNyZXRfa2V5IjoiYWtzX2xpdmVfYWJjIn0=");
}

TEST_CASE("forward token: the kept token of the last key is never another key's") {
  for (int round = 0; round < 2; ++round) {
    for (const char* key : {"aks_live_first", "aks_live_second", "aks_live_second"}) {
      CHECK(*base64_decode(forward_token(key, {})) ==
            std::string(R"({"secret_key":")") + key + R"("})");
      CHECK(secrets::redact(forward_token(key, {})).find("eyJ") == std::string::npos);
    }
  }
}

TEST_CASE("forward tokens are redacted whole, whatever billing they carry") {
  // Keys of every length modulo 3, so the shared start ends at each position of a base64 group;
  // one with a quote and a backslash, which the token's JSON escapes.
  for (const std::string key :
       {"aks_live_family1", "aks_live_family12", "aks_live_family123", R"(aks_"live\family)"}) {
    for (const char* customer : {"cus_1", "cus_second", "cus_third_with_a_long_id"}) {
      const std::string token =
          forward_token(key, {customer, "meter-a", std::nullopt, std::nullopt});
      const std::string text = "upstream said: token=" + token + "&x=1, also \"" + token + "\"";
      const std::string out = secrets::redact(text);
      CHECK_MESSAGE(out == "upstream said: token=" + secrets::hint(token) + "&x=1, also \"" +
                               secrets::hint(token) + "\"",
                    key, " ", customer, ": ", out);
      // A token cut short (a truncated echo) still goes: its start holds the key.
      const std::string cut = token.substr(0, token.size() * 2 / 3);
      CHECK(secrets::redact("[" + cut + "]").find(cut) == std::string::npos);
    }
  }
  // A token of a key never seen is no family's (the rules for Lava-shaped keys do not see inside
  // base64 either).
  const std::string other = base64_encode(R"({"secret_key":"zz_never_registered"})");
  CHECK(secrets::redact(other) == other);
}

TEST_CASE("billing rules follow Lava's forward token") {
  Billing customer_without_meter;
  customer_without_meter.customer_id = "c";
  CHECK_FALSE(check_billing(customer_without_meter));
  CHECK(check_billing(customer_without_meter).error().message.find("meter_slug") !=
        std::string::npos);
  Billing disable_alone;
  disable_alone.disable_billing = true;
  CHECK_FALSE(check_billing(disable_alone));
  Billing ok{"c", "m", std::nullopt, true};
  CHECK(check_billing(ok));
}

TEST_CASE("forward and rewrite URLs") {
  CHECK(forward_url("https://api.lava.so", "https://google.serper.dev/search?q=a b&x=1") ==
        "https://api.lava.so/v1/"
        "forward?u=https%3A%2F%2Fgoogle.serper.dev%2Fsearch%3Fq%3Da%20b%26x%3D1");
  CHECK(rewrite_url("https://api.lava.so", "openai", "https://api.anthropic.com/v1/messages") ==
        "https://api.lava.so/v1/rewrite/openai/api.anthropic.com/v1/messages");
}

TEST_CASE("bearer: forward token from the secret key, else the spend key, else not logged in") {
  Config config;
  config.secret_key = "aks_live_secret";
  config.spend_key = "lava_sk_spend";
  auto token = gateway_bearer(config, {});
  REQUIRE(token);
  CHECK(*base64_decode(*token) == R"({"secret_key":"aks_live_secret"})");
  config.secret_key.clear();
  CHECK(*gateway_bearer(config, {}) == "lava_sk_spend");
  Billing meter;
  meter.meter_slug = "m";
  auto refused = gateway_bearer(config, meter);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("secret key") != std::string::npos);
  config.spend_key.clear();
  auto none = gateway_bearer(config, {});
  REQUIRE_FALSE(none);
  CHECK(none.error().message == kNotLoggedIn);
}

}  // namespace
}  // namespace lava_mcp::gateway
