// Gemini GenerateContentResponse -> OpenAI chat.completion (translation.md 7.3, 7.4, 7.5).
#include <algorithm>

#include "base/json_writer.h"
#include "translators/common.h"
#include "translators/completion.h"

namespace lava_mcp::translators {
namespace {

using detail::json;

// Section 7.4. Gemini says STOP even when it called functions (trap 2).
std::string_view finish_reason(const std::string* reason, bool has_calls) {
  const std::string value = reason == nullptr ? "" : *reason;
  if (value == "MAX_TOKENS") {
    return "length";
  }
  static constexpr std::string_view kFiltered[] = {
      "SAFETY", "RECITATION",   "BLOCKLIST", "PROHIBITED_CONTENT",
      "SPII",   "IMAGE_SAFETY", "LANGUAGE"};
  if (std::find(std::begin(kFiltered), std::end(kFiltered), value) != std::end(kFiltered)) {
    return "content_filter";
  }
  if (has_calls && (value == "STOP" || value.empty())) {
    return "tool_calls";
  }
  return "stop";  // STOP, OTHER, MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, unknown ...
}

// Section 7.5: promptTokenCount already includes cached tokens; thoughts are completion
// tokens (trap 11).
json gemini_usage(const json& metadata) {
  const long long thoughts = detail::count_member(metadata, "thoughtsTokenCount");
  return detail::usage(
      detail::add_counts(detail::count_member(metadata, "promptTokenCount"),
                         detail::count_member(metadata, "toolUsePromptTokenCount")),
      detail::add_counts(detail::count_member(metadata, "candidatesTokenCount"), thoughts),
      detail::count_member(metadata, "cachedContentTokenCount"), thoughts);
}

struct Translated {
  long long index = 0;
  json choice;
};

Expected<Translated> translate_candidate(const json& candidate, std::size_t position,
                                         const std::string& seed, GeminiCallMap* calls) {
  const std::string path = detail::at("candidates", position);
  if (!candidate.is_object()) {
    return fail(detail::invalid_response(path, "expected an object"));
  }
  const json* index = detail::member(candidate, "index");
  Translated out;
  // Gemini omits index 0 (a proto3 default), so an absent index is 0, not the position.
  out.index = index != nullptr && index->is_number_integer() ? index->get<long long>() : 0;
  const json* content = detail::object_member(candidate, "content");
  const json* parts = content == nullptr ? nullptr : detail::array_member(*content, "parts");
  std::string text;
  std::string reasoning;  // thought summaries: never in content (trap 32)
  json tool_calls = json::array();
  for (std::size_t k = 0; parts != nullptr && k < parts->size(); ++k) {
    const json& part = parts->at(k);
    const std::string part_path = detail::at(detail::dot(path, "content.parts"), k);
    const json* thought = detail::member(part, "thought");
    const bool is_thought = thought != nullptr && thought->is_boolean() && thought->get<bool>();
    if (const std::string* part_text = detail::string_member(part, "text"); part_text != nullptr) {
      (is_thought ? reasoning : text) += *part_text;
    }
    const json* call = detail::object_member(part, "functionCall");
    if (call == nullptr) {
      continue;
    }
    const std::string* name = detail::string_member(*call, "name");
    const json* args = detail::member(*call, "args");
    if (name == nullptr || (args != nullptr && !args->is_object())) {
      return fail(detail::invalid_response(detail::dot(part_path, "functionCall"),
                                           "expected a name and object args"));
    }
    const std::string* issued = detail::string_member(*call, "id");
    const std::string id = issued != nullptr && !issued->empty()
                               ? *issued
                               : "call_" + detail::derived_token(seed + "|" + part_path, 24);
    json converted =
        detail::tool_call(id, *name, args == nullptr ? json::object() : *args);  // trap 7
    const std::string* signature = detail::string_member(part, "thoughtSignature");
    if (signature != nullptr) {
      // The slot Google's own OpenAI-compatible endpoint uses, so a client that replays the
      // assistant message verbatim carries the signature back (trap 27).
      converted["extra_content"] = {{"google", {{"thought_signature", *signature}}}};
    }
    if (calls != nullptr) {
      (*calls)[id] = GeminiCall{issued != nullptr && !issued->empty(),
                                signature == nullptr ? std::string() : *signature};
    }
    tool_calls.push_back(std::move(converted));
  }
  const bool has_calls = !tool_calls.empty();
  out.choice =
      detail::choice(out.index, text, std::move(tool_calls),
                     finish_reason(detail::string_member(candidate, "finishReason"), has_calls));
  detail::add_reasoning(out.choice, reasoning, json());
  return out;
}

}  // namespace

Expected<json> from_gemini(const json& body, const std::string& model, long long created,
                           GeminiCallMap* calls) {
  if (!body.is_object()) {
    return fail(detail::invalid_response("", "expected a JSON object"));
  }
  if (detail::object_member(body, "error") != nullptr) {
    return fail(detail::error_under_2xx(Format::kGemini, body));
  }
  // Ids Gemini did not give are derived from the body and arrival time (translators take no
  // randomness), so they are stable for one response and distinct across responses.
  const std::string seed = compact_json(body) + "|" + std::to_string(created);
  const std::string* response_id = detail::string_member(body, "responseId");
  const std::string* version = detail::string_member(body, "modelVersion");
  json choices = json::array();
  const json* candidates = detail::array_member(body, "candidates");
  if (candidates == nullptr || candidates->empty()) {
    const json* feedback = detail::object_member(body, "promptFeedback");
    if (feedback == nullptr || detail::string_member(*feedback, "blockReason") == nullptr) {
      return fail(detail::invalid_response("candidates", "expected a non-empty array"));
    }
    // The prompt was blocked: a valid answer, not a reason to fall back (trap 20).
    choices.push_back(detail::choice(0, "", json::array(), "content_filter"));
  } else {
    std::vector<Translated> translated;
    for (std::size_t i = 0; i < candidates->size(); ++i) {
      auto candidate = translate_candidate(candidates->at(i), i, seed, calls);
      if (!candidate) {
        return fail(candidate.error());
      }
      translated.push_back(std::move(*candidate));
    }
    std::stable_sort(translated.begin(), translated.end(),
                     [](const Translated& a, const Translated& b) { return a.index < b.index; });
    for (Translated& item : translated) {
      choices.push_back(std::move(item.choice));
    }
  }
  json out = detail::completion(
      response_id != nullptr ? *response_id : "chatcmpl-" + detail::derived_token(seed, 24),
      version != nullptr ? *version : model, created, std::move(choices));
  if (const json* metadata = detail::object_member(body, "usageMetadata")) {
    out["usage"] = gemini_usage(*metadata);
  }
  return out;
}

}  // namespace lava_mcp::translators
