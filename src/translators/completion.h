// The OpenAI chat.completion envelope (translation.md 7.1) and usage block (7.5), shared by the
// response translators.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "translators/translators.h"

namespace lava_mcp::translators::detail {

// {"id","object":"chat.completion","created","model","choices"}; usage is added by the caller.
nlohmann::json completion(const std::string& id, const std::string& model, long long created,
                          nlohmann::json choices);

// {"index","message":{"role":"assistant","content","tool_calls"?},"finish_reason","logprobs":null}
// `content` is null when `text` is empty; `tool_calls` is omitted when empty.
nlohmann::json choice(long long index, const std::string& text, nlohmann::json tool_calls,
                      std::string_view finish_reason);

// Reasoning beside the answer, never in `content` (13.2): message.reasoning_content when there
// is reasoning text, message.thinking_blocks when there are Anthropic blocks to replay.
void add_reasoning(nlohmann::json& choice, const std::string& reasoning,
                   nlohmann::json thinking_blocks);

// {"id","type":"function","function":{"name","arguments": compact JSON of `arguments`}}.
nlohmann::json tool_call(const std::string& id, const std::string& name,
                         const nlohmann::json& arguments);

// total_tokens is always prompt + completion (the 7.5 invariant); reasoning_tokens only when
// the provider reports it.
nlohmann::json usage(long long prompt, long long completion_tokens, long long cached,
                     std::optional<long long> reasoning);

// The mapped error of a provider error body that arrived under a 2xx status, as an Error the
// chain treats as a failed attempt (section 9.1).
Error error_under_2xx(Format format, const nlohmann::json& body);

// map_error on an already parsed body (`raw` is the text, used when the shape is unknown).
nlohmann::json map_error_value(Format format, int status, const nlohmann::json& parsed,
                               std::string_view raw);

}  // namespace lava_mcp::translators::detail
