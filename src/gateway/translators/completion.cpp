#include "gateway/translators/completion.h"

#include "gateway/translators/common.h"

namespace lava_mcp::gateway::translators::detail {

json completion(const std::string& id, const std::string& model, long long created, json choices) {
  return {{"id", id},
          {"object", "chat.completion"},
          {"created", created},
          {"model", model},
          {"choices", std::move(choices)}};
}

json choice(long long index, const std::string& text, json tool_calls,
            std::string_view finish_reason) {
  json message = {{"role", "assistant"}, {"content", text.empty() ? json(nullptr) : json(text)}};
  if (tool_calls.is_array() && !tool_calls.empty()) {
    message["tool_calls"] = std::move(tool_calls);
  }
  return {{"index", index},
          {"message", std::move(message)},
          {"finish_reason", std::string(finish_reason)},
          {"logprobs", nullptr}};
}

json tool_call(const std::string& id, const std::string& name, const json& arguments) {
  return {{"id", id},
          {"type", "function"},
          {"function", {{"name", name}, {"arguments", compact(arguments)}}}};
}

json usage(long long prompt, long long completion_tokens, long long cached,
           std::optional<long long> reasoning) {
  json out = {{"prompt_tokens", prompt},
              {"completion_tokens", completion_tokens},
              {"total_tokens", add_counts(prompt, completion_tokens)},
              {"prompt_tokens_details", {{"cached_tokens", cached}}}};
  if (reasoning) {
    out["completion_tokens_details"] = {{"reasoning_tokens", *reasoning}};
  }
  return out;
}

Error error_under_2xx(Format format, const json& body) {
  json mapped = map_error_value(format, 200, body, compact(body));
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

}  // namespace lava_mcp::gateway::translators::detail
