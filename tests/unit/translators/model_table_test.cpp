// Model rules by family and version parsed from the id (translation.md 13.4): the id forms of
// Anthropic, Vertex, Bedrock and Gemini, and versions newer than the table.
#include "translators/model_table.h"

#include <doctest/doctest.h>

namespace lava_mcp::translators::detail {
namespace {

TEST_CASE("model table: Claude thinking style by family and version, in every id form") {
  const struct {
    const char* id;
    ClaudeThinking thinking;
  } cases[] = {
      {"claude-3-5-sonnet-20241022", ClaudeThinking::kNone},
      {"claude-3-opus-20240229", ClaudeThinking::kNone},
      {"claude-3-7-sonnet-20250219", ClaudeThinking::kManual},
      {"claude-opus-4-20250514", ClaudeThinking::kManual},
      {"claude-opus-4-1", ClaudeThinking::kManual},
      {"claude-sonnet-4-5@20250929", ClaudeThinking::kManual},
      {"anthropic.claude-haiku-4-5-20251001-v1:0", ClaudeThinking::kManual},
      {"claude-haiku-4-7", ClaudeThinking::kManual},  // newest known Haiku behaviour
      {"claude-opus-4-6", ClaudeThinking::kAdaptive},
      {"anthropic/claude-sonnet-4-6", ClaudeThinking::kAdaptive},
      {"claude-opus-4-7", ClaudeThinking::kAdaptiveOnly},
      {"claude-opus-4-8-20260528", ClaudeThinking::kAdaptiveOnly},
      {"claude-opus-5", ClaudeThinking::kAdaptiveOnly},
      {"claude-sonnet-5", ClaudeThinking::kAdaptive},
      {"claude-sonnet-5-5", ClaudeThinking::kAlwaysOn},
      {"claude-fable-5", ClaudeThinking::kAlwaysOn},
      {"claude-mythos-preview", ClaudeThinking::kAlwaysOn},
      {"claude-x", ClaudeThinking::kNone},
  };
  for (const auto& c : cases) {
    CAPTURE(c.id);
    CHECK(model_traits(c.id).claude_thinking == c.thinking);
  }
}

TEST_CASE("model table: Claude max_tokens defaults, ceilings and sampling rules") {
  CHECK(model_traits("claude-x").max_tokens_default == kDefaultAnthropicMaxTokens);
  CHECK(model_traits("claude-3-haiku-20240307").max_tokens_default == 4096);
  CHECK(model_traits("claude-3-5-haiku-20241022").max_tokens_default == 8192);
  CHECK(model_traits("claude-opus-4-1").max_tokens_ceiling == 32000);
  CHECK(model_traits("claude-haiku-4-5").max_tokens_ceiling == 64000);
  CHECK(model_traits("claude-opus-4-6").max_tokens_ceiling == 128000);
  CHECK(model_traits("claude-sonnet-4-5").structured_outputs);
  CHECK_FALSE(model_traits("claude-sonnet-4").structured_outputs);
  CHECK(model_traits("claude-opus-4-7").sampling_refused);
  CHECK_FALSE(model_traits("claude-opus-4-6").sampling_refused);
  CHECK(model_traits("claude-opus-4-7").effort_xhigh);
  CHECK_FALSE(model_traits("claude-sonnet-4-6").effort_xhigh);
  CHECK(model_traits("claude-opus-4-5").effort);
  CHECK_FALSE(model_traits("claude-sonnet-4-5").effort);
}

TEST_CASE("model table: Gemini level or budget, allowed levels and budget ranges") {
  const ModelTraits pro3 = model_traits("gemini-3-pro-preview");
  CHECK(pro3.gemini_thinking == GeminiThinking::kLevel);
  CHECK(pro3.gemini_levels == (kLevelLow | kLevelHigh));
  CHECK(model_traits("gemini-3.1-pro-preview").gemini_levels ==
        (kLevelLow | kLevelMedium | kLevelHigh));
  CHECK(model_traits("models/gemini-3.5-flash-lite").gemini_levels ==
        (kLevelMinimal | kLevelLow | kLevelMedium | kLevelHigh));
  CHECK(model_traits("gemini-4-pro").gemini_levels == (kLevelLow | kLevelMedium | kLevelHigh));
  const ModelTraits pro25 = model_traits("gemini-2.5-pro");
  CHECK(pro25.gemini_thinking == GeminiThinking::kBudget);
  CHECK(pro25.budget_min == 128);
  CHECK(pro25.budget_max == 32768);
  CHECK_FALSE(pro25.budget_can_disable);
  CHECK(model_traits("gemini-2.5-flash-lite").budget_min == 512);
  CHECK(model_traits("gemini-2.5-flash").budget_can_disable);
  CHECK(model_traits("gemini-flash-latest").gemini_thinking == GeminiThinking::kBudget);
  CHECK(model_traits("gemini-2.0-flash").gemini_thinking == GeminiThinking::kNone);
  CHECK(model_traits("gemini-3-flash-preview").thought_signatures);
  CHECK_FALSE(model_traits("gemini-2.5-flash").thought_signatures);
}

TEST_CASE("model table: OpenAI's reasoning models") {
  for (const char* id : {"o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1",
                         "openai/gpt-5.2-codex", "gpt-6"}) {
    CAPTURE(id);
    CHECK(model_traits(id).openai_reasoning);
  }
  for (const char* id : {"gpt-4o", "gpt-4.1-mini", "gpt-5-chat-latest", "omni-moderation-latest",
                         "deepseek-reasoner"}) {
    CAPTURE(id);
    CHECK_FALSE(model_traits(id).openai_reasoning);
  }
  CHECK_FALSE(model_traits("gpt-5").sampling_with_effort_none);
  CHECK(model_traits("gpt-5.1").sampling_with_effort_none);
}

}  // namespace
}  // namespace lava_mcp::translators::detail
