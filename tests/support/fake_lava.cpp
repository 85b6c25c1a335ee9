#include "support/fake_lava.h"

#include <nlohmann/json.hpp>

namespace lava_mcp::testing {

using Json = nlohmann::json;

FakeLava::FakeLava()
    : own_server_(std::make_unique<FakeUpstream>()), origin_(own_server_->base_url()) {
  add_routes(own_server_->routes());
}

FakeLava::FakeLava(httplib::Server& host, std::string origin) : origin_(std::move(origin)) {
  add_routes(host);
}

void FakeLava::add_routes(httplib::Server& routes) {
  routes.Get("/auth/connect", [this](const httplib::Request& req, httplib::Response& res) {
    std::string code;
    {
      std::lock_guard lock(mutex_);
      code = "code-" + std::to_string(next_code_++);
    }
    const std::string state = redirect == Redirect::kWrongState ? "0123456789abcdef0123456789abcdef"
                                                                : req.get_param_value("state");
    std::string target =
        "http://127.0.0.1:" + req.get_param_value("port") + "/callback?state=" + state;
    if (redirect != Redirect::kNoCode) {
      target += "&code=" + code;
    }
    res.set_redirect(target);
  });
  routes.Post("/v1/auth/callback", [this](const httplib::Request& req, httplib::Response& res) {
    ++exchanges;
    while (exchange_hangs) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const Json body = Json::parse(req.body, nullptr, false);
    const std::string code = body.is_object() ? body.value("code", "") : "";
    std::lock_guard lock(mutex_);
    if (code.rfind("code-", 0) != 0 || !used_codes_.insert(code).second) {
      res.status = 400;
      res.set_content(R"({"error":{"message":"Invalid or expired code"}})", "application/json");
      return;
    }
    res.set_content(Json{{"secret_key", kSecretKey},
                         {"secret_key_id", "sk_id_1"},
                         {"wallet_id", "wal_1"},
                         {"merchant_id", "mer_1"},
                         {"account_id", "acc_1"}}
                        .dump(),
                    "application/json");
  });
  routes.Post("/v1/spend_keys", [this](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mutex_);
      last_spend_key_body_ = req.body;
    }
    if (req.get_header_value("Authorization") != std::string("Bearer ") + kSecretKey) {
      res.status = 401;
      res.set_content(R"({"error":"unauthorized"})", "application/json");
      return;
    }
    if (spend_keys_fail) {
      res.status = 500;
      res.set_content(R"({"error":"spend keys are down"})", "application/json");
      return;
    }
    ++spend_keys_created;
    res.set_content(
        Json{{"key", kSpendKey}, {"spend_key_id", "spk_1"}, {"key_preview", "lava_sk_FAKE****"}}
            .dump(),
        "application/json");
  });
  const auto authorized = [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == std::string("Bearer ") + kSecretKey) {
      return true;
    }
    res.status = 401;
    res.set_content(R"({"error":"unauthorized"})", "application/json");
    return false;
  };
  // RestUsage and RestSpendKey of SDK 11.2.0, with the fields as that SDK types them.
  routes.Get("/v1/usage", [this, authorized](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mutex_);
      last_usage_start_ = req.get_param_value("start");
    }
    if (!authorized(req, res)) {
      return;
    }
    if (!req.has_param("start")) {
      res.status = 400;
      res.set_content(R"({"error":"start is required"})", "application/json");
      return;
    }
    const Json day = {{"date", "2026-12-01"},
                      {"start", "2026-12-01T00:00:00.000Z"},
                      {"end", "2026-12-02T00:00:00.000Z"},
                      {"total_requests", 42},
                      {"total_usage_tokens", 12345},
                      {"total_cost", "1.25"},
                      {"total_charge", "1.50"}};
    const Json totals = {{"total_requests", 42},
                         {"total_usage_tokens", 12345},
                         {"total_cost", "1.25"},
                         {"total_charge", "1.50"}};
    res.set_content(Json{{"items", Json::array({day})}, {"totals", totals}}.dump(),
                    "application/json");
  });
  routes.Get(R"(/v1/spend_keys/([^/]+))",
             [authorized](const httplib::Request& req, httplib::Response& res) {
               if (!authorized(req, res)) {
                 return;
               }
               if (req.matches[1] != "spk_1") {
                 res.status = 404;
                 res.set_content(R"({"error":"spend key not found"})", "application/json");
                 return;
               }
               res.set_content(Json{{"spend_key_id", "spk_1"},
                                    {"key_preview", "lava_sk_FAKE****"},
                                    {"name", "lava-mcp (test)"},
                                    {"status", "active"},
                                    {"request_shape", "openai"},
                                    {"wallet_id", "wal_1"},
                                    {"allowed_models", nullptr},
                                    {"allowed_providers", nullptr},
                                    {"spend_limit", {{"amount", "10.00"}, {"cycle", "monthly"}}},
                                    {"current_spend", "3.20"},
                                    {"total_spend", "7.90"},
                                    {"request_limit", nullptr},
                                    {"current_requests", 17},
                                    {"total_requests", 60},
                                    {"rate_limit", nullptr},
                                    {"expires_at", nullptr},
                                    {"last_used_at", nullptr},
                                    {"created_at", "2026-11-01T00:00:00.000Z"}}
                                   .dump(),
                               "application/json");
             });
}

std::string FakeLava::last_usage_start() const {
  std::lock_guard lock(mutex_);
  return last_usage_start_;
}

std::string FakeLava::last_spend_key_body() const {
  std::lock_guard lock(mutex_);
  return last_spend_key_body_;
}

}  // namespace lava_mcp::testing
