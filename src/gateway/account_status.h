// What Lava says about the configured account: whether the keys work, the spend key's spend
// against its limit (GET /v1/spend_keys/{id}) and this month's usage totals (GET /v1/usage,
// fields as the SDK's RestUsage). One fetch for `lava-mcp status`, the lava://account resource
// and the login tool's already_authenticated answer. Keys appear only as hints.
#pragma once

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/expected.h"
#include "gateway/config.h"
#include "gateway/http_client.h"

namespace lava_mcp::gateway {

// Short: status is for a person waiting at a terminal or an agent reading a resource.
inline constexpr std::chrono::milliseconds kAccountStatusTimeout{5000};

struct SpendKeyFacts {  // RestSpendKey, the fields status shows
  std::string name;
  std::string status;  // active | paused
  std::string current_spend;
  std::string total_spend;
  std::optional<std::string> spend_limit_amount;
  std::string spend_limit_cycle;
  std::optional<long long> request_limit_count;
  std::string request_limit_cycle;
  long long current_requests = 0;
};

struct UsageTotals {  // RestUsage.totals
  std::string start;  // the month's first instant, as sent
  long long total_requests = 0;
  long long total_usage_tokens = 0;
  std::string total_cost;
  std::string total_charge;
};

struct AccountStatus {
  // "ok": Lava accepted the secret key; "refused": it did not (401/403); "error": another
  // failure, which says nothing of the key; "offline": Lava could not be reached; "not_checked": no
  // secret key (a spend key alone cannot be checked without a paid call); "signed_out": no key at
  // all.
  std::string check;
  std::string detail;  // what failed, for refused and offline
  std::string api_origin;
  std::string secret_key_hint;
  std::string spend_key_hint;
  std::optional<SpendKeyFacts> spend_key;
  std::optional<UsageTotals> usage;
};

// "2026-12-01T00:00:00.000Z": the UTC month of `now`, as the SDK's Date.toISOString() writes it.
std::string month_start(std::time_t now);

// Lenient reads of Lava's answers; an error names what is missing.
Expected<SpendKeyFacts> parse_spend_key(const nlohmann::json& body);
Expected<UsageTotals> parse_usage(const nlohmann::json& body, const std::string& start);

// The facts as JSON (the resource and the login answer) and as lines for a person.
nlohmann::json account_status_json(const AccountStatus& status);
std::vector<std::string> account_status_lines(const AccountStatus& status);

// Asks Lava with the secret key: the usage call checks it; the spend key's record follows when
// its id is known. Never fails: what could not be learnt is said in `check` and `detail`.
AccountStatus fetch_account_status(HttpClient& http, const Config& config, std::time_t now,
                                   std::stop_token stop);

}  // namespace lava_mcp::gateway
