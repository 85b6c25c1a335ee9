#include "gateway/lava_refusal.h"

#include <doctest/doctest.h>

#include <map>

namespace lava_mcp::gateway {
namespace {

constexpr const char* kApp = "https://www.lava.so";

struct Case {
  const char* name;
  int status;
  const char* body;
  std::map<std::string, std::string> headers;
  std::optional<LavaRefusalKind> expected;  // nullopt: the provider's own error
  bool stops = true;
  const char* fix_word = "";  // a word the fix must hold
};

// Every decided case of docs/lava-errors.md, in its order.
const Case kCases[] = {
    {"invalid key (Lava's string shape)",
     401,
     R"({"error":"invalid forward token"})",
     {},
     LavaRefusalKind::kInvalidKey,
     true,
     "login"},
    {"revoked spend key",
     403,
     R"({"error":"Spend key revoked"})",
     {},
     LavaRefusalKind::kInvalidKey,
     true,
     "login"},
    {"paused spend key",
     403,
     R"({"error":"This spend key is paused"})",
     {},
     LavaRefusalKind::kKeyPaused,
     true,
     "resume"},
    {"insufficient balance, 402",
     402,
     R"({"error":"Insufficient balance"})",
     {},
     LavaRefusalKind::kInsufficientBalance,
     true,
     "add funds"},
    {"insufficient balance, 403 wording only",
     403,
     R"({"error":"Wallet has insufficient funds"})",
     {},
     LavaRefusalKind::kInsufficientBalance,
     true,
     "Wallet"},
    {"spend limit (observed message)",
     403,
     R"({"error":"Service key spend limit exceeded."})",
     {},
     LavaRefusalKind::kSpendLimit,
     true,
     "raise"},
    {"request limit",
     429,
     R"({"error":"Request limit reached for this cycle"})",
     {},
     LavaRefusalKind::kRequestLimit,
     true,
     "raise"},
    {"Lava's own 429",
     429,
     R"({"error":"Too many requests"})",
     {},
     LavaRefusalKind::kRateLimit,
     true,
     "wait"},
    {"model not allowed for the key",
     403,
     R"({"error":"Model gpt-4o is not allowed for this spend key"})",
     {},
     LavaRefusalKind::kNotAllowed,
     false,
     "allowed_models"},
    {"provider not allowed for the key",
     403,
     R"({"error":"provider anthropic not in allowed_providers"})",
     {},
     LavaRefusalKind::kNotAllowed,
     false,
     "allowed_providers"},
    {"Lava error as an object with a lava type",
     402,
     R"({"error":{"message":"Insufficient balance","type":"lava_error"}})",
     {},
     LavaRefusalKind::kInsufficientBalance,
     true,
     "add funds"},
    {"an x-lava-error header marks Lava whatever the body",
     401,
     "",
     {{"x-lava-error", "invalid key"}},
     LavaRefusalKind::kInvalidKey,
     true,
     "login"},
    {"OpenAI's own 401 stays the provider's",
     401,
     R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}})",
     {},
     std::nullopt},
    {"Anthropic's own 429 stays the provider's",
     429,
     R"({"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}})",
     {},
     std::nullopt},
    {"Gemini's own 403 stays the provider's",
     403,
     R"({"error":{"code":403,"message":"Method doesn't allow unregistered callers","status":"PERMISSION_DENIED"}})",
     {},
     std::nullopt},
    {"DeepSeek's own 402 stays the provider's",
     402,
     R"({"error":{"message":"Insufficient Balance","type":"unknown_error"}})",
     {},
     std::nullopt},
    {"a request id alone is no refusal",
     429,
     R"({"error":{"message":"slow down"}})",
     {{"x-lava-request-id", "req_1"}},
     std::nullopt},
    {"400 in Lava's shape is the request's fault, not a refusal",
     400,
     R"({"error":"u must be an https URL"})",
     {},
     std::nullopt},
    {"5xx is never a refusal", 503, R"({"error":"upstream unavailable"})", {}, std::nullopt},
    {"a body that is not JSON", 401, "<html>401</html>", {}, std::nullopt},
};

TEST_CASE("lava refusal: each documented and plausible case, told apart from the provider's") {
  for (const Case& c : kCases) {
    CAPTURE(c.name);
    const auto headers = c.headers;
    const auto got = classify_lava_refusal(
        c.status, c.body,
        [&](std::string_view name) {
          const auto it = headers.find(std::string(name));
          return it == headers.end() ? std::string() : it->second;
        },
        kApp);
    REQUIRE(got.has_value() == c.expected.has_value());
    if (!got) {
      continue;
    }
    CHECK(got->kind == *c.expected);
    CHECK(got->stops_chain == c.stops);
    CHECK(got->fix.find(c.fix_word) != std::string::npos);
  }
}

TEST_CASE("lava refusal: the description names Lava, the status, the fix and Lava's words") {
  const auto refusal =
      classify_lava_refusal(402, R"({"error":"Insufficient balance"})", nullptr, kApp);
  REQUIRE(refusal);
  const std::string text = describe_refusal(402, *refusal);
  CHECK(text.find("Lava refused the request (HTTP 402)") == 0);
  CHECK(text.find("https://www.lava.so") != std::string::npos);
  CHECK(text.find("Lava said: Insufficient balance") != std::string::npos);
}

}  // namespace
}  // namespace lava_mcp::gateway
