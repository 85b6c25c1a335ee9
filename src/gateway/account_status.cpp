#include "gateway/account_status.h"

#include "base/bounded_json.h"
#include "base/secrets.h"
#include "gateway/lava_account.h"
#include "gateway/url.h"

namespace lava_mcp::gateway {
namespace {

using Json = nlohmann::json;

std::string text_of(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) {
    return "";
  }
  return it->is_string() ? it->get<std::string>() : it->is_number() ? it->dump() : "";
}

long long count_of(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<long long>() : 0;
}

// A limit object {amount|count, cycle} or null.
const Json* limit_of(const Json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_object() ? &*it : nullptr;
}

struct Answer {
  int status = 0;
  Json body;
};

Expected<Answer> get(HttpClient& http, const std::string& url, const std::string& secret_key,
                     std::stop_token stop) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  // As the SDK sends every management call.
  request.headers = {{"Authorization", "Bearer " + secret_key},
                     {"Content-Type", "application/json"}};
  request.timeout = kAccountStatusTimeout;
  request.max_response_bytes = 1u << 20;
  auto response = http.send(request, stop);
  if (!response) {
    return fail(response.error());
  }
  if (response->status < 200 || response->status >= 300) {
    return Answer{response->status, lava_error_text(response->status, response->body)};
  }
  return Answer{response->status, parse_bounded_json(response->body)};
}

}  // namespace

std::string month_start(std::time_t now) {
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m", &utc);
  return std::string(text) + "-01T00:00:00.000Z";
}

Expected<SpendKeyFacts> parse_spend_key(const Json& body) {
  if (!body.is_object() || !body.contains("current_spend")) {
    return fail(error_code::kInternalError, "the spend key answer has no current_spend");
  }
  SpendKeyFacts facts;
  facts.name = text_of(body, "name");
  facts.status = text_of(body, "status");
  facts.current_spend = text_of(body, "current_spend");
  facts.total_spend = text_of(body, "total_spend");
  if (const Json* limit = limit_of(body, "spend_limit")) {
    facts.spend_limit_amount = text_of(*limit, "amount");
    facts.spend_limit_cycle = text_of(*limit, "cycle");
  }
  if (const Json* limit = limit_of(body, "request_limit")) {
    facts.request_limit_count = count_of(*limit, "count");
    facts.request_limit_cycle = text_of(*limit, "cycle");
  }
  facts.current_requests = count_of(body, "current_requests");
  return facts;
}

Expected<UsageTotals> parse_usage(const Json& body, const std::string& start) {
  const auto totals = body.is_object() ? body.find("totals") : body.end();
  if (!body.is_object() || totals == body.end() || !totals->is_object()) {
    return fail(error_code::kInternalError, "the usage answer has no totals");
  }
  UsageTotals out;
  out.start = start;
  out.total_requests = count_of(*totals, "total_requests");
  out.total_usage_tokens = count_of(*totals, "total_usage_tokens");
  out.total_cost = text_of(*totals, "total_cost");
  out.total_charge = text_of(*totals, "total_charge");
  return out;
}

Json account_status_json(const AccountStatus& status) {
  Json out = {{"check", status.check}, {"api_url", status.api_origin}};
  if (!status.detail.empty()) out["detail"] = status.detail;
  if (!status.secret_key_hint.empty()) out["secret_key_hint"] = status.secret_key_hint;
  if (!status.spend_key_hint.empty()) out["spend_key_hint"] = status.spend_key_hint;
  if (const auto& key = status.spend_key) {
    Json spend = {{"name", key->name},
                  {"status", key->status},
                  {"current_spend", key->current_spend},
                  {"total_spend", key->total_spend},
                  {"current_requests", key->current_requests}};
    spend["spend_limit"] = key->spend_limit_amount ? Json{{"amount", *key->spend_limit_amount},
                                                          {"cycle", key->spend_limit_cycle}}
                                                   : Json();
    spend["request_limit"] = key->request_limit_count ? Json{{"count", *key->request_limit_count},
                                                             {"cycle", key->request_limit_cycle}}
                                                      : Json();
    out["spend_key"] = std::move(spend);
  }
  if (const auto& usage = status.usage) {
    out["usage_this_month"] = {{"start", usage->start},
                               {"total_requests", usage->total_requests},
                               {"total_usage_tokens", usage->total_usage_tokens},
                               {"total_cost", usage->total_cost},
                               {"total_charge", usage->total_charge}};
  }
  return out;
}

