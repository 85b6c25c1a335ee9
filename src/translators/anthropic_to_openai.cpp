// Anthropic Messages response -> OpenAI chat.completion (translation.md 7.2, 7.4, 7.5).
#include "base/json_writer.h"
#include "translators/common.h"
#include "translators/completion.h"
#include "translators/prepare.h"

namespace lava_mcp::translators {
namespace {

using detail::json;

// Section 7.4; anything unknown is "stop" (only the five OpenAI values are ever emitted).
std::string_view finish_reason(const std::string* stop_reason) {
  const std::string reason = stop_reason == nullptr ? "" : *stop_reason;
  if (reason == "max_tokens" || reason == "model_context_window_exceeded") {
    return "length";
  }
  if (reason == "tool_use") {
    return "tool_calls";
  }
  if (reason == "refusal") {
    return "content_filter";
  }
  return "stop";
}

// Section 7.5: input_tokens counts only the uncached remainder, so the prompt is the sum (trap 10).
json anthropic_usage(const json& usage) {
  const long long cache_read = detail::count_member(usage, "cache_read_input_tokens");
  const long long prompt = detail::add_counts(
      detail::add_counts(detail::count_member(usage, "input_tokens"), cache_read),
      detail::count_member(usage, "cache_creation_input_tokens"));
  return detail::usage(prompt, detail::count_member(usage, "output_tokens"), cache_read,
                       std::nullopt);
}

std::string served_model(const json& body, const json& request, const std::string& model) {
  if (const std::string* from_body = detail::string_member(body, "model")) {
    return *from_body;
  }
  if (!model.empty()) {
    return model;
  }
  const std::string* requested = detail::string_member(request, "model");
  return requested == nullptr ? std::string() : *requested;
}

}  // namespace

Expected<json> from_anthropic(const json& body, const json& openai_request, long long created,
                              const std::string& model) {
  if (!body.is_object()) {
    return fail(detail::invalid_response("", "expected a JSON object"));
  }
  const std::string* type = detail::string_member(body, "type");
  if ((type != nullptr && *type == "error") || detail::object_member(body, "error") != nullptr) {
    return fail(detail::error_under_2xx(Format::kAnthropic, body));  // trap 21: falls back
  }
  const json* content = detail::array_member(body, "content");
  if (content == nullptr) {
    return fail(detail::invalid_response("content", "expected an array"));
  }
  // JSON mode went through the forced json_response tool: its input is the answer (trap 26).
  const bool json_tool = detail::json_mode_without_tools(openai_request);
  std::string text;
  std::string reasoning;
  json thinking_blocks = json::array();
  std::optional<std::string> json_answer;
  json tool_calls = json::array();
  for (std::size_t k = 0; k < content->size(); ++k) {
    const json& block = content->at(k);
    const std::string path = detail::at("content", k);
    const std::string* block_type = detail::string_member(block, "type");
    if (block_type == nullptr) {
      return fail(detail::invalid_response(path, "expected a content block with a type"));
    }
    if (*block_type == "text") {
      const std::string* block_text = detail::string_member(block, "text");
      if (block_text == nullptr) {
        return fail(detail::invalid_response(detail::dot(path, "text"), "expected a string"));
      }
      text += *block_text;
    } else if (*block_type == "tool_use") {
      const std::string* id = detail::string_member(block, "id");
      const std::string* name = detail::string_member(block, "name");
      const json* input = detail::member(block, "input");
      if (id == nullptr || name == nullptr || (input != nullptr && !input->is_object())) {
        return fail(detail::invalid_response(
            path, "expected a tool_use block with id, name and object input"));
      }
      const json arguments =
          input == nullptr ? json::object() : *input;  // no-arg call: "{}" (trap 7)
      if (json_tool && *name == detail::kJsonResponseTool) {
        json_answer = compact_json(arguments);
      } else {
        tool_calls.push_back(detail::tool_call(*id, *name, arguments));
      }
    } else if (*block_type == "thinking" || *block_type == "redacted_thinking") {
      // Kept whole for replay (signature and data byte-identical), never in content (trap 32).
      const bool redacted = *block_type == "redacted_thinking";
      const std::string* value = detail::string_member(block, redacted ? "data" : "thinking");
      if (value == nullptr) {
        return fail(detail::invalid_response(detail::dot(path, redacted ? "data" : "thinking"),
                                             "expected a string"));
      }
      if (!redacted && !value->empty()) {
        reasoning += (reasoning.empty() ? "" : "\n\n") + *value;
      }
      thinking_blocks.push_back(block);
    }
    // Other block types are not part of the answer.
  }
  std::string_view finish = finish_reason(detail::string_member(body, "stop_reason"));
  if (json_answer) {
    text = *json_answer;
    tool_calls = json::array();
    finish = "stop";
  }
  const std::string* id = detail::string_member(body, "id");
  json out = detail::completion(
      id != nullptr
          ? *id
          : "chatcmpl-" + detail::derived_token(compact_json(body) + std::to_string(created), 24),
      served_model(body, openai_request, model), created,
      json::array({detail::choice(0, text, std::move(tool_calls), finish)}));
  detail::add_reasoning(out["choices"][0], reasoning, std::move(thinking_blocks));
  if (const json* usage = detail::object_member(body, "usage")) {
    out["usage"] = anthropic_usage(*usage);
  }
  return out;
}

}  // namespace lava_mcp::translators
