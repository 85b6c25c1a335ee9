#include <map>
#include <optional>
#include <string>

#include "base/json_cursor.h"
#include "base/json_writer.h"
#include "translators/common.h"
#include "translators/stream_decoder.h"

namespace lava_mcp::translators {
namespace {

using nlohmann::json;

bool is_thought(const json& part) {
  const json* thought = detail::member(part, "thought");
  return thought != nullptr && thought->is_boolean() && thought->get<bool>();
}

bool is_text(const json& part) { return detail::string_member(part, "text") != nullptr; }

class GeminiStreamDecoder final : public StreamDecoder {
 public:
  const char* terminal_event() const override { return "a finishReason"; }
  bool reads_after_end() const override { return true; }

  // A chunk of one candidate's one answer-text part (besides, at most, the model version and
  // the response id): read_event would add the text to the candidate's parts.
  bool read_in_place(std::string_view data) override {
    JsonCursor cursor(data);
    InPlaceChunk chunk;
    const bool read = cursor.each_member_once([&](const std::string& key) {
      return key == "candidates"     ? read_one_candidate(cursor, chunk)
             : key == "modelVersion" ? cursor.string(chunk.model_version.emplace())
             : key == "responseId"   ? cursor.string(chunk.response_id.emplace())
                                     : false;
    });
    if (!read || !cursor.at_end() || !chunk.text) {
      return false;
    }
    if (chunk.model_version) {
      top_["modelVersion"] = *chunk.model_version;
    }
    if (chunk.response_id) {
      top_["responseId"] = *chunk.response_id;
    }
    const long long index = chunk.index.value_or(0);
    json& kept = candidate(index);
    if (chunk.index) {
      kept["index"] = index < 0 ? json(index) : json(static_cast<std::uint64_t>(index));
    }
    if (chunk.role) {
      kept["content"]["role"] = *chunk.role;
    }
    appended_at(chunk.token, add_text(kept["content"]["parts"], *chunk.text), Counted::kAnswer);
    return true;
  }

  Expected<void> read_event(const json& chunk) override {
    // Each chunk restates these; the last one holds.
    for (const char* key : {"usageMetadata", "modelVersion", "responseId", "promptFeedback"}) {
      if (const json* value = detail::member(chunk, key)) {
        top_[key] = *value;
      }
    }
    if (const json* candidates = detail::array_member(chunk, "candidates")) {
      for (const json& candidate : *candidates) {
        if (!candidate.is_object()) {
          return fail(detail::invalid_response("candidates", "expected a candidate object"));
        }
        read_candidate(candidate);
      }
    }
    // The terminal chunk: a finishReason, or a prompt refused before any candidate.
    const json* feedback = detail::object_member(top_, "promptFeedback");
    ended_ = ended_ || (feedback != nullptr && detail::member(*feedback, "blockReason") != nullptr);
    return {};
  }

  json rebuilt_body() const override {
    json body = top_;
    if (!candidates_.empty()) {
      body["candidates"] = json::array();
      for (const auto& [index, candidate] : candidates_) {
        body["candidates"].push_back(candidate);
      }
    }
    return body;
  }

 private:
  struct InPlaceChunk {
    std::optional<long long> index;
    std::optional<std::string> role;
    std::optional<std::string> text;
    JsonCursor::Token token;  // the text's string in the chunk
    std::optional<std::string> model_version;
    std::optional<std::string> response_id;
  };

  // [{"content": {"parts": [{"text": "..."}], "role": "..."}, "index": N}]
  static bool read_one_candidate(JsonCursor& cursor, InPlaceChunk& chunk) {
    const auto read_member = [&](const std::string& key) {
      return key == "index"     ? cursor.integer(chunk.index.emplace())
             : key == "content" ? read_content(cursor, chunk)
                                : false;
    };
    return cursor.open_array() && cursor.next_element() && cursor.each_member_once(read_member) &&
           !cursor.next_element() && !cursor.failed();
  }

  static bool read_content(JsonCursor& cursor, InPlaceChunk& chunk) {
    return cursor.each_member_once([&](const std::string& key) {
      return key == "role"    ? cursor.string(chunk.role.emplace())
             : key == "parts" ? read_one_text_part(cursor, chunk)
                              : false;
    });
  }

  // [{"text": "..."}]: no thought, no signature.
  static bool read_one_text_part(JsonCursor& cursor, InPlaceChunk& chunk) {
    std::string key;
    if (!cursor.open_array() || !cursor.next_element() || !cursor.open_object() ||
        !cursor.next_key(key) || key != "text" ||
        !cursor.string(chunk.text.emplace(), chunk.token) || cursor.next_key(key) ||
        cursor.failed()) {
      return false;
    }
    return !cursor.next_element() && !cursor.failed();
  }

  json& candidate(long long index) {
    json& kept = candidates_[index];
    if (kept.is_null()) {
      kept = {{"content", {{"parts", json::array()}, {"role", "model"}}}};
    }
    return kept;
  }

  void read_candidate(const json& candidate) {
    const json* index = detail::member(candidate, "index");
    json& kept = this->candidate(
        index != nullptr && index->is_number_integer() ? index->get<long long>() : 0);
    for (const auto& [key, value] : candidate.items()) {
      if (key == "content") {
        read_content(value, kept["content"]);
      } else {
        kept[key] = value;  // index, finishReason, safetyRatings, ...: the last one holds
      }
    }
    ended_ = ended_ || detail::string_member(candidate, "finishReason") != nullptr;
  }

  void read_content(const json& content, json& kept) {
    if (const std::string* role = detail::string_member(content, "role")) {
      kept["role"] = *role;
    }
    const json* parts = detail::array_member(content, "parts");
    for (std::size_t k = 0; parts != nullptr && k < parts->size(); ++k) {
      add_part(parts->at(k), kept["parts"]);
    }
  }

  // A part of answer text alone, as add_part would add it.
  std::string& add_text(json& parts, std::string_view text) {
    if (json* last = text_part_to_extend(parts, false)) {
      return append_counted((*last)["text"], text, Counted::kAnswer);
    }
    count_received(text);
    parts.push_back({{"text", std::string(text)}});
    return parts.back()["text"].get_ref<std::string&>();
  }

  // Consecutive text parts of one kind (answer or thought) are one part of the whole
  // response; a thought signature closes the part it ends (it belongs to that part).
  void add_part(const json& part, json& parts) {
    if (const std::string* text = detail::string_member(part, "text")) {
      const bool thought = is_thought(part);
      const Counted counted = thought ? Counted::kThinking : Counted::kAnswer;
      if (json* last = text_part_to_extend(parts, thought)) {
        append_counted((*last)["text"], *text, counted);
        if (const json* signature = detail::member(part, "thoughtSignature")) {
          (*last)["thoughtSignature"] = *signature;
        }
        return;
      }
      count(*text, counted);
    } else if (const json* call = detail::object_member(part, "functionCall")) {
      count_received(compact_json(*call));
    }
    parts.push_back(part);
  }

  // The last part, when a text part of this kind joins it: text of the same kind that no
  // signature has closed.
  static json* text_part_to_extend(json& parts, bool thought) {
    if (parts.empty()) {
      return nullptr;
    }
    json& last = parts.back();
    return is_text(last) && is_thought(last) == thought &&
                   detail::member(last, "thoughtSignature") == nullptr
               ? &last
               : nullptr;
  }

  json top_ = json::object();
  std::map<long long, json> candidates_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_gemini_stream_decoder() {
  return std::make_unique<GeminiStreamDecoder>();
}

}  // namespace lava_mcp::translators
