#include "gateway/config.h"

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdlib>

#include "base/log.h"
#include "base/secrets.h"
#include "base/text_basics.h"
#include "gateway/url.h"
#include "platform/host_system.h"
#include "platform/private_folder.h"

namespace lava_mcp::gateway {
namespace {

std::string first_of(std::initializer_list<std::string> values) {
  for (const auto& value : values) {
    if (!value.empty()) {
      return value;
    }
  }
  return "";
}

void warn_plain_http_once(const std::string& origin) {
  static std::atomic<bool> warned{false};
  const auto parsed = parse_url(origin);
  if (parsed && parsed->scheme == "http" && !is_loopback_host(parsed->host) &&
      !warned.exchange(true)) {
    log::warn("config",
              "the API origin " + origin + " is plain http: keys and traffic travel unencrypted");
  }
}

bool is_sandbox_host(const std::string& host) { return host.find("sandbox") != std::string::npos; }

// Only Lava's own hosts have a known environment; any other origin (a local gateway) is kept.
bool names_other_environment(const std::string& api_url, const std::string& secret_key) {
  if (secret_key.empty()) {
    return false;
  }
  const auto parsed = parse_url(api_url);
  if (!parsed) {
    return false;  // normalize_origin reports it
  }
  const std::string host = ascii_lower(parsed->host);
  const bool lava_host = host == "api.lava.so" || host == "api.lavapayments.com" ||
                         host == "sandbox-api.lava.so" || host == "sandbox-api.lavapayments.com";
  const bool test_key = secret_key.rfind("aks_test_", 0) == 0;
  return lava_host && is_sandbox_host(host) != test_key;
}

void warn_ignored_api_url_once(const std::string& api_url) {
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true)) {
    log::warn("config", "the stored api_url " + api_url +
                            " is for the other Lava environment than the secret key; it is not "
                            "used (set LAVA_API_URL to choose a host)");
  }
}

// The file's identity, size and mtime, "absent" when there is none, or nullopt when stat fails
// otherwise.
std::optional<std::string> file_signature(const std::string& path) {
  return platform::file_signature(path);
}

Expected<std::chrono::milliseconds> parse_timeout(const std::string& text) {
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0 || value > 3600000) {
    return fail(error_code::kInvalidParams,
                "timeout must be a whole number of milliseconds between 1 and 3600000, got \"" +
                    text + "\"");
  }
  return std::chrono::milliseconds(value);
}

Expected<std::chrono::milliseconds> parse_deadline(const std::string& text) {
  if (text == "0") {
    return std::chrono::milliseconds(0);
  }
  auto parsed = parse_timeout(text);
  if (!parsed) {
    return fail(error_code::kInvalidParams,
                "LAVA_MCP_DEADLINE_MS must be 0 (none) or a whole number of milliseconds up to "
                "3600000, got \"" +
                    text + "\"");
  }
  return parsed;
}

Expected<std::size_t> parse_result_budget(const std::string& text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1000 || value > 1000000) {
    return fail(error_code::kInvalidParams,
                "result budget must be a whole number of tokens between 1000 and 1000000, got \"" +
                    text + "\"");
  }
  return value;
}

// A key from the environment (first) or the credentials file, trimmed of the whitespace a paste
// brings along. Keys are printable ASCII: anything else is a mistake, and would not survive
// being put in a forward token or a header. The error never shows the key.
Expected<std::string> read_key(const std::optional<std::string>& from_env,
                               const std::string& from_file, const std::string& env_name,
                               const std::string& field) {
  const bool in_env = from_env && !from_env->empty();
  std::string key(trim_space(in_env ? *from_env : from_file));
  secrets::register_secret(key);
  for (const char c : key) {
    if (c < 0x21 || c > 0x7E) {
      return fail(error_code::kInvalidParams,
                  in_env ? env_name + " is not a Lava key: keys are printable ASCII without spaces"
                         : "\"" + field +
                               "\" in credentials.json is not a Lava key (keys are printable "
                               "ASCII without spaces): run `lava-mcp logout`, then log in again");
    }
  }
  return key;
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') {
      return std::nullopt;
    }
    return std::string(value);
  };
}

Expected<std::string> normalize_origin(const std::string& value, const std::string& setting) {
  std::string origin = value;
  while (!origin.empty() && origin.back() == '/') {
    origin.pop_back();
  }
  if (origin.size() >= 3 && origin.compare(origin.size() - 3, 3, "/v1") == 0) {
    origin.resize(origin.size() - 3);
  }
  while (!origin.empty() && origin.back() == '/') {
    origin.pop_back();
  }
  const auto parsed = parse_url(origin);
  if (!parsed) {
    return fail(
        error_code::kInvalidParams,
        setting + " must be an http(s) origin such as https://api.lava.so, got \"" + value + "\"");
  }
  return origin;
}

std::string login_api_origin_for(const std::string& app_origin) {
  const auto parsed = parse_url(app_origin);
  if (!parsed) {
    return kDefaultApiOrigin;
  }
  if (is_loopback_host(ascii_lower(parsed->host))) {
    return parsed->origin();
  }
  return is_sandbox_host(ascii_lower(parsed->host)) ? kSandboxApiOrigin : kDefaultApiOrigin;
}

