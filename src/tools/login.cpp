// The login tool: browser login to Lava, spend-key provisioning, credential storage.
#include <ctime>
#include <sstream>

#include "base/json_access.h"
#include "base/secrets.h"
#include "gateway/account_status.h"
#include "gateway/browser.h"
#include "gateway/login_flow.h"
#include "tools/all_tools.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

using gateway::LoginFlow;
using namespace std::chrono_literals;

constexpr auto kProgressInterval = 1s;
// The key of the URL elicitation among a modern result's inputRequests (MRTR).
constexpr const char* kLoginInput = "lava_login";
constexpr const char* kSignInMessage =
    "Sign in to Lava in your browser to connect this agent to the gateway.";

Json account_of(const gateway::Config& config, const gateway::Credentials& stored) {
  Json account = Json::object();
  const std::string& secret = config.secret_key.empty() ? stored.secret_key : config.secret_key;
  if (!stored.merchant_id.empty()) account["merchant_id"] = stored.merchant_id;
  if (!stored.wallet_id.empty()) account["wallet_id"] = stored.wallet_id;
  if (!secret.empty()) account["secret_key_hint"] = secrets::hint(secret);
  if (!stored.spend_key_preview.empty()) {
    account["spend_key_preview"] = stored.spend_key_preview;
  } else if (!config.spend_key.empty()) {
    account["spend_key_preview"] = secrets::hint(config.spend_key);
  }
  return account;
}

ToolResult authenticated(const std::string& status, const gateway::Config& config,
                         const gateway::Credentials& stored,
                         const std::optional<gateway::AccountStatus>& lava = std::nullopt) {
  Json out = {
      {"status", status}, {"api_url", config.api_origin}, {"account", account_of(config, stored)}};
  std::string lava_lines;
  if (lava) {
    out["account_status"] = gateway::account_status_json(*lava);
    for (const std::string& line : gateway::account_status_lines(*lava)) {
      lava_lines += "\n" + line;
    }
  }
  std::string text = status == "authenticated" ? "Signed in to Lava" : "Already signed in to Lava";
  text += " (" + config.api_origin + ")";
  if (out["account"].contains("merchant_id")) {
    text += ", merchant " + out["account"]["merchant_id"].get<std::string>();
  }
  if (out["account"].contains("secret_key_hint")) {
    text += ", secret key " + out["account"]["secret_key_hint"].get<std::string>();
  }
  if (out["account"].contains("spend_key_preview")) {
    text += ", spend key " + out["account"]["spend_key_preview"].get<std::string>();
  }
  return ToolResult::success(text + ". prompt and call are ready to use." + lava_lines,
                             std::move(out));
}

bool client_takes_url_elicitation(const RequestContext& context) {
  const Json& caps = context.client_capabilities();
  const auto elicitation = caps.find("elicitation");
  const protocol::Features& features = context.features();
  return (features.url_elicitation || features.input_requests) && elicitation != caps.end() &&
         elicitation->is_object() && elicitation->contains("url");
}

Json url_elicitation(const LoginFlow& flow) {
  return {{"mode", "url"},
          {"message", kSignInMessage},
          {"url", flow.url()},
          {"elicitationId", flow.elicitation_id()}};
}

// The error result for a login the user declined or cancelled in the client; nullopt for any
// other action. Ends the flow.
std::optional<ToolResult> refused_in_client(LoginFlow& flow, std::string_view action) {
  if (action != "decline" && action != "cancel") {
    return std::nullopt;
  }
  const std::string what = action == "decline" ? "declined" : "cancelled";
  flow.cancel("the login was " + what + " in the client");
  return ToolResult::error("Login " + what + ": nothing was stored. Call login again to sign in.");
}

// Shows the URL; an error result when the user declined in the client.
std::optional<ToolResult> show_url(LoginFlow& flow, RequestContext& context, const ToolDeps& deps,
                                   bool* elicited, std::chrono::milliseconds wait) {
  context.log(McpLogLevel::kNotice, "login", "Open this URL to sign in to Lava: " + flow.url());
  if (client_takes_url_elicitation(context)) {
    if (context.features().input_requests) {
      // MRTR: the URL travels in the result and the retried call carries the user's answer.
      return ToolResult::needs_input(
          {{kLoginInput, {{"method", "elicitation/create"}, {"params", url_elicitation(flow)}}}},
          {{"flow", flow.elicitation_id()}});
    }
    *elicited = true;
    auto answer = context.request_client("elicitation/create", url_elicitation(flow), wait);
    if (!answer) {
      return std::nullopt;  // no answer yet: the flow goes on and the URL is in the result
    }
    return refused_in_client(flow, string_or_empty(*answer, "action"));
  }
  if (auto opened = flow.open_in_browser(deps.config.env("BROWSER")); !opened) {
    context.log(McpLogLevel::kWarning, "login", opened.error().message);
  }
  return std::nullopt;
}

LoginFlow::Status wait_with_progress(LoginFlow& flow, RequestContext& context,
                                     std::chrono::seconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  double tick = 0;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || context.stop_token().stop_requested()) {
      return flow.status();
    }
    if (flow.wait(std::min<std::chrono::milliseconds>(left, kProgressInterval),
                  context.stop_token()) == LoginFlow::Status::kDone) {
      return LoginFlow::Status::kDone;
    }
    context.progress(++tick, static_cast<double>(wait.count()), "waiting for the browser login");
  }
}

