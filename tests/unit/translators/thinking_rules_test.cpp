// The providers' thinking rules as the fake Anthropic and Gemini enforce them (translation.md 13,
// traps 31-35): each rule refuses what the provider refuses, with the provider's message, and
// every reasoning request the translators build passes them.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "support/fake_providers.h"
#include "translators/translators.h"

namespace lava_mcp::translators {
namespace {

using nlohmann::json;
using testing::anthropic_violation;
using testing::gemini_violation;

json user_hi() { return json::array({{{"role", "user"}, {"content", "hi"}}}); }

json claude(const std::string& model, json extra = json::object()) {
  json body = {{"model", model}, {"max_tokens", 2000}, {"messages", user_hi()}};
  body.update(extra);
  return body;
}

std::string gemini_target(const std::string& model) {
  return "https://generativelanguage.googleapis.com/v1beta/models/" + model + ":generateContent";
}

TEST_CASE("fake Anthropic: manual thinking needs a budget of at least 1024 below max_tokens") {
  CHECK(anthropic_violation(claude("claude-sonnet-4-5",
                                   {{"thinking", {{"type", "enabled"}, {"budget_tokens", 512}}}}),
                            "2023-06-01")
            .find("greater than or equal to 1024") != std::string::npos);
  CHECK(anthropic_violation(claude("claude-sonnet-4-5",
                                   {{"thinking", {{"type", "enabled"}, {"budget_tokens", 4096}}}}),
                            "2023-06-01")
            .find("`max_tokens` must be greater than `thinking.budget_tokens`") !=
        std::string::npos);
  CHECK(anthropic_violation(claude("claude-sonnet-4-5",
                                   {{"thinking", {{"type", "enabled"}, {"budget_tokens", 1024}}}}),
                            "2023-06-01")
            .empty());
}

TEST_CASE(
    "fake Anthropic: adaptive-only models refuse enabled and disabled, older ones refuse "
    "adaptive") {
  for (const char* type : {"enabled", "disabled"}) {
    CHECK(anthropic_violation(
              claude("claude-opus-4-7", {{"thinking", {{"type", type}, {"budget_tokens", 1024}}}}),
              "2023-06-01")
              .find("is not supported for this model") != std::string::npos);
  }
  CHECK_FALSE(anthropic_violation(
                  claude("claude-sonnet-4-5", {{"thinking", {{"type", "adaptive"}}}}), "2023-06-01")
                  .empty());
  CHECK(anthropic_violation(claude("claude-opus-4-7", {{"thinking", {{"type", "adaptive"}}}}),
                            "2023-06-01")
            .empty());
}

TEST_CASE("fake Anthropic: temperature, top_k, low top_p and a forced tool refused with thinking") {
  const json thinking = {{"type", "adaptive"}};
  CHECK(anthropic_violation(
            claude("claude-opus-4-6", {{"thinking", thinking}, {"temperature", 0.2}}), "2023-06-01")
            .find("`temperature` may only be set to 1") != std::string::npos);
  CHECK(anthropic_violation(claude("claude-opus-4-6", {{"thinking", thinking}, {"top_k", 5}}),
                            "2023-06-01")
            .find("`top_k`") != std::string::npos);
  CHECK(anthropic_violation(claude("claude-opus-4-6", {{"thinking", thinking}, {"top_p", 0.5}}),
                            "2023-06-01")
            .find("0.95") != std::string::npos);
  CHECK(
      anthropic_violation(
          claude("claude-opus-4-6",
                 {{"thinking", thinking},
                  {"tools", json::array({{{"name", "f"}, {"input_schema", {{"type", "object"}}}}})},
                  {"tool_choice", {{"type", "any"}}}}),
          "2023-06-01")
          .find("tool_choice forces tool use") != std::string::npos);
  CHECK(anthropic_violation(claude("claude-opus-4-7", {{"temperature", 0.2}}), "2023-06-01")
            .find("deprecated for this model") != std::string::npos);
}

TEST_CASE("fake Anthropic: a tool-use turn under thinking without its thinking block (trap 33)") {
  const json tools =
      json::array({{{"name", "get_weather"}, {"input_schema", {{"type", "object"}}}}});
  const json tool_use = {
      {"type", "tool_use"}, {"id", "t1"}, {"name", "get_weather"}, {"input", json::object()}};
  const json result = {{"type", "tool_result"}, {"tool_use_id", "t1"}, {"content", "21"}};
  json body =
      claude("claude-sonnet-4-5",
             {{"tools", tools}, {"thinking", {{"type", "enabled"}, {"budget_tokens", 1024}}}});
  body["messages"].push_back({{"role", "assistant"}, {"content", json::array({tool_use})}});
  body["messages"].push_back({{"role", "user"}, {"content", json::array({result})}});
  CHECK(anthropic_violation(body, "2023-06-01") ==
        "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found "
        "`tool_use`. When `thinking` is enabled, a final `assistant` message must start with a "
        "thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We "
        "recommend you include thinking blocks from previous turns. To avoid this requirement, "
        "disable `thinking`. Please consult our documentation at "
        "https://docs.claude.com/en/docs/build-with-claude/extended-thinking");
  body["messages"][1]["content"].insert(
      body["messages"][1]["content"].begin(),
      json{{"type", "thinking"}, {"thinking", "t"}, {"signature", "s"}});
  CHECK(anthropic_violation(body, "2023-06-01").empty());
}

TEST_CASE("fake Gemini: level and budget together refused, and levels and budgets per model") {
  const auto with = [](json thinking) {
    return json{{"contents", json::array({{{"role", "user"}, {"parts", {{{"text", "hi"}}}}}})},
                {"generationConfig", {{"thinkingConfig", thinking}}}};
  };
  CHECK(gemini_violation(with({{"thinkingLevel", "low"}, {"thinkingBudget", 1024}}),
                         gemini_target("gemini-3-flash-preview")) ==
        "You can only set one of thinking budget and thinking level.");
  CHECK_FALSE(gemini_violation(with({{"thinkingLevel", "low"}}), gemini_target("gemini-2.5-flash"))
                  .empty());
  CHECK_FALSE(
      gemini_violation(with({{"thinkingLevel", "medium"}}), gemini_target("gemini-3-pro-preview"))
          .empty());
  CHECK_FALSE(
      gemini_violation(with({{"thinkingBudget", 0}}), gemini_target("gemini-2.5-pro")).empty());
  CHECK(gemini_violation(with({{"thinkingLevel", "high"}}), gemini_target("gemini-3-pro-preview"))
            .empty());
}

// Differential: every reasoning golden request, as translated, passes the fake provider (not
// the ids newer than any released model: what their provider will refuse is not known yet).
TEST_CASE("every translated reasoning request passes the fake providers' thinking rules") {
  namespace fs = std::filesystem;
  int checked = 0;
  for (const char* folder : {"to_anthropic", "to_gemini"}) {
    for (const auto& entry :
         fs::directory_iterator(fs::path(LAVA_MCP_GOLDEN_DIR) / "translators" / folder)) {
      const std::string name = entry.path().filename().string();
      const bool reasoning = name.rfind("reasoning_", 0) == 0 || name.rfind("trap3", 0) == 0;
      const bool future = name.find("newer") != std::string::npos;
      if (!reasoning || future || !name.ends_with(".input.json")) continue;
      std::ifstream in(entry.path());
      const json input = json::parse(in);
      const std::string model = input.at("model");
      const RequestResult result = std::string(folder) == "to_anthropic"
                                       ? to_anthropic(input.at("request"), model)
                                       : to_gemini(input.at("request"), model, {});
      const auto* translated = std::get_if<TranslatedRequest>(&result);
      if (translated == nullptr) continue;  // recorded as unsupported: nothing is sent
      INFO("golden case: " << folder << "/" << name);
      const std::string violation = std::string(folder) == "to_anthropic"
                                        ? anthropic_violation(translated->body, "2023-06-01")
                                        : gemini_violation(translated->body, gemini_target(model));
      CHECK(violation == "");
      ++checked;
    }
  }
  CHECK(checked >= 30);
}

}  // namespace
}  // namespace lava_mcp::translators
