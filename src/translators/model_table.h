// The translators' small model table: per-model facts that change a translated body
// (translation.md sections 4 and 5). Matched by id prefix; unknown models get the defaults.
#pragma once

#include <string_view>

namespace lava_mcp::translators::detail {

// Anthropic's max_tokens when the caller gave none and the table has no entry (translation.md 1).
inline constexpr long long kDefaultAnthropicMaxTokens = 4096;

struct ModelTraits {
  long long max_tokens_default = kDefaultAnthropicMaxTokens;  // Anthropic: required field
  bool structured_outputs = false;  // Anthropic output_config.format (else the forced tool)
  bool one_sampling_knob = false;   // Anthropic: temperature and top_p are mutually exclusive
  bool json_schema_fields = false;  // Gemini parametersJsonSchema / responseJsonSchema
  bool thought_signatures = false;  // Gemini 3: functionCall parts must carry a signature
};

ModelTraits model_traits(std::string_view model);

}  // namespace lava_mcp::translators::detail
