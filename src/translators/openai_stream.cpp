#include <cstdint>
#include <map>
#include <string>

#include "base/json_cursor.h"
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

  // A chunk that adds one piece of one choice's text (or reasoning), or ends a choice (its
  // finish_reason, an empty delta), or carries the usage with no choice, and repeats what
  // earlier chunks said of the rest: read_event would only append the piece (and note the
  // logprobs), set the finish reason, or keep the usage. A short answer is mostly the latter two.
  bool read_in_place(std::string_view data) override {
    if (top_.empty()) {
      return false;  // the first chunk says what the others repeat
    }
    JsonCursor cursor(data);
    InPlaceChunk chunk;
    const bool read = cursor.each_member_once(
        [&](const std::string& key) { return read_top_member(cursor, key, chunk); });
    if (!read || !cursor.at_end()) {
      return false;
    }
    if (chunk.usage.is_object() && chunk.choice.index < 0) {
      top_["usage"] = std::move(chunk.usage);
      return true;
    }
    InPlaceChoice& choice = chunk.choice;
    if (chunk.usage.is_object() || choice.index < 0) {
      return false;
    }
    ChoiceParts& parts = choices_[choice.index];
    parts.has_logprobs = parts.has_logprobs || choice.logprobs;
    if (!choice.finish_reason.empty()) {
      parts.finish_reason = choice.finish_reason;
    }
    if (!choice.field.empty()) {
      std::string& field = append(parts, choice.field, choice.piece);
      appended_at(choice.token, field, counted_as(choice.field));
    }
    return true;
  }

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
  struct InPlaceChoice {
    long long index = -1;
    std::string field;  // "content", "reasoning_content" or "reasoning"; "" for none
    std::string piece;
    JsonCursor::Token token;    // the piece's string in the event
    bool logprobs = false;      // a null logprobs member (read_logprobs marks the choice)
    std::string finish_reason;  // "" while null
  };
  struct InPlaceChunk {
    InPlaceChoice choice;  // index -1: "choices" was empty
    json usage;            // an object when the chunk carried one
  };

  bool same_as_before(JsonCursor& cursor, const std::string& key) {
    const json* before = detail::member(top_, key);
    if (cursor.peek() == 'n') {
      return cursor.null();  // a null changes nothing
    }
    if (before == nullptr) {
      return false;
    }
    if (before->is_string()) {
      std::string value;
      return cursor.string(value) && value == before->get_ref<const std::string&>();
    }
    long long value = 0;
    return before->is_number_integer() && cursor.integer(value) && value >= 0 &&
           *before == json(static_cast<std::uint64_t>(value));
  }

  bool read_top_member(JsonCursor& cursor, const std::string& key, InPlaceChunk& chunk) {
    if (key == "id" || key == "created" || key == "model" || key == "system_fingerprint" ||
        key == "service_tier") {
      return same_as_before(cursor, key);
    }
    if (key == "object" || key == "obfuscation") {
      std::string value;
      return cursor.string(value) && (key != "object" || value == "chat.completion.chunk");
    }
    if (key == "usage") {
      return cursor.peek() == 'n' ? cursor.null() : read_counts(cursor, chunk.usage, 2);
    }
    return key == "choices" && read_choices(cursor, chunk.choice);
  }

  // Token counts: an object of non-negative integers, and of such objects (the details), as
  // the full parse would hold them (unsigned).
  static bool read_counts(JsonCursor& cursor, json& out, int depth) {
    out = json::object();
    return cursor.each_member_once([&](const std::string& key) {
      if (cursor.peek() == '{') {
        return depth > 1 && read_counts(cursor, out[key], depth - 1);
      }
      long long count = 0;
      if (!cursor.integer(count) || count < 0) {
        return false;
      }
      out[key] = static_cast<std::uint64_t>(count);
      return true;
    });
  }

  // No choice, or exactly one.
  static bool read_choices(JsonCursor& cursor, InPlaceChoice& choice) {
    if (!cursor.open_array()) {
      return false;
    }
    if (!cursor.next_element()) {
      return !cursor.failed();
    }
    return read_one_choice(cursor, choice) && !cursor.next_element() && !cursor.failed();
  }

  static bool read_one_choice(JsonCursor& cursor, InPlaceChoice& choice) {
    const auto read_member = [&](const std::string& key) {
      if (key == "index") {
        return cursor.integer(choice.index) && choice.index >= 0;
      }
      if (key == "finish_reason") {
        return cursor.peek() == 'n'
                   ? cursor.null()
                   : cursor.string(choice.finish_reason) && !choice.finish_reason.empty();
      }
      if (key == "logprobs") {
        choice.logprobs = true;  // a null logprobs member still marks the choice
        return cursor.null();
      }
      return key == "delta" && read_delta(cursor, choice);
    };
    return cursor.each_member_once(read_member) &&
           (!choice.field.empty() || !choice.finish_reason.empty());
  }

  // {"content": "..."} alone (or reasoning_content, reasoning): one string, no role; or {}.
  static bool read_delta(JsonCursor& cursor, InPlaceChoice& choice) {
    std::string key;
    if (!cursor.open_object()) {
      return false;
    }
    if (!cursor.next_key(key)) {
      return !cursor.failed();
    }
    if ((key != "content" && key != "reasoning_content" && key != "reasoning") ||
        !cursor.string(choice.piece, choice.token)) {
      return false;
    }
    choice.field = key;
    return !cursor.next_key(key) && !cursor.failed();
  }

  // One string field of a choice's deltas, joined.
  std::string& append(ChoiceParts& parts, const std::string& key, std::string_view piece) {
    return append_counted(parts.message[key], piece, counted_as(key));
  }

  // Reasoning text (reasoning_content, or reasoning as some OpenAI-compatible servers name it)
  // is thinking, not answer.
  static Counted counted_as(const std::string& key) {
    return key == "reasoning_content" || key == "reasoning" ? Counted::kThinking : Counted::kAnswer;
  }

  void read_choice(const json& choice) {
    const json* index = detail::member(choice, "index");
    ChoiceParts& parts =
        choices_[index != nullptr && index->is_number_integer() ? index->get<long long>() : 0];
    if (const json* delta = detail::object_member(choice, "delta")) {
      for (const auto& [key, value] : delta->items()) {
        if (value.is_string() && key != "role") {
          append(parts, key, value.get_ref<const std::string&>());
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