Expected<std::string> resolve_home(const ConfigFlags& flags, const EnvLookup& env) {
  if (!flags.home.empty()) {
    return flags.home;
  }
  if (auto home = env("LAVA_MCP_HOME")) {
    return *home;
  }
  if (platform::this_host_system() == platform::HostSystem::kWindows) {
    if (auto appdata = env("APPDATA")) {
      return *appdata + "\\lava-mcp";  // made private by an ACL (platform/private_folder.h)
    }
  }
  if (auto xdg = env("XDG_CONFIG_HOME")) {
    return *xdg + "/lava-mcp";
  }
  if (auto home = env("HOME")) {
    return *home + "/.config/lava-mcp";
  }
  return fail(error_code::kInternalError,
              "no home folder: set LAVA_MCP_HOME (or HOME, or APPDATA on Windows) in the server's "
              "environment");
}

Expected<Config> resolve_config(const ConfigFlags& flags, const EnvLookup& env,
                                const std::optional<Credentials>& stored, const std::string& home) {
  Config config;
  config.home = home;
  config.stored = stored;
  const Credentials none;
  const Credentials& file = stored ? *stored : none;
  auto secret_key =
      read_key(env("LAVA_SECRET_KEY"), file.secret_key, "LAVA_SECRET_KEY", "secret_key");
  if (!secret_key) {
    return fail(secret_key.error());
  }
  auto spend_key = read_key(env("LAVA_SPEND_KEY"), file.spend_key, "LAVA_SPEND_KEY", "spend_key");
  if (!spend_key) {
    return fail(spend_key.error());
  }
  config.secret_key = std::move(*secret_key);
  config.spend_key = std::move(*spend_key);

  auto app_origin = normalize_origin(
      first_of({flags.app_url, env("LAVA_APP_URL").value_or(""), kDefaultAppOrigin}),
      "LAVA_APP_URL");
  if (!app_origin) {
    return fail(app_origin.error());
  }
  config.app_origin = *app_origin;

  const std::string explicit_api = first_of({flags.api_url, env("LAVA_API_URL").value_or("")});
  std::string stored_api = file.api_url;
  if (explicit_api.empty() && !stored_api.empty() &&
      names_other_environment(stored_api, config.secret_key)) {
    config.ignored_stored_api_url = stored_api;
    warn_ignored_api_url_once(stored_api);
    stored_api.clear();
  }
  const bool sandbox = config.secret_key.rfind("aks_test_", 0) == 0;
  auto api_origin = normalize_origin(
      first_of({explicit_api, stored_api, sandbox ? kSandboxApiOrigin : kDefaultApiOrigin}),
      "LAVA_API_URL");
  if (!api_origin) {
    return fail(api_origin.error());
  }
  config.api_origin = *api_origin;
  config.login_api_origin =
      explicit_api.empty() ? login_api_origin_for(config.app_origin) : config.api_origin;
  warn_plain_http_once(config.api_origin);

  const std::string timeout = first_of({flags.timeout_ms, env("LAVA_MCP_TIMEOUT_MS").value_or("")});
  if (!timeout.empty()) {
    auto parsed = parse_timeout(timeout);
    if (!parsed) {
      return fail(parsed.error());
    }
    config.timeout = *parsed;
  }
  const std::string deadline =
      first_of({flags.deadline_ms, env("LAVA_MCP_DEADLINE_MS").value_or("")});
  if (!deadline.empty()) {
    auto parsed = parse_deadline(deadline);
    if (!parsed) {
      return fail(parsed.error());
    }
    config.deadline = *parsed;
  }
  const std::string budget =
      first_of({flags.result_budget_tokens, env("LAVA_MCP_RESULT_BUDGET_TOKENS").value_or("")});
  if (!budget.empty()) {
    auto parsed = parse_result_budget(budget);
    if (!parsed) {
      return fail(parsed.error());
    }
    config.result_budget_tokens = *parsed;
  }

  const std::string allow_loopback = env("LAVA_MCP_ALLOW_LOOPBACK_FETCH").value_or("0");
  if (allow_loopback != "0" && allow_loopback != "1") {
    return fail(error_code::kInvalidParams,
                "LAVA_MCP_ALLOW_LOOPBACK_FETCH must be 1 or 0, got \"" + allow_loopback + "\"");
  }
  config.untrusted_peer_policy =
      allow_loopback == "1" ? PeerPolicy::kPublicOrLoopback : PeerPolicy::kPublicHttps;
  return config;
}

ConfigSource::ConfigSource(ConfigFlags flags, EnvLookup env)
    : flags_(std::move(flags)), env_(std::move(env)) {}

Expected<Config> ConfigSource::current() const {
  auto home = resolve_home(flags_, env_);
  if (!home) {
    return fail(home.error());
  }
  const std::string path = credentials_path(*home);
  const auto signature = file_signature(path);
  if (signature) {
    std::lock_guard lock(mutex_);
    if (last_ && last_->path == path && last_->signature == *signature) {
      return last_->config;
    }
  }
  auto stored = load_credentials(*home);  // when stat failed, this read reports what is wrong
  if (!stored) {
    return fail(stored.error());
  }
  auto config = resolve_config(flags_, env_, *stored, *home);
  if (config && signature) {  // errors are resolved again next time: the user may be fixing them
    std::lock_guard lock(mutex_);
    last_ = Resolved{path, *signature, *config};
  }
  return config;
}

}  // namespace lava_mcp::gateway
