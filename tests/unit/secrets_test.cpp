#include "secrets.h"

#include <doctest/doctest.h>

namespace lava_mcp::secrets {
namespace {

TEST_CASE("secrets: hints show the prefix and the last 4 characters only") {
  CHECK(hint("aks_live_0123456789abcdef9f3c") == "aks_live_…9f3c");
  CHECK(hint("lava_sk_0123456789abcdef") == "lava_sk_…cdef");
  CHECK(hint("sk-provider-0123456789wxyz") == "…wxyz");
  CHECK(hint("short") == "…rt");
}

TEST_CASE("secrets: registered values, Lava-shaped keys and bearer tokens are redacted") {
  register_secret("provider-secret-value-123");
  register_secret("tiny");  // too short to register
  const std::string text =
      "key aks_live_ABCDEFGHIJKL1234 spend lava_sk_zzzzzzzzzz99 token provider-secret-value-123 "
      "Authorization: Bearer eyJzZWNyZXQiOiJ4In0= tiny";
  const std::string out = redact(text);
  CHECK(out.find("ABCDEFGHIJKL") == std::string::npos);
  CHECK(out.find("aks_live_…1234") != std::string::npos);
  CHECK(out.find("zzzzzzzzzz") == std::string::npos);
  CHECK(out.find("provider-secret-value") == std::string::npos);
  CHECK(out.find("eyJzZWNyZXQiOiJ4In0") == std::string::npos);
  CHECK(out.find("Bearer …In0=") != std::string::npos);
  CHECK(out.find("tiny") != std::string::npos);
  CHECK(redact(out) == out);  // idempotent
  CHECK(redact("plain text, Bearer of news") == "plain text, Bearer of news");
}

TEST_CASE("secrets: a registered prefix hides every token that starts with it, whole") {
  register_secret_prefix("FaMiLy0123");
  register_secret_prefix("short");  // too short to register
  CHECK(redact("a FaMiLy0123xyz9 b") == "a …xyz9 b");
  CHECK(redact("FaMiLy0123") == "…23");  // the bare start already names the secret
  CHECK(redact("\"FaMiLy0123+/ab==\",FaMiLy0123Q") == "\"…ab==\",…3Q");
  CHECK(redact("FaMiLy012 short shorter") == "FaMiLy012 short shorter");
}

TEST_CASE("secrets: Lava-shaped keys are found wherever they sit, each prefix on its own") {
  // Each prefix alone in a line, at the start, the end, inside JSON, between other underscores.
  for (const char* prefix : {"aks_live_", "aks_test_", "lava_sk_", "lava_wk_"}) {
    const std::string key = std::string(prefix) + "Q1w2E3r4T5y6U7i8";
    for (const std::string& text :
         {key, "x" + key, "{\"snake_case\":\"" + key + "\",\"total_tokens\":1}",
          "a_b_" + key + "_c"}) {
      const std::string out = redact(text);
      CHECK_MESSAGE(out.find("Q1w2E3r4T5y6") == std::string::npos, text);
      CHECK_MESSAGE(out.find(std::string(prefix) + "…") != std::string::npos, text);
    }
  }
  const std::string plain = R"({"finish_reason":"stop","prompt_tokens":20,"usage":"lava"})";
  CHECK(redact(plain) == plain);
}

}  // namespace
}  // namespace lava_mcp::secrets
