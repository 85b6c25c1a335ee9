// A fake Lava web app and API on loopback, for login tests: /auth/connect redirects to the local
// callback; /v1/auth/callback exchanges single-use codes; /v1/spend_keys creates keys;
// /v1/usage and /v1/spend_keys/{id} answer the account status with the secret key.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "support/fake_upstream.h"

namespace lava_mcp::testing {

class FakeLava {
 public:
  FakeLava();
  // Registers the same routes on another server (one origin for app, API and gateway).
  FakeLava(httplib::Server& host, std::string origin);
  // A hanging exchange ends, then the own server stops (joining its handlers) here, while the
  // state they write is still alive: as a member it would outlive that state.
  ~FakeLava() {
    exchange_hangs = false;
    own_server_.reset();
  }
  std::string origin() const { return origin_; }

  // What /auth/connect does with the state it was given.
  enum class Redirect { kGood, kWrongState, kNoCode };
  std::atomic<Redirect> redirect{Redirect::kGood};
  std::atomic<bool> spend_keys_fail{false};
  std::atomic<bool> exchange_hangs{false};  // /v1/auth/callback answers only once it is cleared
  std::atomic<int> exchanges{0};
  std::atomic<int> spend_keys_created{0};
  std::string last_spend_key_body() const;
  std::string last_usage_start() const;  // the start= of the last GET /v1/usage

  static constexpr const char* kSecretKey = "aks_test_FAKELAVASECRET000123";
  static constexpr const char* kSpendKey = "lava_sk_FAKELAVASPEND000456";

 private:
  void add_routes(httplib::Server& routes);
  std::unique_ptr<FakeUpstream> own_server_;
  std::string origin_;
  mutable std::mutex mutex_;
  std::set<std::string> used_codes_;
  std::string last_spend_key_body_;
  std::string last_usage_start_;
  int next_code_ = 1;
};

}  // namespace lava_mcp::testing
