// The browser login of tools.md section 3.1: a callback listener on 127.0.0.1, a CSPRNG state,
// the SDK's callback rules, code exchange, spend-key provisioning and credential storage.
// One flow at a time per process; later login calls join it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "base/expected.h"
#include "gateway/browser.h"
#include "gateway/callback_listener.h"
#include "gateway/config.h"
#include "gateway/credentials.h"
#include "gateway/http_client.h"

namespace lava_mcp::gateway {

inline constexpr std::chrono::minutes kLoginLifetime{10};

// 32 lowercase hex characters from OpenSSL's CSPRNG.
std::string random_state();

struct LoginOutcome {
  bool ok = false;
  std::string error;            // when !ok: what failed and what to do
  Credentials credentials;      // when ok: what was stored
  std::string spend_key_error;  // ok, but no spend key could be provisioned (secret key kept)
};

class LoginFlow {
 public:
  enum class Status { kWaiting, kDone };
  ~LoginFlow();
  LoginFlow(const LoginFlow&) = delete;
  LoginFlow& operator=(const LoginFlow&) = delete;

  // Binds the listener and starts waiting; error when 127.0.0.1 cannot be bound.
  static Expected<std::shared_ptr<LoginFlow>> start(HttpClient& http, const Config& config,
                                                    std::chrono::milliseconds lifetime,
                                                    const std::string& listen_host = "127.0.0.1");

  const std::string& url() const { return url_; }
  const std::string& elicitation_id() const { return elicitation_id_; }
  int port() const { return port_; }
  std::chrono::seconds expires_in() const;

  // Waits until the flow ends, `timeout` passes or `stop` fires.
  Status wait(std::chrono::milliseconds timeout, std::stop_token stop);
  Status status() const;
  LoginOutcome outcome() const;  // meaningful once kDone
  // Ends a waiting flow as failed and cancels its network steps; no-op when done.
  void cancel(const std::string& reason);
  // Opens the URL with `browser` (see browser.h); the page that carries it is removed when the
  // flow ends.
  Expected<void> open_in_browser(const std::optional<std::string>& browser);
  // True the first time: the caller reports the outcome; later callers start a new flow.
  bool mark_reported() { return !reported_.exchange(true); }
  bool reported() const { return reported_.load(); }

 private:
  LoginFlow(HttpClient& http, Config config, std::chrono::milliseconds lifetime);
  void run();
  enum class CallbackVerdict {
    kAccepted,
    kStateMismatch,
    kMissingCode,
    kExpired,
    kAlreadyAnswered
  };
  CallbackReply reply_to_callback(const std::string& state, const std::string& code);
  CallbackVerdict on_callback(const std::string& state, const std::string& code);
  void finish(LoginOutcome outcome);
  LoginOutcome complete(const std::string& code);

  HttpClient& http_;
  Config config_;
  std::string state_;
  std::string url_;
  std::string elicitation_id_;
  int port_ = 0;
  std::chrono::steady_clock::time_point expires_at_;
  std::unique_ptr<CallbackListener> listener_;
  std::stop_source network_stop_;  // code exchange and spend-key creation

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string code_;            // set by a good callback
  std::string callback_error_;  // set by a bad callback or cancel
  bool done_ = false;
  LoginOutcome outcome_;
  std::unique_ptr<RedirectPage> redirect_page_;
  bool warned_of_wrong_state_ = false;
  std::atomic<bool> reported_{false};
  std::jthread worker_;
};

// Owns the process's one pending flow. Thread-safe.
class LoginService {
 public:
  // `listen_host` is for tests that need a bind failure; the product always uses 127.0.0.1.
  explicit LoginService(HttpClient& http, std::chrono::milliseconds lifetime = kLoginLifetime,
                        std::string listen_host = "127.0.0.1")
      : http_(http), lifetime_(lifetime), listen_host_(std::move(listen_host)) {}

  // The pending flow, or the last one when its failure is not reported yet (joined); else a new
  // one (also with `force`).
  // `*started` tells which.
  Expected<std::shared_ptr<LoginFlow>> start_or_join(const Config& config, bool force,
                                                     bool* started);
  // The latest flow when its elicitation id is `elicitation_id` (waiting, or done whether reported
  // or not); null once a newer flow replaced it.
  std::shared_ptr<LoginFlow> find(std::string_view elicitation_id);

 private:
  HttpClient& http_;
  std::chrono::milliseconds lifetime_;
  std::string listen_host_;
  std::mutex mutex_;
  std::shared_ptr<LoginFlow> current_;
};

// Provisions a spend key for `config`'s secret key and stores it in the credentials file,
// leaving the file's other fields as they are then (the secret key itself is stored only when it
// came from the file or a login). `stored` is the file as `config` read it: when its secret key
// changed since, the key is not stored. The home is checked writable before Lava creates a key.
Expected<Credentials> provision_spend_key(HttpClient& http, const Config& config,
                                          Credentials stored, std::stop_token stop);

}  // namespace lava_mcp::gateway
