#include "gateway/login_flow.h"

#include <atomic>
#include <ctime>
#include <thread>

#include "base/hex.h"
#include "base/log.h"
#include "base/text_basics.h"
#include "gateway/browser.h"
#include "gateway/callback_listener.h"
#include "gateway/lava_account.h"
#include "gateway/url.h"
#include "platform/crypto.h"

namespace lava_mcp::gateway {
namespace {

constexpr const char* kSuccessPage =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Lava: signed in</title></head>"
    "<body style=\"font-family:sans-serif;text-align:center;margin-top:15vh\">"
    "<h1>Authenticated</h1><p>You can close this tab and return to your agent.</p></body></html>";

}  // namespace

std::string random_state() {
  unsigned char bytes[16];
  if (!platform::random_bytes(bytes, sizeof bytes)) {
    std::abort();  // no CSPRNG: refusing beats a guessable state
  }
  return hex_encode(bytes, sizeof bytes);
}

LoginFlow::LoginFlow(HttpClient& http, Config config, std::chrono::milliseconds lifetime)
    : http_(http),
      config_(std::move(config)),
      state_(random_state()),
      elicitation_id_("lava-login-" + random_state().substr(0, 12)),
      expires_at_(std::chrono::steady_clock::now() + lifetime) {}

LoginFlow::~LoginFlow() {
  cancel("the server is shutting down");
  if (worker_.joinable()) {
    worker_.join();
  }
  listener_.reset();  // joins the listener's thread before the members its handler uses go
}

Expected<std::shared_ptr<LoginFlow>> LoginFlow::start(HttpClient& http, const Config& config,
                                                      std::chrono::milliseconds lifetime,
                                                      const std::string& listen_host) {
  std::shared_ptr<LoginFlow> flow(new LoginFlow(http, config, lifetime));
  LoginFlow* self = flow.get();
  auto listener = CallbackListener::start(
      listen_host, [self](const std::string& state, const std::string& code) {
        return self->reply_to_callback(state, code);
      });
  if (!listener) {
    return fail(listener.error());
  }
  flow->listener_ = std::move(*listener);
  flow->port_ = flow->listener_->port();
  flow->url_ = config.app_origin + "/auth/connect?state=" + percent_encode(flow->state_) +
               "&port=" + std::to_string(flow->port_);
  flow->worker_ = std::jthread([self] { self->run(); });
  return flow;
}

std::chrono::seconds LoginFlow::expires_in() const {
  const auto left = expires_at_ - std::chrono::steady_clock::now();
  return std::max(std::chrono::seconds(0), std::chrono::duration_cast<std::chrono::seconds>(left));
}

CallbackReply LoginFlow::reply_to_callback(const std::string& state, const std::string& code) {
  switch (on_callback(state, code)) {
    case CallbackVerdict::kAccepted:
      return CallbackReply{200, "text/html; charset=utf-8", kSuccessPage};
    case CallbackVerdict::kMissingCode:
      return CallbackReply{400, "text/plain; charset=utf-8", "Missing code"};
    case CallbackVerdict::kStateMismatch:
      return CallbackReply{400, "text/plain; charset=utf-8", "State mismatch"};
    case CallbackVerdict::kExpired:
      return CallbackReply{410, "text/plain; charset=utf-8",
                           "This login link has expired: call login again in your agent"};
    case CallbackVerdict::kAlreadyAnswered:
      break;
  }
  return CallbackReply{409, "text/plain; charset=utf-8", "This login has already been answered"};
}

LoginFlow::CallbackVerdict LoginFlow::on_callback(const std::string& state,
                                                  const std::string& code) {
  std::lock_guard lock(mutex_);
  if (done_ || !code_.empty() || !callback_error_.empty()) {
    return CallbackVerdict::kAlreadyAnswered;  // a replayed callback changes nothing
  }
  if (std::chrono::steady_clock::now() >= expires_at_) {
    return CallbackVerdict::kExpired;  // the window is closed even before the worker notices
  }
  if (!platform::constant_time_equal(state, state_)) {
    // Anything on the machine can reach the port; only the holder of the state ends the flow.
    if (!warned_of_wrong_state_) {
      warned_of_wrong_state_ = true;  // once: a flood of them must not flood the log
      log::warn("login", "refused a login callback with a wrong state; still waiting");
    }
    return CallbackVerdict::kStateMismatch;
  }
  if (code.empty()) {
    callback_error_ = "the login callback carried no code; call login again";
  } else {
    code_ = code;
  }
  changed_.notify_all();
  return code.empty() ? CallbackVerdict::kMissingCode : CallbackVerdict::kAccepted;
}

void LoginFlow::cancel(const std::string& reason) {
  network_stop_.request_stop();  // a code exchange or spend-key creation in flight ends now
  std::lock_guard lock(mutex_);
  if (!done_ && code_.empty() && callback_error_.empty()) {
    callback_error_ = reason;
    changed_.notify_all();
  }
}

void LoginFlow::run() {
  std::string code;
  std::string error;
  {
    std::unique_lock lock(mutex_);
    const bool answered = changed_.wait_until(
        lock, expires_at_, [this] { return !code_.empty() || !callback_error_.empty(); });
    code = code_;
    error = answered ? callback_error_ : "the login link expired unused; call login again";
  }
  listener_->stop();  // one callback per flow, as the SDK does
  if (!error.empty()) {
    finish(LoginOutcome{false, error, {}, {}});
    return;
  }
  finish(complete(code));
}

LoginOutcome LoginFlow::complete(const std::string& code) {
  const std::stop_token stop = network_stop_.get_token();
  if (auto writable = check_home_writable(config_.home); !writable) {  // before Lava mints keys
    return LoginOutcome{false, writable.error().message, {}, {}};
  }
  auto credentials =
      exchange_login_code(http_, config_.login_api_origin, code, config_.timeout, stop);
  if (!credentials) {
    return LoginOutcome{false, credentials.error().message, {}, {}};
  }
  credentials->api_url = config_.login_api_origin;
  credentials->created_at = iso8601_utc(std::time(nullptr));
  LoginOutcome outcome{true, {}, *credentials, {}};
  auto spend_key = create_spend_key(http_, config_.login_api_origin, credentials->secret_key,
                                    config_.timeout, stop);
  if (spend_key) {
    outcome.credentials.spend_key = spend_key->key;
    outcome.credentials.spend_key_id = spend_key->id;
    outcome.credentials.spend_key_preview = spend_key->preview;
  } else {
    // The code is spent, so the secret key is kept: call and prompt work with it, and the next
    // login call provisions the spend key (tools.md 3.1 step 1).
    outcome.spend_key_error = spend_key.error().message;
  }
  if (auto saved = save_credentials(config_.home, outcome.credentials); !saved) {
    return LoginOutcome{
        false,
        "signed in, but the credentials could not be stored: " + saved.error().message,
        {},
        {}};
  }
  return outcome;
}

void LoginFlow::finish(LoginOutcome outcome) {
  std::lock_guard lock(mutex_);
  outcome_ = std::move(outcome);
  done_ = true;
  redirect_page_.reset();  // the page that holds the state goes with the flow
  changed_.notify_all();
  log::info("login", outcome_.ok ? "login completed" : "login failed: " + outcome_.error);
}

Expected<void> LoginFlow::open_in_browser(const std::optional<std::string>& browser) {
  auto page = gateway::open_in_browser(browser, url_);
  if (!page) {
    return fail(page.error());
  }
  std::lock_guard lock(mutex_);
  if (!done_) {
    redirect_page_ = std::move(*page);
  }
  return {};
}

LoginFlow::Status LoginFlow::wait(std::chrono::milliseconds timeout, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  std::stop_callback wake(stop, [this] {
    std::lock_guard inner(mutex_);
    changed_.notify_all();
  });
  changed_.wait_for(lock, timeout, [&] { return done_ || stop.stop_requested(); });
  return done_ ? Status::kDone : Status::kWaiting;
}

LoginFlow::Status LoginFlow::status() const {
  std::lock_guard lock(mutex_);
  return done_ ? Status::kDone : Status::kWaiting;
}

LoginOutcome LoginFlow::outcome() const {
  std::lock_guard lock(mutex_);
  return outcome_;
}

Expected<std::shared_ptr<LoginFlow>> LoginService::start_or_join(const Config& config, bool force,
                                                                 bool* started) {
  std::lock_guard lock(mutex_);
  const bool pending = current_ && current_->status() == LoginFlow::Status::kWaiting &&
                       current_->expires_in().count() > 0;
  const bool unreported =
      current_ && current_->status() == LoginFlow::Status::kDone && !current_->reported();
  if (!force && (pending || unreported)) {
    *started = false;
    return current_;
  }
  if (current_) {
    current_->cancel("a new login was started");
  }
  auto flow = LoginFlow::start(http_, config, lifetime_, listen_host_);
  if (!flow) {
    return flow;
  }
  current_ = *flow;
  *started = true;
  return current_;
}

std::shared_ptr<LoginFlow> LoginService::find(std::string_view elicitation_id) {
  std::lock_guard lock(mutex_);
  if (current_ && platform::constant_time_equal(current_->elicitation_id(), elicitation_id)) {
    return current_;
  }
  return nullptr;
}

Expected<Credentials> provision_spend_key(HttpClient& http, const Config& config,
                                          Credentials stored, std::stop_token stop) {
  if (auto writable = check_home_writable(config.home); !writable) {  // or the key is orphaned
    return fail(writable.error());
  }
  auto key = create_spend_key(http, config.api_origin, config.secret_key, config.timeout, stop);
  if (!key) {
    return fail(key.error());
  }
  // Only the spend key is written, into the file as it is now: another process may have
  // changed the other fields meanwhile. If it signed in to another account, the key is not
  // this account's and stays out of the file.
  return update_credentials(config.home, [&](Credentials& current) -> Expected<void> {
    if (current.secret_key != stored.secret_key) {
      return fail(error_code::kInternalError,
                  "the credentials file changed while the spend key was being created (another "
                  "lava-mcp signed in): the new spend key was not stored; call login again");
    }
    current.spend_key = key->key;
    current.spend_key_id = key->id;
    current.spend_key_preview = key->preview;
    return {};
  });
}

}  // namespace lava_mcp::gateway
