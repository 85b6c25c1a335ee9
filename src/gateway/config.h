// Configuration per tools.md section 2: flag > environment > credentials file > default.
// Flags and environment are captured once at start-up (ConfigSource); the credentials file is
// read when a tool needs it, so a login in another process takes effect without a restart.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/expected.h"
#include "gateway/credentials.h"
#include "gateway/http_client.h"

namespace lava_mcp::gateway {

inline constexpr const char* kDefaultApiOrigin = "https://api.lava.so";
// The sandbox host of Lava's SDK code (11.2.0); no docs page names a lava.so sandbox host.
inline constexpr const char* kSandboxApiOrigin = "https://sandbox-api.lavapayments.com";
inline constexpr const char* kDefaultAppOrigin = "https://www.lava.so";
// LAVA_MCP_TIMEOUT_MS: for prompt, the longest an attempt's upstream may stay silent (tools.md 2).
inline constexpr std::chrono::milliseconds kDefaultTimeout{60000};
// Claude Code's default cap on a tool result (MAX_MCP_OUTPUT_TOKENS), the smallest of the hosts.
inline constexpr std::size_t kDefaultResultBudgetTokens = 25000;

// Command-line values; empty means "not given".
struct ConfigFlags {
  std::string api_url;
  std::string app_url;
  std::string home;
  std::string timeout_ms;
  std::string deadline_ms;
  std::string result_budget_tokens;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();  // getenv; empty values count as unset

struct Config {
  std::string api_origin;  // normalised: no trailing "/" or "/v1"
  // Where a browser login exchanges its code and creates the spend key: api_origin when
  // LAVA_API_URL (or --api-url) is set, else derived from the app origin as Lava's SDK does.
  std::string login_api_origin;
  // A stored api_url left unused because it names the other environment than the secret key
  // (a production URL with an aks_test_ key, or the sandbox with a live key); empty otherwise.
  std::string ignored_stored_api_url;
  std::string app_origin;
  std::string home;
  std::string secret_key;  // may be empty
  std::string spend_key;   // may be empty
  std::chrono::milliseconds timeout = kDefaultTimeout;
  // LAVA_MCP_DEADLINE_MS: when a whole prompt call must answer; 0 ms is none, nullopt leaves it
  // to the host's default (tools/prompt/deadline.h).
  std::optional<std::chrono::milliseconds> deadline;
  std::size_t result_budget_tokens = kDefaultResultBudgetTokens;  // per tool result
  // For URLs that come from outside (docs pages, images) and their redirects;
  // LAVA_MCP_ALLOW_LOOPBACK_FETCH=1 makes it kPublicOrLoopback, for tests and local development.
  PeerPolicy untrusted_peer_policy = PeerPolicy::kPublicHttps;
  std::optional<Credentials> stored;  // the file as read, if any
  std::string api_url() const { return api_origin + "/v1"; }
};

// "https://x/v1/" -> "https://x". Errors name the setting and the problem.
Expected<std::string> normalize_origin(const std::string& value, const std::string& setting);

// The API origin a login against `app_origin` talks to (Lava SDK resolveApiBaseUrl): a loopback
// app serves the API itself, an app host containing "sandbox" means the sandbox API, else
// production.
std::string login_api_origin_for(const std::string& app_origin);

// The pure resolution; `stored` is the credentials file (if any).
Expected<Config> resolve_config(const ConfigFlags& flags, const EnvLookup& env,
                                const std::optional<Credentials>& stored, const std::string& home);

// The home folder from flag, LAVA_MCP_HOME, XDG_CONFIG_HOME or HOME.
Expected<std::string> resolve_home(const ConfigFlags& flags, const EnvLookup& env);

// Holds the start-up inputs; current() reads the credentials file and resolves. Thread-safe.
// The file is parsed and the configuration resolved again only when the file changed (another
// identity, size or mtime), so a call costs one stat(), and a login in another process still
// takes effect at once.
class ConfigSource {
 public:
  ConfigSource(ConfigFlags flags, EnvLookup env);
  Expected<Config> current() const;
  Expected<std::string> home() const { return resolve_home(flags_, env_); }
  std::optional<std::string> env(const std::string& name) const { return env_(name); }

 private:
  struct Resolved {
    std::string path;
    std::string signature;  // of the credentials file as read; "absent" when there was none
    Config config;
  };

  ConfigFlags flags_;
  EnvLookup env_;
  mutable std::mutex mutex_;
  mutable std::optional<Resolved> last_;
};

}  // namespace lava_mcp::gateway
