// OpenAI chat-completions request -> Gemini generateContent body (translation.md section 5).
#include <algorithm>
#include <utility>

#include "translators/common.h"
#include "translators/gemini_schema.h"
#include "translators/model_table.h"
#include "translators/prepare.h"

namespace lava_mcp::translators {
namespace {

using namespace prepared_names;  // the prepared request's types (prepare.h)

// Gemini fetches only Files-API and YouTube URIs itself; any other https image is downloaded
// by the caller and sent inline (trap 17; Portkey sends any URL as fileData).
bool gemini_fetches(const std::string& url) {
  const bool files_api = url.starts_with("https://generativelanguage.googleapis.com/") &&
                         url.find("/files/") != std::string::npos;
  return files_api || url.starts_with("https://www.youtube.com/") ||
         url.starts_with("https://youtube.com/") || url.starts_with("https://m.youtube.com/") ||
         url.starts_with("https://youtu.be/");
}

bool needs_download(const std::string& url) {
  return url.starts_with("https://") && !gemini_fetches(url);
}

Failure image_part(const Message& message, const Part& part, const ImageMap& images, json& out) {
  const std::string url = detail::image_url_of(part.value);
  const std::string path = detail::dot(message.part_path(part), "image_url.url");
  if (const auto data = detail::parse_data_url(url)) {
    out = {{"inlineData", {{"mimeType", data->mime_type}, {"data", data->data}}}};
    return std::nullopt;
  }
  if (url.starts_with("https://") && gemini_fetches(url)) {
    out = {{"fileData", {{"fileUri", url}}}};
    return std::nullopt;
  }
  if (!needs_download(url)) {
    return detail::unsupported(detail::kUnsupportedContent, path,
                               "Gemini takes base64 data URLs or https images only");
  }
  const auto image = images.find(url);
  if (image == images.end() || !image->second.mime_type.starts_with("image/")) {
    return detail::unsupported(
        detail::kUnsupportedContent, path,
        "no downloaded image/* body for this URL (Gemini fetches only Files-API URIs)");
  }
  out = {{"inlineData", {{"mimeType", image->second.mime_type}, {"data", image->second.base64}}}};
  return std::nullopt;
}

Failure user_part(const Message& message, const Part& part, const ImageMap& images, json& out) {
  const std::string type = part.value.at("type").get<std::string>();
  if (type == "text") {
    out = {{"text", part.value.at("text")}};
    return std::nullopt;
  }
  if (type == "image_url") {
    return image_part(message, part, images, out);
  }
  if (type == "input_audio") {
    const json& audio = part.value.at("input_audio");
    out = {{"inlineData",
            {{"mimeType", "audio/" + audio.at("format").get<std::string>()},
             {"data", audio.at("data")}}}};
    return std::nullopt;
  }
  const json* file = detail::object_member(part.value, "file");
  const std::string* file_data =
      file == nullptr ? nullptr : detail::string_member(*file, "file_data");
  if (const auto data = file_data == nullptr ? std::nullopt : detail::parse_data_url(*file_data)) {
    out = {{"inlineData", {{"mimeType", data->mime_type}, {"data", data->data}}}};
    return std::nullopt;
  }
  return detail::unsupported(detail::kUnsupportedContent, message.part_path(part),
                             "Gemini takes files as base64 data only, not file ids");
}

struct ModelTurnContext {
  const GeminiCallMap& calls;
  const detail::ModelTraits& traits;
  std::vector<std::string>& notes;
};

json model_parts(const Message& message, const ModelTurnContext& context) {
  json parts = json::array();
  for (const Part& part : message.parts) {
    parts.push_back({{"text", part.value.at("text")}});
  }
  for (std::size_t k = 0; k < message.tool_calls.size(); ++k) {
    const detail::ToolCall& call = message.tool_calls[k];
    json function_call = {{"name", call.name}, {"args", call.arguments.value_or(json::object())}};
    const auto known = context.calls.find(call.id);
    if (known != context.calls.end() && known->second.issued_id) {
      function_call["id"] = call.id;  // echo only ids Gemini issued
    }
    json part = {{"functionCall", std::move(function_call)}};
    std::string signature = known != context.calls.end() ? known->second.thought_signature : "";
    if (signature.empty()) {
      signature = call.thought_signature;
    }
    if (signature.empty() && k == 0 && context.traits.thought_signatures) {
      // History Gemini never produced: Google documents this value to skip validation (trap 27).
      signature = std::string(kGeminiSkipSignature);
      context.notes.push_back(call.path +
                              ": no thought signature known; sent Gemini's placeholder");
    }
    if (!signature.empty()) {
      part["thoughtSignature"] = signature;
    }
    parts.push_back(std::move(part));
  }
  return parts;
}

json function_response(const Message& message, const Prepared& prepared,
                       const GeminiCallMap& calls) {
  std::string output;  // text parts joined; "output" is Google's documented result slot
  for (const Part& part : message.parts) {
    output += part.value.at("text").get<std::string>();
  }
  // The name comes from the tool-call index, never a placeholder (trap 3); prepare() has
  // already rejected tool messages with unknown ids (trap 4).
  const auto name = prepared.call_names.find(message.tool_call_id);
  json response = {{"name", name == prepared.call_names.end() ? "" : name->second},
                   {"response", {{"output", output}}}};
  const auto known = calls.find(message.tool_call_id);
  if (known != calls.end() && known->second.issued_id) {
    response["id"] = message.tool_call_id;
  }
  return {{"functionResponse", std::move(response)}};
}

Failure build_contents(const Prepared& prepared, const ImageMap& images,
                       const ModelTurnContext& context, json& body) {
  json system_parts = json::array();
  json contents = json::array();
  for (const Message& message : prepared.messages) {
    if (message.is_system()) {
      for (const Part& part : message.parts) {
        system_parts.push_back({{"text", part.value.at("text")}});
      }
      continue;
    }
    json parts = json::array();
    std::string role = "user";
    if (message.role == "assistant") {
      role = "model";
      parts = model_parts(message, context);
    } else if (message.role == "tool") {
      parts.push_back(function_response(message, prepared, context.calls));
    } else {
      for (const Part& part : message.parts) {
        json converted;
        if (Failure failure = user_part(message, part, images, converted)) {
          return failure;
        }
        parts.push_back(std::move(converted));
      }
    }
    if (parts.empty()) {
      continue;
    }
    // Consecutive tool messages, and a user message right after them, become one content
    // (Gemini wants as many response parts as there were call parts; trap 5).
    if (!contents.empty() && contents.back().at("role") == role) {
      for (json& part : parts) {
        contents.back()["parts"].push_back(std::move(part));
      }
    } else {
      contents.push_back({{"role", role}, {"parts", std::move(parts)}});
    }
  }
  if (contents.empty()) {
    return detail::unsupported(detail::kUnsupportedContent, "messages",
                               "Gemini needs at least one non-empty user or assistant message");
  }
  if (!system_parts.empty()) {
    body["systemInstruction"] = {{"parts", std::move(system_parts)}};
  }
  body["contents"] = std::move(contents);
  return std::nullopt;
}

// A schema in the form this model takes: plain JSON Schema where the model table says so,
// else the OpenAPI subset.
Failure gemini_schema(const json& schema, const std::string& path,
                      const detail::ModelTraits& traits, std::vector<std::string>& notes,
                      json& out) {
  if (traits.json_schema_fields) {
    out = schema;
    return std::nullopt;
  }
  detail::GeminiSchema converted = detail::to_gemini_schema(schema);
  if (!converted.error.empty()) {
    return detail::unsupported(detail::kUnsupportedParameter, path, converted.error);
  }
  if (!converted.dropped.empty()) {
    std::string names;
    for (const std::string& name : converted.dropped) {
      names += (names.empty() ? "" : ", ") + name;
    }
    notes.push_back(path + ": dropped " + names + " (outside Gemini's schema subset)");
  }
  out = std::move(converted.schema);
  return std::nullopt;
}

// Gemini's functionCallingConfig for the caller's mode; null when the caller set none.
json function_calling_config(const detail::ToolChoice& requested) {
  using Mode = detail::ToolChoice::Mode;
  switch (requested.mode) {
    case Mode::kAuto:
      return {{"mode", "AUTO"}};
    case Mode::kNone:
      return {{"mode", "NONE"}};
    case Mode::kRequired:
      return {{"mode", "ANY"}};
    case Mode::kNamed:
      return {{"mode", "ANY"}, {"allowedFunctionNames", json::array({requested.name})}};
    case Mode::kUnset:
      break;
  }
  return nullptr;
}

Failure build_tools(const Prepared& prepared, const detail::ModelTraits& traits, json& body,
                    std::vector<std::string>& notes) {
  if (prepared.tools.empty()) {
    return std::nullopt;
  }
  json declarations = json::array();
  for (const detail::Tool& tool : prepared.tools) {
    json declaration = {{"name", tool.name}};
    if (!tool.description.is_null()) {
      declaration["description"] = tool.description;
    }
    if (!detail::is_no_argument_schema(tool.parameters)) {  // trap 9
      json schema;
      if (Failure failure = gemini_schema(tool.parameters, tool.path + ".function.parameters",
                                          traits, notes, schema)) {
        return failure;
      }
      declaration[traits.json_schema_fields ? "parametersJsonSchema" : "parameters"] =
          std::move(schema);
    }
    declarations.push_back(std::move(declaration));
  }
  json entry = {{"functionDeclarations", std::move(declarations)}};
  body["tools"] = json::array({std::move(entry)});
  json config = function_calling_config(prepared.tool_choice);
  if (!config.is_null()) {
    body["toolConfig"] = {{"functionCallingConfig", std::move(config)}};
  }
  return std::nullopt;
}

// The allowed level nearest to the wanted one (ties go to more thinking), as Gemini names it.
std::string nearest_level(unsigned wanted, unsigned allowed) {
  static constexpr std::pair<unsigned, std::string_view> kLevels[] = {
      {detail::kLevelMinimal, "minimal"},
      {detail::kLevelLow, "low"},
      {detail::kLevelMedium, "medium"},
      {detail::kLevelHigh, "high"}};
  int wanted_rank = 0;
  for (int rank = 0; rank < 4; ++rank) {
    wanted_rank = kLevels[rank].first == wanted ? rank : wanted_rank;
  }
  std::string_view best = "high";
  int best_distance = 4;
  for (int rank = 0; rank < 4; ++rank) {
    const int distance = rank > wanted_rank ? rank - wanted_rank : wanted_rank - rank;
    if ((allowed & kLevels[rank].first) != 0 && distance <= best_distance) {
      best = kLevels[rank].second;
      best_distance = distance;
    }
  }
  return std::string(best);
}

unsigned wanted_level(detail::Effort effort) {
  switch (effort) {
    case detail::Effort::kNone:
    case detail::Effort::kMinimal:
      return detail::kLevelMinimal;
    case detail::Effort::kLow:
      return detail::kLevelLow;
    case detail::Effort::kMedium:
      return detail::kLevelMedium;
    case detail::Effort::kHigh:
    case detail::Effort::kXhigh:
      break;
  }
  return detail::kLevelHigh;
}

// reasoning_effort as thinkingLevel (Gemini 3+) or thinkingBudget (2.5), never both (13.1,
// trap 31); thought summaries asked for whenever the model thinks on request.
void thinking_config(detail::Effort effort, const detail::ModelTraits& traits, json& config,
                     std::vector<std::string>& notes) {
  const std::string wanted(detail::effort_name(effort));
  json thinking = json::object();
  if (traits.gemini_thinking == detail::GeminiThinking::kLevel) {
    const std::string level = nearest_level(wanted_level(effort), traits.gemini_levels);
    if (level != wanted) {
      notes.push_back("reasoning_effort " + wanted + " sent as thinkingLevel " + level +
                      (effort == detail::Effort::kNone ? " (Gemini 3 cannot turn thinking off)"
                                                       : " (the nearest this model takes)"));
    }
    thinking["thinkingLevel"] = level;
  } else {
    long long budget = 0;
    if (effort != detail::Effort::kNone) {
      budget = std::clamp(detail::thinking_budget(effort), traits.budget_min, traits.budget_max);
    } else if (!traits.budget_can_disable) {
      budget = traits.budget_min;
      notes.push_back("reasoning_effort none sent as thinkingBudget " + std::to_string(budget) +
                      " (this model cannot turn thinking off)");
    }
    thinking["thinkingBudget"] = budget;
  }
  if (effort != detail::Effort::kNone) {
    thinking["includeThoughts"] = true;  // the reasoning text comes back as thought parts
  }
  config["thinkingConfig"] = std::move(thinking);
}

Failure build_generation_config(const Prepared& prepared, const detail::ModelTraits& traits,
                                json& body, std::vector<std::string>& notes) {
  json config = json::object();
  if (prepared.max_tokens) {
    config["maxOutputTokens"] = *prepared.max_tokens;
  }
  if (prepared.temperature) {
    config["temperature"] = *prepared.temperature;  // 0-2 is valid for Gemini (trap 15)
  }
  if (prepared.top_p) {
    config["topP"] = *prepared.top_p;
  }
  if (prepared.stop && !prepared.stop->empty()) {
    config["stopSequences"] = *prepared.stop;
  }
  if (prepared.n) {
    config["candidateCount"] = *prepared.n;
  }
  if (prepared.seed) {
    config["seed"] = *prepared.seed;
  }
  if (prepared.presence_penalty) {
    config["presencePenalty"] = *prepared.presence_penalty;
  }
  if (prepared.frequency_penalty) {
    config["frequencyPenalty"] = *prepared.frequency_penalty;
  }
  if (prepared.json_mode != detail::JsonMode::kNone) {
    config["responseMimeType"] = "application/json";
  }
  if (prepared.reasoning_effort) {
    if (traits.gemini_thinking == detail::GeminiThinking::kNone) {
      notes.push_back("dropped reasoning_effort (this Gemini model has no thinking)");
    } else {
      thinking_config(*prepared.reasoning_effort, traits, config, notes);
    }
  }
  if (prepared.json_mode == detail::JsonMode::kSchema) {
    json schema;
    if (Failure failure = gemini_schema(prepared.json_schema, "response_format.json_schema.schema",
                                        traits, notes, schema)) {
      return failure;
    }
    config[traits.json_schema_fields ? "responseJsonSchema" : "responseSchema"] = std::move(schema);
  }
  if (!config.empty()) {
    body["generationConfig"] = std::move(config);
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> image_urls_to_inline(const json& openai_request) {
  std::vector<std::string> urls;
  const json* messages = detail::array_member(openai_request, "messages");
  for (const json& message : messages == nullptr ? json::array() : *messages) {
    const std::string* role = detail::string_member(message, "role");
    const json* content = detail::array_member(message, "content");
    if (role == nullptr || *role != "user" || content == nullptr) {
      continue;
    }
    for (const json& part : *content) {
      const std::string* type = detail::string_member(part, "type");
      if (type == nullptr || *type != "image_url") {
        continue;
      }
      const std::string url = detail::image_url_of(part);
      if (needs_download(url) && std::find(urls.begin(), urls.end(), url) == urls.end()) {
        urls.push_back(url);
      }
    }
  }
  return urls;
}

RequestResult to_gemini(const json& openai_request, const std::string& model,
                        const ImageMap& images, const GeminiCallMap& calls) {
  auto prepared_or = detail::prepare(openai_request);
  if (auto* failure = std::get_if<RequestFailure>(&prepared_or)) {
    return *failure;
  }
  const Prepared& prepared = std::get<Prepared>(prepared_or);
  const detail::ModelTraits traits = detail::model_traits(model);
  TranslatedRequest out;
  out.notes = prepared.notes;
  out.body = json::object();  // the model goes in the URL path only (trap 18)
  const ModelTurnContext context{calls, traits, out.notes};
  if (Failure failure = build_contents(prepared, images, context, out.body)) {
    return *failure;
  }
  if (Failure failure = build_tools(prepared, traits, out.body, out.notes)) {
    return *failure;
  }
  if (Failure failure = build_generation_config(prepared, traits, out.body, out.notes)) {
    return *failure;
  }
  detail::note_dropped(prepared,
                       {"model", "messages", "max_tokens", "max_completion_tokens", "temperature",
                        "top_p", "stop", "tools", "tool_choice", "response_format", "n", "seed",
                        "presence_penalty", "frequency_penalty", "modalities", "reasoning_effort"},
                       "gemini", out.notes);
  return out;
}

}  // namespace lava_mcp::translators
