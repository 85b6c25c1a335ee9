// The key's model list (lava-api.md 7.3): asked with the key, kept per key and origin, a failed
// answer not kept; and the id match that accepts a dated snapshot for its alias.
#include "gateway/key_models.h"

#include <doctest/doctest.h>

#include <atomic>

#include "gateway/curl_http_client.h"
#include "support/fake_upstream.h"

namespace lava_mcp::gateway {
namespace {

using Clock = std::chrono::steady_clock;

TEST_CASE("key models: a dated snapshot matches its alias both ways, nothing else does") {
  const KeyModels::Listed listed = {{"claude-haiku-4-5-20251001", "anthropic"},
                                    {"gpt-4o", "openai"},
                                    {"openai/gpt-oss-20b", "groq"}};
  CHECK(lists_model(listed, "claude-haiku-4-5"));
  CHECK(lists_model(listed, "claude-haiku-4-5-20251001"));
  CHECK(lists_model(listed, "gpt-4o-2024-08-06"));
  CHECK(lists_model(listed, "openai/gpt-oss-20b"));
  CHECK_FALSE(lists_model(listed, "gpt-4o-mini"));  // another model, not a snapshot
  CHECK_FALSE(lists_model(listed, "claude-haiku-4"));
  CHECK_FALSE(lists_model(listed, "gpt"));
}

TEST_CASE("key models: kept per key, asked again for another key, a failure not kept") {
  testing::FakeUpstream lava;
  std::atomic<int> asked{0};
  std::atomic<bool> answer{false};
  lava.routes().Get("/v1/models", [&](const httplib::Request& req, httplib::Response& res) {
    ++asked;
    if (!answer) {
      res.status = 503;
      return;
    }
    const bool spend = req.get_header_value("Authorization") == "Bearer lava_sk_KEYMODELS01";
    res.set_content(spend ? R"({"object":"list","data":[{"id":"gpt-5-mini","owned_by":"openai"}]})"
                          : R"({"object":"list","data":[]})",
                    "application/json");
  });
  CurlHttpClient http;
  KeyModels models(http);
  const auto deadline = [] { return Clock::now() + std::chrono::seconds(5); };
  const std::string origin = lava.base_url();

  CHECK_FALSE(models.fetch(origin, "lava_sk_KEYMODELS01", deadline(), {}).has_value());
  CHECK_FALSE(models.kept(origin, "lava_sk_KEYMODELS01").has_value());  // the failure is not kept
  answer = true;
  const auto listed = models.fetch(origin, "lava_sk_KEYMODELS01", deadline(), {});
  REQUIRE(listed.has_value());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].first == "gpt-5-mini");
  CHECK(models.fetch(origin, "lava_sk_KEYMODELS01", deadline(), {})->size() == 1);
  CHECK(asked == 2);  // the second answer was kept
  CHECK(models.fetch(origin, "aks_test_OTHERKEY", deadline(), {})->empty());
  CHECK(asked == 3);
  CHECK_FALSE(models.kept("http://127.0.0.1:1", "lava_sk_KEYMODELS01").has_value());
}

}  // namespace
}  // namespace lava_mcp::gateway
