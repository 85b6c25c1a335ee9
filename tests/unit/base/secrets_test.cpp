#include "base/secrets.h"

#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "base/base64.h"
#include "gateway/lava_api.h"
#include "tools/http_body.h"

namespace lava_mcp::secrets {
namespace {

// The longest piece of `secret` that `text` holds.
std::size_t longest_piece(const std::string& text, const std::string& secret) {
  std::size_t longest = 0;
  for (std::size_t begin = 0; begin < secret.size(); ++begin) {
    for (std::size_t length = longest + 1; begin + length <= secret.size(); ++length) {
      if (text.find(secret.substr(begin, length)) == std::string::npos) {
        break;
      }
      longest = length;
    }
  }
  return longest;
}

std::string utf16(const std::string& ascii, bool little_endian) {
  std::string out;
  for (const char c : ascii) {
    out += little_endian ? std::string{c, '\0'} : std::string{'\0', c};
  }
  return out;
}

std::string unicode_escaped(const std::string& ascii, const std::string& backslashes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : ascii) {
    out += backslashes + "u00" + kHex[c >> 4] + kHex[c & 15];
  }
  return out;
}

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

TEST_CASE("secrets: any run of 12 characters of a registered secret is hidden, wherever it sits") {
  const std::string key = "aks_live_RunsQ7w8E9r0T1y2U3i4O5p6";
  register_secret(key);
  const std::string middle = key.substr(10, 12);
  const std::string tail = key.substr(key.size() - 16);
  CHECK(longest_piece(redact("x" + middle + "y"), key) < 12);
  CHECK(longest_piece(redact("the tail: " + tail), key) < 12);
  // A key in two pieces, in one text or split across two lines.
  const std::string first = key.substr(0, 17);
  const std::string second = key.substr(17);
  CHECK(longest_piece(redact(first + " and later " + second), key) < 12);
  CHECK(longest_piece(redact(first + "\n" + second), key) < 12);
  CHECK(longest_piece(redact("{\"a\":\"" + first + "\"}\n{\"b\":\"" + second + "\"}"), key) < 12);
  // 11 characters are not a run: ordinary text that shares a few characters stays.
  const std::string eleven = "<" + key.substr(12, 11) + ">";
  CHECK(redact(eleven) == eleven);
  CHECK(redact("x" + middle + "y").find("aks_live_…O5p6") != std::string::npos);  // the key's hint
  // Runs stop at quotes and backslashes, which JSON escapes: the line stays valid JSON.
  const std::string quoted = "prov\"ider\\key-Q1w2E3r4T5y6U7";
  register_secret(quoted);
  const std::string line = nlohmann::json{{"k", quoted}, {"n", 1}}.dump();
  const std::string redacted = redact(line);
  CHECK(longest_piece(redacted, "key-Q1w2E3r4T5y6U7") < 12);
  CHECK_FALSE(nlohmann::json::parse(redacted, nullptr, false).is_discarded());
  CHECK(redact("raw " + quoted) == "raw …y6U7");
}

TEST_CASE(
    "secrets: a registered secret is hidden in base64 at every offset, and in a binary body") {
  const std::string provider_key = "sk-b64-ProviderQ1w2E3r4T5y6";
  register_secret(provider_key);
  for (const std::string before : {"", "a", "ab", "abc", "{\"k\":\""}) {
    const std::string encoded = base64_encode(before + provider_key + "\" tail");
    const std::string out = redact("data:application/octet-stream;base64," + encoded);
    const auto decoded = base64_decode(out.substr(out.find(',') + 1));
    CHECK_MESSAGE(out.find(encoded) == std::string::npos, before);
    CHECK_MESSAGE((!decoded || longest_piece(*decoded, provider_key) < 12), before);
  }
  // A binary body holding the key as bytes, plain and UTF-16: scanned before it is encoded.
  for (const std::string& raw :
       {std::string("\x89PNG\r\n\x1a\n\0\0") + provider_key + "\xff",
        "\xff\xfe" + utf16(provider_key, true), "\xfe\xff" + utf16(provider_key, false)}) {
    const tools::BodyView view = tools::view_body(raw, "image/png", false);
    REQUIRE(view.kind == tools::BodyView::Kind::kBinary);
    const auto decoded = base64_decode(view.text);
    REQUIRE(decoded.has_value());
    std::string without_nuls = *decoded;
    std::erase(without_nuls, '\0');
    CHECK(longest_piece(without_nuls, provider_key) < 12);
  }
}

TEST_CASE("secrets: UTF-16 and \\u-escaped forms of a registered secret are hidden") {
  const std::string key = "lava_sk_EncodedA1s2D3f4G5h6";
  register_secret(key);
  for (const bool little_endian : {true, false}) {
    const std::string out = redact("body: " + utf16(key, little_endian) + " end");
    std::string without_nuls = out;
    std::erase(without_nuls, '\0');
    CHECK(longest_piece(without_nuls, key) < 12);
    CHECK(out.find("body: ") == 0);
    CHECK(out.find(" end") != std::string::npos);
  }
  // The NULs as a JSON writer escapes them.
  std::string json_utf16;
  for (const char c : key) {
    json_utf16 += std::string(1, c) + "\\u0000";
  }
  CHECK(longest_piece(redact("{\"body_text\":\"" + json_utf16 + "\"}"), key) < 12);
  // Escapes in plain text, in JSON text (the backslash escaped), and only some characters.
  CHECK(redact("say " + unicode_escaped(key, "\\") + "!") == "say lava_sk_…G5h6!");
  CHECK(redact("\"" + unicode_escaped(key, "\\\\") + "\"") == "\"lava_sk_…G5h6\"");
  const std::string mixed = "\\u006cava_sk_Enc\\u006fdedA1s2D3f4G5h6";
  CHECK(redact(mixed) == "lava_sk_…G5h6");
  CHECK(redact("C:\\users\\u0020 and \\\\server") == "C:\\users\\u0020 and \\\\server");
}

TEST_CASE("secrets: a forward token cut anywhere that still decodes to the key is hidden") {
  // Key lengths of every remainder mod 3: with `{"secret_key":"<key>"` a multiple of 3 long, the
  // family of whole base64 groups missed a token cut one character short of it, which still
  // decodes to the whole key.
  for (const std::string& key :
       {std::string("aks_test_CutFamilyA1b2C3d4"), std::string("aks_test_CutFamilyA1b2C3d4e"),
        std::string("aks_test_CutFamilyA1b2C3d4e5")}) {
    register_secret(key);  // as the configuration does with every key it reads
    const std::string token = gateway::forward_token(
        key,
        {.customer_id = "cus_1", .meter_slug = "m", .provider_key = {}, .disable_billing = {}});
    for (std::size_t length = 1; length <= token.size(); ++length) {
      const std::string cut = token.substr(0, length);
      const auto decoded = base64_decode(cut);
      REQUIRE(decoded.has_value());
      const std::string out = redact("Authorization: " + cut + " end");
      if (decoded->find(key) != std::string::npos) {
        // The family took the whole cut token, as one.
        CHECK_MESSAGE(out == "Authorization: " + hint(cut) + " end", key << " cut at " << length);
      } else if (length >= 20 + 12) {
        // A shorter cut holds part of the key at most, and no 12 characters of its base64 in a
        // row (the first 20 encode `{"secret_key":"`, every token's start, not secret).
        CHECK_MESSAGE(longest_piece(out, cut.substr(20)) < 12,
                      key << " cut at " << length << ": " << out);
      }
    }
  }
}

TEST_CASE("secrets: documentation placeholders stay, real-looking unregistered keys go") {
  for (const std::string placeholder :
       {"Bearer YOUR_API_KEY_HERE", "Authorization: Bearer <your-key>", "Bearer sk-...",
        "Bearer xxxx", "Bearer sk-XXXXXXXXXXXXXXXX", "Bearer $LAVA_SECRET_KEY",
        "Bearer your-token-here", "Bearer eyJhbGciOi...", "aks_live_xxxxxxxxxxxxxxxx",
        "LAVA_SECRET_KEY=aks_live_YOUR_KEY", "lava_sk_<spend-key>", "Bearer Token",
        "Bearer API_KEY_2"}) {
    CHECK_MESSAGE(redact(placeholder) == placeholder, placeholder);
  }
  for (const std::string real :
       {"Bearer sk-proj-Q1w2e3R4t5Y6u7I8o9P0", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
        "Bearer AbCdEfGhIjKlMnOp", "aks_live_AbCdEf0123456789",
        "Bearer ghp_16C7e42F292c6912E7710c8"}) {
    const std::string out = redact(real);
    CHECK_MESSAGE(out != real, real);
    CHECK_MESSAGE(out.find("…") != std::string::npos, real);
  }
}

// The price of the runs: a 100 KiB line of ordinary JSON with a few registered secrets. Not a
// pass/fail test (no timed assertions); run it by name: unit_tests -tc='*100 KiB*' --no-skip.
TEST_CASE("secrets: redacting a 100 KiB line (measurement)" * doctest::skip()) {
  register_secret("aks_live_MeasureQ1w2E3r4T5y6U7i8");
  register_secret("lava_sk_MeasureA1s2D3f4G5h6");
  register_secret("sk-measure-provider-key-0123456789");
  register_secret_prefix(
      gateway::forward_token("aks_live_MeasureQ1w2E3r4T5y6U7i8", {}).substr(0, 50));
  std::string line = R"({"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":")";
  while (line.size() < 100 * 1024) {
    line +=
        "The quick brown fox_jumps over the lazy dog 0123456789, "
        "{\\\"usage\\\":{\\\"total_tokens\\\":42}} ";
  }
  line += R"("}]}})";
  constexpr int kRounds = 200;
  std::size_t total = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    total += redact(line).size();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  MESSAGE("redact of a " << line.size() << "-byte line: "
                         << std::chrono::duration<double, std::micro>(elapsed).count() / kRounds
                         << " us (" << total << ")");
}

}  // namespace
}  // namespace lava_mcp::secrets
