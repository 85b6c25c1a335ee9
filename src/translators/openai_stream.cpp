#include <map>
#include <string>

#include "translators/common.h"
#include "translators/stream_decoder.h"

namespace lava_mcp::translators {
namespace {

using nlohmann::json;

struct ToolCallParts {
  json id = nullptr;
  std::string type = "function";
  json name = nullptr;
  std::string arguments;
};

struct ChoiceParts {
  json message = json::object();  // role and every string field of the deltas, concatenated
  std::map<long long, ToolCallParts> tool_calls;  // by the deltas' index
  json finish_reason = nullptr;
  bool has_logprobs = false;  // the choice shows logprobs only when the chunks did
  json logprobs = nullptr;

  // Token logprobs come a few per chunk: their arrays join.
  void read_logprobs(const json& value) {
    has_logprobs = true;
    if (!value.is_object()) {
      return;
    }
    for (const char* key : {"content", "refusal"}) {
      if (const json* items = detail::array_member(value, key)) {
        json& joined = logprobs[key];
        if (!joined.is_array()) {
          joined = json::array();
        }
        joined.insert(joined.end(), items->begin(), items->end());
      }
    }
  }
};

class OpenAIStreamDecoder final : public StreamDecoder {
 public:
  const char* terminal_event() const override { return "[DONE]"; }
  bool is_end_marker(std::string_view data) const override { return data == "[DONE]"; }

  Expected<void> read_event(const json& chunk) override {
    for (const char* key : {"id", "created", "model", "system_fingerprint", "service_tier"}) {
      if (const json* value = detail::member(chunk, key); value != nullptr && !value->is_null()) {
        top_[key] = *value;
      }
    }
    if (const json* usage = detail::object_member(chunk, "usage")) {
      top_["usage"] = *usage;
    }
    if (const json* choices = detail::array_member(chunk, "choices")) {
      for (const json& choice : *choices) {
        if (!choice.is_object()) {
          return fail(detail::invalid_response("choices", "expected a choice object"));
        }
        read_choice(choice);
      }
    }
    return {};
  }

  json rebuilt_body() const override {
    json body = top_;
    body["object"] = "chat.completion";
    body["choices"] = json::array();
    for (const auto& [index, parts] : choices_) {
      json choice = json::object();
      choice["index"] = index;
      choice["message"] = parts.message;
      choice["message"]["role"] = "assistant";
      if (!choice["message"].contains("content")) {
        choice["message"]["content"] = nullptr;
      }
      if (!parts.tool_calls.empty()) {
        json calls = json::array();
        for (const auto& [call_index, call] : parts.tool_calls) {
          calls.push_back({{"id", call.id},
                           {"type", call.type},
                           {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
        }
        choice["message"]["tool_calls"] = std::move(calls);
      }
      choice["finish_reason"] = parts.finish_reason;
      if (parts.has_logprobs) {
        choice["logprobs"] = parts.logprobs;
      }
      body["choices"].push_back(std::move(choice));
    }
    return body;
  }

 private:
  // Reasoning text (reasoning_content, or reasoning as some OpenAI-compatible servers name it)
  // is thinking, not answer.
  void count(const std::string& key, const std::string& piece) {
    if (key == "reasoning_content" || key == "reasoning") {
      count_thinking(piece);
    } else {
      count_received(piece);
    }
  }

  void read_choice(const json& choice) {
    const json* index = detail::member(choice, "index");
    ChoiceParts& parts =
        choices_[index != nullptr && index->is_number_integer() ? index->get<long long>() : 0];
    if (const json* delta = detail::object_member(choice, "delta")) {
      for (const auto& [key, value] : delta->items()) {
        if (value.is_string() && key != "role") {
          count(key, value.get_ref<const std::string&>());
          json& field = parts.message[key];
          if (field.is_string()) {
            field.get_ref<std::string&>() += value.get_ref<const std::string&>();  // in place
          } else {
            field = value;
          }
        }
      }
      if (const json* calls = detail::array_member(*delta, "tool_calls")) {
        for (const json& call : *calls) {
          read_tool_call(call, parts);
        }
      }
    }
    if (const json* finish = detail::member(choice, "finish_reason");
        finish != nullptr && !finish->is_null()) {
      parts.finish_reason = *finish;
    }
    if (const json* logprobs = detail::member(choice, "logprobs")) {
      parts.read_logprobs(*logprobs);
    }
  }

  void read_tool_call(const json& call, ChoiceParts& parts) {
    if (!call.is_object()) {
      return;
    }
    const json* index = detail::member(call, "index");
    ToolCallParts& out = parts.tool_calls[index != nullptr && index->is_number_integer()
                                              ? index->get<long long>()
                                              : static_cast<long long>(parts.tool_calls.size())];
    if (const std::string* id = detail::string_member(call, "id")) {
      out.id = *id;
    }
    if (const std::string* type = detail::string_member(call, "type")) {
      out.type = *type;
    }
    if (const json* function = detail::object_member(call, "function")) {
      if (const std::string* name = detail::string_member(*function, "name")) {
        out.name = *name;
      }
      if (const std::string* arguments = detail::string_member(*function, "arguments")) {
        out.arguments += *arguments;
        count_received(*arguments);
      }
    }
  }

  json top_ = json::object();
  std::map<long long, ChoiceParts> choices_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_openai_stream_decoder() {
  return std::make_unique<OpenAIStreamDecoder>();
}

}  // namespace lava_mcp::translators
