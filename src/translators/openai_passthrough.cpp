// OpenAI-compatible targets (translation.md section 6): the request passes with routing and
// streaming fields removed; the response is validated and normalised.
#include "base/json_writer.h"
#include "translators/common.h"
#include "translators/completion.h"
#include "translators/model_table.h"

namespace lava_mcp::translators {
namespace {

using detail::json;

// A tool call's arguments are always a JSON string of an object: objects are serialised,
// "" and missing become "{}" (section 1).
Expected<void> normalise_tool_calls(json& message, const std::string& path) {
  json* calls = message.contains("tool_calls") ? &message["tool_calls"] : nullptr;
  if (calls == nullptr || calls->is_null()) {
    return {};
  }
  if (!calls->is_array()) {
    return fail(detail::invalid_response(detail::dot(path, "tool_calls"), "expected an array"));
  }
  for (std::size_t k = 0; k < calls->size(); ++k) {
    json& call = (*calls)[k];
    json* function = call.is_object() && call.contains("function") ? &call["function"] : nullptr;
    if (function == nullptr || !function->is_object()) {
      return fail(detail::invalid_response(detail::at(detail::dot(path, "tool_calls"), k),
                                           "expected an object with a function"));
    }
    json& arguments = (*function)["arguments"];
    if (arguments.is_null() ||
        (arguments.is_string() && arguments.get_ref<const std::string&>().empty())) {
      arguments = "{}";
    } else if (!arguments.is_string()) {
      arguments = compact_json(arguments);
    }
  }
  return {};
}

// Reasoning from earlier answers never reaches an OpenAI-compatible target (13.3): some refuse
// the unknown fields, and none would read Anthropic blocks.
void drop_history_reasoning(json& body, std::vector<std::string>& notes) {
  json* messages = body.contains("messages") ? &body["messages"] : nullptr;
  if (messages == nullptr || !messages->is_array()) {
    return;
  }
  bool dropped = false;
  for (json& message : *messages) {
    if (message.is_object()) {
      dropped =
          message.erase("thinking_blocks") + message.erase("reasoning_content") > 0 || dropped;
    }
  }
  if (dropped) {
    notes.push_back("dropped thinking_blocks and reasoning_content from the history");
  }
}

bool is_default(const json& value, std::string_view key) {
  if (key == "temperature" || key == "top_p") {
    return value.is_number() && value.get<double>() == 1;
  }
  if (key == "presence_penalty" || key == "frequency_penalty") {
    return value.is_number() && value.get<double>() == 0;
  }
  return key == "logprobs" && value.is_boolean() && !value.get<bool>();
}

// OpenAI's reasoning models refuse max_tokens and every non-default sampling parameter with a
// 400 the caller of a fallback chain never caused (13.4, trap 37).
void fit_reasoning_model(const detail::ModelTraits& traits, json& body,
                         std::vector<std::string>& notes) {
  if (!detail::absent(body, "max_tokens")) {
    if (detail::absent(body, "max_completion_tokens")) {
      body["max_completion_tokens"] = body["max_tokens"];
      notes.push_back(
          "max_tokens sent as max_completion_tokens (this reasoning model refuses "
          "max_tokens)");
    } else {
      notes.push_back("dropped max_tokens (max_completion_tokens wins)");
    }
    body.erase("max_tokens");
  }
  const std::string* effort = detail::string_member(body, "reasoning_effort");
  if (traits.sampling_with_effort_none && effort != nullptr && *effort == "none") {
    return;  // gpt-5.1 and later take sampling parameters when they do not reason
  }
  for (const char* key : {"temperature", "top_p", "presence_penalty", "frequency_penalty",
                          "logprobs", "top_logprobs", "logit_bias"}) {
    if (!detail::absent(body, key) && !is_default(body[key], key)) {
      notes.push_back(std::string("dropped ") + key +
                      " (this reasoning model takes only the default)");
      body.erase(key);
    }
  }
}

}  // namespace

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kOpenAI:
      return "openai";
    case Format::kAnthropic:
      return "anthropic";
    case Format::kGemini:
      return "gemini";
  }
  return "openai";
}

RequestResult to_openai(const json& openai_request, const std::string& model) {
  if (!openai_request.is_object()) {
    return detail::local_invalid("", "the request must be a JSON object");
  }
  TranslatedRequest out;
  out.body = openai_request;
  for (const char* key : {"fallbacks", "url", "timeout_ms", "deadline_ms", "stream_options"}) {
    out.body.erase(key);
  }
  if (const json* stream = detail::member(out.body, "stream"); stream != nullptr) {
    if (stream->is_boolean() && stream->get<bool>()) {
      out.notes.push_back(
          "stream ignored (the tool answers with one result; each attempt streams from the "
          "provider on its own)");
    }
    out.body.erase("stream");
  }
  out.body["model"] = model;
  drop_history_reasoning(out.body, out.notes);
  if (const detail::ModelTraits traits = detail::model_traits(model); traits.openai_reasoning) {
    fit_reasoning_model(traits, out.body, out.notes);
  }
  return out;
}

Expected<json> from_openai(json body, long long created, const std::string& model) {
  if (!body.is_object()) {
    return fail(detail::invalid_response("", "expected a JSON object"));
  }
  if (detail::object_member(body, "error") != nullptr) {
    return fail(detail::error_under_2xx(Format::kOpenAI, body));
  }
  const json* found = detail::array_member(body, "choices");
  if (found == nullptr || found->empty()) {
    return fail(detail::invalid_response("choices", "expected a non-empty array"));
  }
  // A missing id is derived from the answer as it came, so keep its bytes before changing it.
  const std::string id_seed =
      detail::string_member(body, "id") == nullptr ? compact_json(body) : "";
  json out = std::move(body);
  json& choices = out["choices"];
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const std::string path = detail::at("choices", i);
    json& choice = choices[i];
    if (!choice.is_object() || detail::object_member(choice, "message") == nullptr) {
      return fail(detail::invalid_response(path, "expected an object with a message"));
    }
    if (!choice.contains("index")) {
      choice["index"] = i;
    }
    auto normalised = normalise_tool_calls(choice["message"], detail::dot(path, "message"));
    if (!normalised) {
      return fail(normalised.error());
    }
  }
  out["object"] = "chat.completion";
  if (detail::string_member(out, "model") == nullptr) {
    out["model"] = model;
  }
  const json* upstream_created = detail::member(out, "created");
  if (upstream_created == nullptr || !upstream_created->is_number_integer()) {
    out["created"] = created;
  }
  if (detail::string_member(out, "id") == nullptr) {
    out["id"] = "chatcmpl-" + detail::derived_token(id_seed + std::to_string(created), 24);
  }
  const json* usage = detail::object_member(out, "usage");
  const json* prompt = usage == nullptr ? nullptr : detail::member(*usage, "prompt_tokens");
  const json* completion = usage == nullptr ? nullptr : detail::member(*usage, "completion_tokens");
  if (prompt != nullptr && completion != nullptr && prompt->is_number_integer() &&
      completion->is_number_integer()) {
    // The 7.5 invariant holds for every response, whatever the provider added up.
    out["usage"]["total_tokens"] =
        detail::add_counts(prompt->get<long long>(), completion->get<long long>());
  }
  return out;
}

}  // namespace lava_mcp::translators
