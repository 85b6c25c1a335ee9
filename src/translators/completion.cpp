#include "translators/completion.h"

#include "base/json_writer.h"
#include "translators/common.h"

namespace lava_mcp::translators::detail {

// Built member by member: every call of the prompt path makes these, and nlohmann's nested
// initializer lists allocate a temporary array for each pair and copy it once more.
json completion(const std::string& id, const std::string& model, long long created, json choices) {
  json out = json::object();
  out["id"] = id;
  out["object"] = "chat.completion";
  out["created"] = created;
  out["model"] = model;
  out["choices"] = std::move(choices);
  return out;
}

json choice(long long index, const std::string& text, json tool_calls,
            std::string_view finish_reason) {
  json message = json::object();
  message["role"] = "assistant";
  message["content"] = text.empty() ? json(nullptr) : json(text);
  if (tool_calls.is_array() && !tool_calls.empty()) {
    message["tool_calls"] = std::move(tool_calls);
  }
  json out = json::object();
  out["index"] = index;
  out["message"] = std::move(message);
  out["finish_reason"] = finish_reason;
  out["logprobs"] = nullptr;
  return out;
}

void add_reasoning(json& choice, const std::string& reasoning, json thinking_blocks) {
  json& message = choice["message"];
  if (!reasoning.empty()) {
    message["reasoning_content"] = reasoning;
  }
  if (thinking_blocks.is_array() && !thinking_blocks.empty()) {
    message["thinking_blocks"] = std::move(thinking_blocks);
  }
}

json tool_call(const std::string& id, const std::string& name, const json& arguments) {
  json function = json::object();
  function["name"] = name;
  function["arguments"] = compact_json(arguments);
  json out = json::object();
  out["id"] = id;
  out["type"] = "function";
  out["function"] = std::move(function);
  return out;
}

json usage(long long prompt, long long completion_tokens, long long cached,
           std::optional<long long> reasoning) {
  json out = json::object();
  out["prompt_tokens"] = prompt;
  out["completion_tokens"] = completion_tokens;
  out["total_tokens"] = add_counts(prompt, completion_tokens);
  out["prompt_tokens_details"]["cached_tokens"] = cached;
  if (reasoning) {
    out["completion_tokens_details"]["reasoning_tokens"] = *reasoning;
  }
  return out;
}

Error error_under_2xx(Format format, const json& body) {
  json mapped = map_error_value(format, 200, body, compact_json(body));
  const json* error = object_member(mapped, "error");
  const std::string* type = error == nullptr ? nullptr : string_member(*error, "type");
  const std::string* message = error == nullptr ? nullptr : string_member(*error, "message");
  std::string text = std::string(format_name(format)) + " answered 2xx with an error";
  if (type != nullptr) {
    text += ": " + *type;
  }
  if (message != nullptr) {
    text += ": " + *message;
  }
  return Error{error_code::kInternalError, text, std::move(mapped)};
}

}  // namespace lava_mcp::translators::detail
