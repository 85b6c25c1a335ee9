#include <map>
#include <string>

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
  void read_candidate(const json& candidate) {
    const json* index = detail::member(candidate, "index");
    json& kept =
        candidates_[index != nullptr && index->is_number_integer() ? index->get<long long>() : 0];
    if (kept.is_null()) {
      kept = {{"content", {{"parts", json::array()}, {"role", "model"}}}};
    }
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

  // Consecutive text parts of one kind (answer or thought) are one part of the whole
  // response; a thought signature closes the part it ends (it belongs to that part).
  void add_part(const json& part, json& parts) {
    if (const std::string* text = detail::string_member(part, "text")) {
      if (is_thought(part)) {
        count_thinking(*text);
      } else {
        count_received(*text);
      }
      if (!parts.empty()) {
        json& last = parts.back();
        if (is_text(last) && is_thought(last) == is_thought(part) &&
            detail::member(last, "thoughtSignature") == nullptr) {
          last["text"].get_ref<std::string&>() += *text;  // in place: stays linear
          if (const json* signature = detail::member(part, "thoughtSignature")) {
            last["thoughtSignature"] = *signature;
          }
          return;
        }
      }
    } else if (const json* call = detail::object_member(part, "functionCall")) {
      count_received(compact_json(*call));
    }
    parts.push_back(part);
  }

  json top_ = json::object();
  std::map<long long, json> candidates_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_gemini_stream_decoder() {
  return std::make_unique<GeminiStreamDecoder>();
}

}  // namespace lava_mcp::translators
