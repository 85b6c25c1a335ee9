#include "gateway/account_status.h"

#include <doctest/doctest.h>

#include "support/json_mutants.h"

namespace lava_mcp::gateway {
namespace {

using Json = nlohmann::json;

TEST_CASE("account status: the month starts as the SDK's toISOString writes it, in UTC") {
  CHECK(month_start(1796126400) == "2026-12-01T00:00:00.000Z");  // 2026-12-01T12:00:00Z
  CHECK(month_start(1798761599) == "2026-12-01T00:00:00.000Z");  // the month's last second
  CHECK(month_start(1798761600) == "2027-01-01T00:00:00.000Z");
}

TEST_CASE("account status: RestSpendKey and RestUsage read leniently, limits may be null") {
  const Json key = {{"name", "k"},
                    {"status", "paused"},
                    {"current_spend", "0.50"},
                    {"total_spend", "2.00"},
                    {"spend_limit", nullptr},
                    {"request_limit", {{"count", 1000}, {"cycle", "daily"}}},
                    {"current_requests", 12}};
  auto facts = parse_spend_key(key);
  REQUIRE(facts);
  CHECK_FALSE(facts->spend_limit_amount);
  CHECK(facts->request_limit_count == 1000);
  CHECK_FALSE(parse_spend_key(Json{{"error", "x"}}));
  auto usage = parse_usage({{"items", Json::array()},
                            {"totals",
                             {{"total_requests", 3},
                              {"total_usage_tokens", 9},
                              {"total_cost", "0.01"},
                              {"total_charge", "0.02"}}}},
                           "2026-12-01T00:00:00.000Z");
  REQUIRE(usage);
  CHECK(usage->total_usage_tokens == 9);
  CHECK_FALSE(parse_usage(Json::array(), ""));

  AccountStatus status;
  status.check = "ok";
  status.spend_key = *facts;
  status.usage = *usage;
  const auto lines = account_status_lines(status);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1] ==
        "spend key use:    0.50 spent (no spend limit), 12 requests of 1000 (daily), paused");
  CHECK(lines[2] ==
        "this month:       3 requests, 9 tokens, cost 0.01, charged 0.02 (since 2026-12-01)");
  const Json json = account_status_json(status);
  CHECK(json["spend_key"]["spend_limit"].is_null());
  CHECK(json["spend_key"]["request_limit"]["count"] == 1000);
}

// Lava's records as the API documents them, changed in every one-item way: each reads or is
// refused, and whatever reads is shown, without a throw.
TEST_CASE("account status: every one-item change of Lava's records reads or is refused") {
  const Json key = {{"spend_key_id", "spk_1"},
                    {"name", "k"},
                    {"status", "active"},
                    {"spend_limit", {{"amount", "10.00"}, {"cycle", "monthly"}}},
                    {"current_spend", "3.20"},
                    {"total_spend", "7.90"},
                    {"request_limit", {{"count", 1000}, {"cycle", "daily"}}},
                    {"current_requests", 17}};
  const Json usage = {{"items", Json::array({{{"date", "2026-12-01"}, {"total_requests", 1}}})},
                      {"totals",
                       {{"total_requests", 42},
                        {"total_usage_tokens", 12345},
                        {"total_cost", "1.25"},
                        {"total_charge", "1.50"}}}};
  std::size_t mutants = 0;
  const auto shown = [](AccountStatus status) {
    status.check = "ok";
    return account_status_lines(status).size() + account_status_json(status).size();
  };
  testing::each_mutant(nlohmann::ordered_json::parse(key.dump()), [&](const std::string& mutant) {
    ++mutants;
    AccountStatus status;
    CHECK_NOTHROW(if (auto facts = parse_spend_key(Json::parse(mutant))) {
      status.spend_key = *facts;
      shown(status);
    });
  });
  testing::each_mutant(nlohmann::ordered_json::parse(usage.dump()), [&](const std::string& mutant) {
    ++mutants;
    AccountStatus status;
    CHECK_NOTHROW(if (auto totals = parse_usage(Json::parse(mutant), "2026-12-01T00:00:00.000Z")) {
      status.usage = *totals;
      shown(status);
    });
  });
  CHECK(mutants > 300 / testing::kNearMissStride);
}

}  // namespace
}  // namespace lava_mcp::gateway
