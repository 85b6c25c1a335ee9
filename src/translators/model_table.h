// The translators' model rules: per-model facts that change a translated body (translation.md
// sections 4, 5 and 13.4). Decided by family and version parsed from the id, never by a closed
// list: a version newer than the table knows gets the newest known behaviour of its family, so a
// model released after the binary still gets a valid request.
#pragma once

#include <string_view>

namespace lava_mcp::translators::detail {

// Anthropic's max_tokens when the caller gave none and the table has no entry (translation.md 1).
inline constexpr long long kDefaultAnthropicMaxTokens = 4096;

// How a Claude model takes extended thinking (translation.md 13.1).
enum class ClaudeThinking {
  kNone,          // no extended thinking: reasoning_effort is dropped with a note
  kManual,        // thinking {type: enabled, budget_tokens}
  kAdaptive,      // thinking {type: adaptive} + output_config.effort; enabled is deprecated
  kAdaptiveOnly,  // adaptive only: enabled and disabled are refused (400)
  kAlwaysOn,      // thinks on every request: enabled and disabled are refused (400)
};

// How a Gemini model takes thinking (translation.md 13.1).
enum class GeminiThinking {
  kNone,    // no thinking config
  kBudget,  // Gemini 2.5: thinkingBudget
  kLevel,   // Gemini 3 and later: thinkingLevel
};

// Gemini thinking levels as a bit set, in increasing order of effort.
enum GeminiLevel : unsigned {
  kLevelMinimal = 1u << 0,
  kLevelLow = 1u << 1,
  kLevelMedium = 1u << 2,
  kLevelHigh = 1u << 3,
};

struct ModelTraits {
  // Anthropic
  long long max_tokens_default = kDefaultAnthropicMaxTokens;  // required field
  long long max_tokens_ceiling = 0;  // the model's output limit; 0 when unknown
  bool structured_outputs = false;   // output_config.format (else the forced tool)
  bool one_sampling_knob = false;    // temperature and top_p are mutually exclusive
  bool sampling_refused = false;     // temperature, top_p and top_k are refused (400)
  bool prefill_refused = false;      // a final assistant message is refused (400)
  ClaudeThinking claude_thinking = ClaudeThinking::kNone;
  bool effort = false;           // output_config.effort is accepted
  bool effort_max = false;       // ... with "max"
  bool effort_xhigh = false;     // ... with "xhigh"
  bool display_omitted = false;  // thinking text omitted unless display: "summarized" is sent
  // Gemini
  bool json_schema_fields = false;  // parametersJsonSchema / responseJsonSchema
  bool thought_signatures = false;  // functionCall parts must carry a signature
  GeminiThinking gemini_thinking = GeminiThinking::kNone;
  unsigned gemini_levels = 0;       // kLevel: the levels the model accepts
  long long budget_min = 0;         // kBudget: the smallest positive budget
  long long budget_max = 0;         // kBudget: the largest budget
  bool budget_can_disable = false;  // kBudget: 0 turns thinking off
  // OpenAI's own reasoning models (o-series, gpt-5 and later; trap 37)
  bool openai_reasoning = false;           // max_completion_tokens; sampling refused
  bool sampling_with_effort_none = false;  // gpt-5.1+: sampling accepted when effort is none
};

ModelTraits model_traits(std::string_view model);

}  // namespace lava_mcp::translators::detail