std::vector<std::string> account_status_lines(const AccountStatus& status) {
  std::vector<std::string> lines;
  if (status.check == "ok") {
    lines.push_back("Lava check:       the secret key works");
  } else if (status.check == "refused") {
    lines.push_back("Lava check:       refused: " + status.detail +
                    " (run `lava-mcp login`, or set LAVA_SECRET_KEY)");
  } else if (status.check == "error") {
    lines.push_back("Lava check:       failed: " + status.detail);
  } else if (status.check == "offline") {
    lines.push_back("Lava check:       offline, Lava could not be reached: " + status.detail);
  } else if (status.check == "not_checked") {
    lines.push_back(
        "Lava check:       not checked (a spend key alone cannot be checked without "
        "a paid call; a secret key can)");
  }
  if (const auto& key = status.spend_key) {
    std::string line = "spend key use:    " + key->current_spend + " spent";
    line += key->spend_limit_amount
                ? " of " + *key->spend_limit_amount + " (" + key->spend_limit_cycle + ")"
                : " (no spend limit)";
    line += ", " + std::to_string(key->current_requests) + " requests";
    if (key->request_limit_count) {
      line += " of " + std::to_string(*key->request_limit_count) + " (" + key->request_limit_cycle +
              ")";
    }
    line += ", " + key->status;
    lines.push_back(line);
  }
  if (const auto& usage = status.usage) {
    lines.push_back("this month:       " + std::to_string(usage->total_requests) + " requests, " +
                    std::to_string(usage->total_usage_tokens) + " tokens, cost " +
                    usage->total_cost + ", charged " + usage->total_charge + " (since " +
                    usage->start.substr(0, 10) + ")");
  }
  return lines;
}

AccountStatus fetch_account_status(HttpClient& http, const Config& config, std::time_t now,
                                   std::stop_token stop) {
  AccountStatus status;
  status.api_origin = config.api_origin;
  if (!config.secret_key.empty()) status.secret_key_hint = secrets::hint(config.secret_key);
  if (!config.spend_key.empty()) status.spend_key_hint = secrets::hint(config.spend_key);
  if (config.secret_key.empty()) {
    status.check = config.spend_key.empty() ? "signed_out" : "not_checked";
    return status;
  }
  const std::string start = month_start(now);
  auto usage = get(http, config.api_url() + "/usage?start=" + percent_encode(start),
                   config.secret_key, stop);
  if (!usage) {
    status.check = "offline";
    status.detail = usage.error().message;
    return status;
  }
  if (usage->status < 200 || usage->status >= 300) {
    // Only 401 and 403 say the key is refused; any other failure says nothing of it.
    status.check = usage->status == 401 || usage->status == 403 ? "refused" : "error";
    status.detail = usage->body.get<std::string>();
    return status;
  }
  status.check = "ok";
  if (auto totals = parse_usage(usage->body, start)) {
    status.usage = std::move(*totals);
  } else {
    status.detail = totals.error().message;
  }
  const std::string spend_key_id = config.stored ? config.stored->spend_key_id : "";
  if (spend_key_id.empty()) {
    return status;
  }
  auto key = get(http, config.api_url() + "/spend_keys/" + percent_encode(spend_key_id),
                 config.secret_key, stop);
  if (!key) {
    status.detail = "the spend key's record could not be read: " + key.error().message;
  } else if (key->status < 200 || key->status >= 300) {
    status.detail = "the spend key's record could not be read: " + key->body.get<std::string>();
  } else if (auto facts = parse_spend_key(key->body)) {
    status.spend_key = std::move(*facts);
  } else {
    status.detail = facts.error().message;
  }
  return status;
}

}  // namespace lava_mcp::gateway
