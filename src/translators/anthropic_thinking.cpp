#include "translators/anthropic_thinking.h"

#include <algorithm>

#include "base/json_access.h"
#include "translators/common.h"

namespace lava_mcp::translators::detail {
namespace {

using Failure = std::optional<RequestFailure>;

// Anthropic's smallest thinking budget (extended-thinking page).
constexpr long long kMinBudget = 1024;

// The assistant message whose tool calls the request ends by answering: Anthropic requires it
// to start with a thinking block under thinking (trap 33). nullptr when the request does not end
// inside a tool loop (a user message after the tool results still belongs to that loop: it is
// merged into the same user turn).
const Message* open_tool_turn(const Prepared& prepared) {
  bool answered = false;
  for (auto it = prepared.messages.rbegin(); it != prepared.messages.rend(); ++it) {
    if (it->is_system() || (it->role == "user" && !answered)) {
      continue;
    }
    if (it->role == "tool") {
      answered = true;
      continue;
    }
    return answered && it->role == "assistant" ? &*it : nullptr;
  }
  return nullptr;
}

const Message* final_assistant(const Prepared& prepared) {
  for (auto it = prepared.messages.rbegin(); it != prepared.messages.rend(); ++it) {
    if (!it->is_system()) {
      return it->role == "assistant" ? &*it : nullptr;
    }
  }
  return nullptr;
}

bool forces_tool(const json& body) {
  const json* choice = object_member(body, "tool_choice");
  const std::string* type = choice == nullptr ? nullptr : string_member(*choice, "type");
  return type != nullptr && (*type == "any" || *type == "tool");
}

bool forces_json_tool(const json& body) {
  const json* choice = object_member(body, "tool_choice");
  const std::string* name = choice == nullptr ? nullptr : string_member(*choice, "name");
  return forces_tool(body) && name != nullptr && *name == kJsonResponseTool;
}

void drop(json& body, const char* key, const std::string& why, std::vector<std::string>& notes) {
  if (body.contains(key)) {
    body.erase(key);
    notes.push_back(std::string("dropped ") + key + " (" + why + ")");
  }
}

// The effort an adaptive model takes for `effort` (13.1): minimal -> low; xhigh -> xhigh where
// the model has it, else max, else high.
std::string adaptive_effort(Effort effort, const ModelTraits& traits) {
  if (effort == Effort::kXhigh) {
    return traits.effort_xhigh ? "xhigh" : traits.effort_max ? "max" : "high";
  }
  return effort <= Effort::kLow ? "low" : std::string(effort_name(effort));
}

void set_effort(Effort effort, const ModelTraits& traits, json& body,
                std::vector<std::string>& notes) {
  std::string sent = adaptive_effort(effort, traits);
  if (traits.claude_thinking == ClaudeThinking::kManual && (sent == "max" || sent == "xhigh")) {
    sent = "high";  // Opus 4.5 takes low, medium and high
  }
  if (sent != effort_name(effort)) {
    notes.push_back("reasoning_effort " + std::string(effort_name(effort)) +
                    " sent as output_config.effort " + sent + " (the nearest this model takes)");
  }
  body["output_config"]["effort"] = sent;
}

// Manual thinking: budget_tokens >= 1024 and below max_tokens, so max_tokens grows by the
// budget when it would not leave room for an answer.
void set_manual_thinking(Effort effort, const ModelTraits& traits, json& body,
                         std::vector<std::string>& notes) {
  long long budget = thinking_budget(effort);
  long long max_tokens = body.value("max_tokens", kDefaultAnthropicMaxTokens);
  if (max_tokens <= budget) {
    long long raised = max_tokens + budget;
    if (traits.max_tokens_ceiling > 0) {
      raised = std::min(raised, traits.max_tokens_ceiling);
    }
    budget = std::max(kMinBudget, std::min(budget, raised - 1));
    notes.push_back("max_tokens raised from " + std::to_string(max_tokens) + " to " +
                    std::to_string(raised) + " to fit the thinking budget of " +
                    std::to_string(budget) + " (Anthropic counts thinking in max_tokens)");
    max_tokens = raised;
    body["max_tokens"] = max_tokens;
  }
  body["thinking"] = {{"type", "enabled"}, {"budget_tokens", budget}};
  if (traits.effort) {
    set_effort(effort, traits, body, notes);
  }
}

void set_adaptive_thinking(Effort effort, const ModelTraits& traits, json& body,
                           std::vector<std::string>& notes) {
  json thinking = {{"type", "adaptive"}};
  if (traits.display_omitted) {
    thinking["display"] = "summarized";  // else the thinking text comes back empty
  }
  body["thinking"] = std::move(thinking);
  set_effort(effort, traits, body, notes);
}

// What thinking refuses (13.1, trap 35): temperature and top_k, top_p outside 0.95-1, a forced
// tool choice.
void meet_thinking_constraints(json& body, std::vector<std::string>& notes) {
  drop(body, "temperature", "Anthropic refuses it with thinking", notes);
  drop(body, "top_k", "Anthropic refuses it with thinking", notes);
  if (const json* top_p = member(body, "top_p"); top_p != nullptr && top_p->get<double>() < 0.95) {
    drop(body, "top_p", "with thinking Anthropic takes only 0.95 to 1", notes);
  }
  if (forces_tool(body)) {
    json& choice = body["tool_choice"];
    notes.push_back("tool_choice " + choice.value("type", std::string()) +
                    " sent as auto (Anthropic refuses a forced tool choice with thinking)");
    choice["type"] = "auto";
    choice.erase("name");
  }
}

Failure apply_thinking(const Prepared& prepared, const ModelTraits& traits, json& body,
                       std::vector<std::string>& notes) {
  if (traits.sampling_refused) {
    for (const char* key : {"temperature", "top_p", "top_k"}) {
      drop(body, key, "this model refuses sampling parameters", notes);
    }
  }
  if (const Message* prefill = final_assistant(prepared);
      prefill != nullptr && traits.prefill_refused) {
    return unsupported(kUnsupportedContent, prefill->path(),
                       "this Claude model refuses a final assistant message (prefill)");
  }
  const std::optional<Effort> effort = prepared.reasoning_effort;
  const bool always_on = traits.claude_thinking == ClaudeThinking::kAlwaysOn;
  if (effort && traits.claude_thinking == ClaudeThinking::kNone) {
    notes.push_back("dropped reasoning_effort (this Claude model has no extended thinking)");
    return std::nullopt;
  }
  if (effort == Effort::kNone && always_on) {
    notes.push_back("reasoning_effort none not applied (this Claude model always thinks)");
  }
  const bool wanted = effort && *effort != Effort::kNone;
  if (!wanted && !always_on) {
    return std::nullopt;
  }
  // Requests thinking would make invalid: left without thinking where the model allows that,
  // else this target cannot serve them (trap 34).
  std::string conflict;
  std::string conflict_param;
  if (forces_json_tool(body)) {
    conflict = "JSON mode goes through a forced tool on this model, which thinking refuses";
    conflict_param = "response_format";
  } else if (const Message* turn = open_tool_turn(prepared);
             turn != nullptr && turn->thinking_blocks.is_null()) {
    conflict = "the tool-call turn " + turn->path() +
               " has no thinking_blocks (it came from another model), which Anthropic refuses "
               "under thinking";
    conflict_param = turn->path();
  }
  if (!conflict.empty()) {
    if (always_on) {
      return unsupported(kUnsupportedContent, conflict_param,
                         conflict + "; this model always thinks");
    }
    notes.push_back("reasoning_effort not applied: " + conflict);
    return std::nullopt;
  }
  meet_thinking_constraints(body, notes);
  if (!wanted) {
    return std::nullopt;  // always on: the model's own default effort
  }
  if (traits.claude_thinking == ClaudeThinking::kManual) {
    set_manual_thinking(*effort, traits, body, notes);
  } else {
    set_adaptive_thinking(*effort, traits, body, notes);
  }
  return std::nullopt;
}

// Without thinking, Anthropic refuses thinking blocks in a final assistant message (a prefill);
// in earlier turns it ignores them.
void drop_prefill_thinking(json& body, std::vector<std::string>& notes) {
  json& last = body["messages"].back();
  if (last.value("role", "") != "assistant" || !last["content"].is_array()) {
    return;
  }
  json& content = last["content"];
  const auto is_thinking = [](const json& block) {
    const std::string_view type = string_or_empty(block, "type");  // a replayed block may be any
    return type == "thinking" || type == "redacted_thinking";
  };
  const auto kept = std::remove_if(content.begin(), content.end(), is_thinking);
  if (kept != content.end()) {
    content.erase(kept, content.end());
    notes.push_back(
        "dropped the thinking_blocks of the final assistant message (Anthropic refuses them "
        "without thinking)");
  }
}

}  // namespace

Failure apply_anthropic_thinking(const Prepared& prepared, const ModelTraits& traits, json& body,
                                 std::vector<std::string>& notes) {
  Failure failure = apply_thinking(prepared, traits, body, notes);
  if (!failure && !body.contains("thinking") &&
      traits.claude_thinking != ClaudeThinking::kAlwaysOn) {
    drop_prefill_thinking(body, notes);
  }
  // After the thinking rules, which may already have dropped one of the two.
  if (traits.one_sampling_knob && body.contains("temperature") && body.contains("top_p")) {
    drop(body, "top_p", "this model takes temperature or top_p, not both", notes);
  }
  return failure;
}

}  // namespace lava_mcp::translators::detail