ToolResult pending(const LoginFlow& flow, const gateway::Config& config) {
  Json out = {{"status", "pending"},
              {"api_url", config.api_origin},
              {"login_url", flow.url()},
              {"expires_in_s", flow.expires_in().count()}};
  std::string text = "Waiting for the browser login. Open " + flow.url() +
                     " to sign in, then call login again: it joins this same login (valid for " +
                     std::to_string(flow.expires_in().count()) + " s).";
  return ToolResult::success(std::move(text), std::move(out));
}

ToolResult finished(LoginFlow& flow, RequestContext& context, const gateway::Config& config,
                    bool elicited) {
  const gateway::LoginOutcome outcome = flow.outcome();
  flow.mark_reported();
  if (elicited) {
    context.notify_client("notifications/elicitation/complete",
                          {{"elicitationId", flow.elicitation_id()}});
  }
  if (!outcome.ok) {
    return ToolResult::error("Login failed: " + outcome.error);
  }
  if (!outcome.spend_key_error.empty()) {
    return ToolResult::error("Signed in and stored the secret key (" +
                             secrets::hint(outcome.credentials.secret_key) +
                             "), but no spend key could be created: " + outcome.spend_key_error +
                             ". call works now; call login again to retry the spend key.");
  }
  gateway::Config now = config;
  now.secret_key = outcome.credentials.secret_key;
  return authenticated("authenticated", now, outcome.credentials);
}

// The retry of a modern call that showed the URL: it goes on with the flow that call started,
// which may have ended meanwhile (authenticated before the retry arrived).
ToolResult resume_login(RequestContext& context, const ToolDeps& deps,
                        const gateway::Config& config, std::chrono::seconds wait) {
  const Json& state = context.resumed_state();
  const Json& answers = context.input_responses();
  const auto flow_id = state.is_object() ? state.find("flow") : state.end();
  const auto flow = flow_id != state.end() && flow_id->is_string()
                        ? deps.login.find(flow_id->get_ref<const std::string&>())
                        : nullptr;
  if (!flow) {
    return ToolResult::error(
        "The login this answer belongs to has ended (it expired or a newer login replaced it); "
        "nothing was stored by it. Call login again to sign in.");
  }
  if (flow->status() == LoginFlow::Status::kWaiting) {
    const auto answer = answers.is_object() ? answers.find(kLoginInput) : answers.end();
    if (answer != answers.end() && answer->is_object()) {
      if (auto refused = refused_in_client(*flow, string_or_empty(*answer, "action"))) {
        return *refused;
      }
    }
  }
  if (wait_with_progress(*flow, context, wait) == LoginFlow::Status::kDone) {
    return finished(*flow, context, config, false);
  }
  return pending(*flow, config);
}

ToolResult run_login(const Json& args, RequestContext& context, const ToolDeps& deps) {
  const bool force = args.value("force", false);
  const auto wait = std::chrono::seconds(args.value("wait_seconds", 50));
  auto config = deps.config.current();
  if (!config) {
    return ToolResult::error(config.error().message);
  }
  if (!context.resumed_state().is_null()) {
    return resume_login(context, deps, *config, wait);
  }
  const gateway::Credentials stored = config->stored.value_or(gateway::Credentials{});
  if (!force && (!config->secret_key.empty() || !config->spend_key.empty())) {
    if (config->spend_key.empty()) {
      auto provisioned =
          gateway::provision_spend_key(deps.http, *config, stored, context.stop_token());
      if (!provisioned) {
        return ToolResult::error("Signed in, but creating a spend key failed: " +
                                 provisioned.error().message + ". Call login again to retry.");
      }
      return authenticated("already_authenticated", *config, *provisioned);
    }
    // What Lava says of the keys and their spend, so an agent knows before its next prompt.
    return authenticated("already_authenticated", *config, stored,
                         gateway::fetch_account_status(deps.http, *config, std::time(nullptr),
                                                       context.stop_token()));
  }
  bool started = false;
  auto flow = deps.login.start_or_join(*config, force, &started);
  if (!flow) {
    return ToolResult::error("Login could not start: " + flow.error().message);
  }
  bool elicited = false;
  if (started) {
    if (auto declined = show_url(**flow, context, deps, &elicited, wait)) {
      return *declined;
    }
  }
  if (wait_with_progress(**flow, context, wait) == LoginFlow::Status::kDone) {
    return finished(**flow, context, *config, elicited);
  }
  return pending(**flow, *config);
}

}  // namespace

void register_login(ToolRegistry& registry, const ToolDeps& deps) {
  registry.add(ToolSpec{
      .name = "login",
      .title = "Sign in to Lava",
      .description =
          "Sign in to Lava in the browser, once: stores the merchant credentials and creates a "
          "spend key so prompt and call work. Call it when another tool says \"not logged in\". "
          "If the user has not finished in the browser within wait_seconds, it answers "
          "status \"pending\" with the login URL: show the URL and call login again to keep "
          "waiting. Already signed in: it answers at once. force: true starts a new login.",
      .input_schema = schema("login.input.json"),
      .output_schema = schema("login.output.json"),
      .annotations =
          {.read_only = false, .destructive = false, .idempotent = true, .open_world = true},
      .run = [deps](const Json& args,
                    RequestContext& context) { return run_login(args, context, deps); },
  });
}

}  // namespace lava_mcp::tools
