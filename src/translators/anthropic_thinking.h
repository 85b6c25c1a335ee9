// reasoning_effort and the model's thinking rules applied to a translated Anthropic body
// (translation.md 13.1, 13.3; traps 31, 34, 35): adaptive thinking with output_config.effort,
// or manual thinking with a budget and a max_tokens that fits; the fields thinking refuses
// dropped or changed with a note; a request the model would refuse recorded as unsupported.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "translators/model_table.h"
#include "translators/prepare.h"

namespace lava_mcp::translators::detail {

// `body` is the Anthropic body built from `prepared` (messages, tools, tool_choice, sampling,
// max_tokens); it is changed in place. A failure means this target cannot serve the request.
std::optional<RequestFailure> apply_anthropic_thinking(const Prepared& prepared,
                                                       const ModelTraits& traits, json& body,
                                                       std::vector<std::string>& notes);

}  // namespace lava_mcp::translators::detail
