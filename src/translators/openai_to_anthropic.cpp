// OpenAI chat-completions request -> Anthropic Messages body (translation.md section 4).
#include <algorithm>

#include "base/json_writer.h"
#include "translators/anthropic_thinking.h"
#include "translators/common.h"
#include "translators/model_table.h"
#include "translators/prepare.h"

namespace lava_mcp::translators {
namespace {

using namespace prepared_names;  // the prepared request's types (prepare.h)

// Anthropic accepts only [A-Za-z0-9_-] in tool ids; the same function on tool_use and
// tool_result keeps every pair matched (section 4, tool-call ids).
std::string anthropic_tool_id(const std::string& id) {
  std::string out = id;
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) {
      c = '_';
    }
  }
  return out;
}

// Member by member: a nested initializer list copies the pair and the text once more.
json text_block(const Part& part) {
  json block = json::object();
  block["type"] = "text";
  block["text"] = part.value.at("text");
  return block;
}

bool is_anthropic_image_type(const std::string& mime) {
  return mime == "image/jpeg" || mime == "image/png" || mime == "image/gif" || mime == "image/webp";
}

Failure image_block(const Message& message, const Part& part, json& block) {
  const std::string url = detail::image_url_of(part.value);
  if (url.starts_with("http://") || url.starts_with("https://")) {
    block = {{"type", "image"},
             {"source", {{"type", "url"}, {"url", url}}}};  // Anthropic fetches it
    return std::nullopt;
  }
  const auto data = detail::parse_data_url(url);
  if (!data || !is_anthropic_image_type(data->mime_type)) {
    return detail::unsupported(detail::kUnsupportedContent, message.part_path(part),
                               "Anthropic takes base64 JPEG, PNG, GIF or WebP data URLs only");
  }
  block = {{"type", "image"},
           {"source", {{"type", "base64"}, {"media_type", data->mime_type}, {"data", data->data}}}};
  return std::nullopt;
}

Failure user_block(const Message& message, const Part& part, json& block) {
  const std::string type = part.value.at("type").get<std::string>();
  if (type == "text") {
    block = text_block(part);
    return std::nullopt;
  }
  if (type == "image_url") {
    return image_block(message, part, block);
  }
  if (type == "file") {
    // A PDF data URL becomes a document block; file ids and other types cannot be sent.
    const json* file = detail::object_member(part.value, "file");
    const std::string* file_data =
        file == nullptr ? nullptr : detail::string_member(*file, "file_data");
    const auto data = file_data == nullptr ? std::nullopt : detail::parse_data_url(*file_data);
    if (data && data->mime_type == "application/pdf") {
      block = {
          {"type", "document"},
          {"source", {{"type", "base64"}, {"media_type", data->mime_type}, {"data", data->data}}}};
      return std::nullopt;
    }
  }
  return detail::unsupported(detail::kUnsupportedContent, message.part_path(part),
                             "Anthropic cannot take '" + type + "' content here");
}

json tool_result_block(const Message& message) {
  json block = {{"type", "tool_result"}, {"tool_use_id", anthropic_tool_id(message.tool_call_id)}};
  if (message.string_content) {
    block["content"] = message.parts.front().value.at("text");
  } else if (!message.parts.empty()) {
    json blocks = json::array();
    for (const Part& part : message.parts) {
      blocks.push_back(text_block(part));
    }
    block["content"] = std::move(blocks);
  }
  return block;
}

struct Turn {
  std::string role;
  json blocks = json::array();
  bool plain_string = false;  // one message whose content was a string: sent as a string
};

Failure convert_message(const Message& message, Turn& turn) {
  if (message.role == "tool") {
    turn.role = "user";
    turn.blocks.push_back(tool_result_block(message));
    return std::nullopt;
  }
  turn.role = message.role;
  if (!message.thinking_blocks_error.empty()) {
    return detail::unsupported(detail::kUnsupportedContent,
                               detail::dot(message.path(), "thinking_blocks"),
                               message.thinking_blocks_error);
  }
  // Replayed first and unchanged: Anthropic checks each signature (13.3, trap 33).
  for (const json& block :
       message.thinking_blocks.is_array() ? message.thinking_blocks : json::array()) {
    turn.blocks.push_back(block);
  }
  for (const Part& part : message.parts) {
    json block;
    if (message.role == "user") {
      if (Failure failure = user_block(message, part, block)) {
        return failure;
      }
    } else {
      block = text_block(part);
    }
    turn.blocks.push_back(std::move(block));
  }
  for (const detail::ToolCall& call : message.tool_calls) {
    turn.blocks.push_back({{"type", "tool_use"},
                           {"id", anthropic_tool_id(call.id)},
                           {"name", call.name},
                           {"input", call.arguments.value_or(json::object())}});
  }
  turn.plain_string =
      message.string_content && message.tool_calls.empty() && message.thinking_blocks.is_null();
  return std::nullopt;
}

// Assembly order (section 4): hoist system, drop empty messages, convert, then merge adjacent
// same-role turns; tool results therefore open their user turn, with a following user message's
// blocks after them (trap 5), and a tool_use is always answered in the very next message.
Failure build_messages(const Prepared& prepared, json& body) {
  json system = json::array();
  std::vector<Turn> turns;
  for (const Message& message : prepared.messages) {
    if (message.is_system()) {
      for (const Part& part : message.parts) {
        system.push_back(text_block(part));
      }
      continue;
    }
    Turn turn;
    if (Failure failure = convert_message(message, turn)) {
      return failure;
    }
    if (turn.blocks.empty()) {
      continue;
    }
    if (!turns.empty() && turns.back().role == turn.role) {
      for (json& block : turn.blocks) {
        turns.back().blocks.push_back(std::move(block));
      }
      turns.back().plain_string = false;
    } else {
      turns.push_back(std::move(turn));
    }
  }
  if (turns.empty()) {
    return detail::unsupported(detail::kUnsupportedContent, "messages",
                               "Anthropic needs at least one non-empty user or assistant message");
  }
  if (!system.empty()) {  // trap 14: no "system": [] when there is none
    body["system"] = std::move(system);
  }
  json messages = json::array();
  for (Turn& turn : turns) {
    json content = turn.plain_string ? turn.blocks.front().at("text") : std::move(turn.blocks);
    messages.push_back({{"role", turn.role}, {"content", std::move(content)}});
  }
  body["messages"] = std::move(messages);
  return std::nullopt;
}

// Anthropic's tool_choice for the caller's mode; null when the caller set none.
json anthropic_tool_choice(const detail::ToolChoice& requested) {
  switch (requested.mode) {
    case detail::ToolChoice::Mode::kAuto:
      return {{"type", "auto"}};
    case detail::ToolChoice::Mode::kNone:
      return {{"type", "none"}};
    case detail::ToolChoice::Mode::kRequired:
      return {{"type", "any"}};
    case detail::ToolChoice::Mode::kNamed:
      return {{"type", "tool"}, {"name", requested.name}};
    case detail::ToolChoice::Mode::kUnset:
      break;
  }
  return nullptr;
}

json caller_tool_choice(const Prepared& prepared) {
  json choice = anthropic_tool_choice(prepared.tool_choice);
  if (prepared.tool_choice.mode == detail::ToolChoice::Mode::kNone) {
    return choice;  // disable_parallel_tool_use is meaningless here
  }
  if (prepared.parallel_tool_calls == false) {
    if (choice.is_null()) {
      choice = {{"type", "auto"}};
    }
    choice["disable_parallel_tool_use"] = true;
  }
  return choice;
}

Failure build_tools(const Prepared& prepared, const detail::ModelTraits& traits, json& body,
                    std::vector<std::string>& notes) {
  json tools = json::array();
  json choice;
  for (const detail::Tool& tool : prepared.tools) {
    json declared = {{"name", tool.name},
                     {"input_schema", tool.parameters.is_null()
                                          ? json{{"type", "object"}, {"properties", json::object()}}
                                          : tool.parameters}};
    if (!tool.description.is_null()) {
      declared["description"] = tool.description;
    }
    tools.push_back(std::move(declared));
  }
  if (!tools.empty()) {
    choice = caller_tool_choice(prepared);
  } else {
    // Anthropic rejects tool blocks when no tools are declared: declare the names seen in the
    // history and forbid new calls.
    for (const std::string& name : detail::history_tool_names(prepared)) {
      tools.push_back({{"name", name}, {"input_schema", {{"type", "object"}}}});
      choice = {{"type", "none"}};
    }
  }
  bool forced_json = false;
  if (prepared.json_mode != detail::JsonMode::kNone) {
    if (!prepared.tools.empty()) {
      notes.push_back("dropped response_format (Anthropic cannot combine JSON mode with tools)");
    } else if (prepared.json_mode == detail::JsonMode::kSchema && traits.structured_outputs) {
      body["output_config"] = {
          {"format", {{"type", "json_schema"}, {"schema", prepared.json_schema}}}};
    } else {
      forced_json = true;
    }
  }
  if (forced_json) {
    json schema = prepared.json_mode == detail::JsonMode::kSchema ? prepared.json_schema
                                                                  : json{{"type", "object"}};
    const std::string* type = detail::string_member(schema, "type");
    if (type != nullptr && *type != "object") {
      return detail::unsupported(detail::kUnsupportedParameter,
                                 "response_format.json_schema.schema",
                                 "Anthropic can force JSON output only for an object schema");
    }
    schema["type"] = "object";
    json description = prepared.json_schema_description.is_null()
                           ? json("Respond with the JSON value as this tool's input.")
                           : prepared.json_schema_description;
    tools.push_back({{"name", detail::kJsonResponseTool},
                     {"description", std::move(description)},
                     {"input_schema", std::move(schema)}});
    choice = {{"type", "tool"}, {"name", detail::kJsonResponseTool}};
  }
  if (!tools.empty()) {
    body["tools"] = std::move(tools);
  }
  if (!choice.is_null()) {
    body["tool_choice"] = std::move(choice);
  }
  return std::nullopt;
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

void map_sampling(const Prepared& prepared, const detail::ModelTraits& traits, json& body,
                  std::vector<std::string>& notes) {
  // Section 1: max_completion_tokens, else max_tokens, else the model table, else 4096 (trap 1).
  body["max_tokens"] = prepared.max_tokens.value_or(traits.max_tokens_default);
  if (prepared.temperature) {
    if (*prepared.temperature > 1) {  // Anthropic's range is [0, 1] (trap 15)
      notes.push_back("temperature " + compact_json(*prepared.temperature) + " clamped to 1");
      body["temperature"] = 1;
    } else {
      body["temperature"] = *prepared.temperature;
    }
  }
  if (prepared.top_p) {
    body["top_p"] = *prepared.top_p;  // one sampling knob: decided with the thinking rules
  }
  if (prepared.stop) {
    json sequences = json::array();
    for (const std::string& stop : *prepared.stop) {
      if (is_blank(stop)) {  // Anthropic rejects whitespace-only stop sequences (trap 16)
        notes.push_back("dropped whitespace-only stop sequence " + compact_json(stop));
      } else {
        sequences.push_back(stop);
      }
    }
    if (!sequences.empty()) {
      body["stop_sequences"] = std::move(sequences);
    }
  }
  if (prepared.user) {
    body["metadata"] = {{"user_id", *prepared.user}};
  }
}

}  // namespace

RequestResult to_anthropic(const json& openai_request, const std::string& model) {
  auto prepared_or = detail::prepare(openai_request);
  if (auto* failure = std::get_if<RequestFailure>(&prepared_or)) {
    return *failure;
  }
  const Prepared& prepared = std::get<Prepared>(prepared_or);
  if (prepared.n.value_or(1) > 1) {  // a contract parameter (3.2, trap 25)
    return detail::unsupported(detail::kUnsupportedParameter, "n",
                               "Anthropic answers with exactly one choice");
  }
  const detail::ModelTraits traits = detail::model_traits(model);
  TranslatedRequest out;
  out.notes = prepared.notes;
  out.body = {{"model", model}};
  if (Failure failure = build_messages(prepared, out.body)) {
    return *failure;
  }
  if (Failure failure = build_tools(prepared, traits, out.body, out.notes)) {
    return *failure;
  }
  map_sampling(prepared, traits, out.body, out.notes);
  if (Failure failure = detail::apply_anthropic_thinking(prepared, traits, out.body, out.notes)) {
    return *failure;
  }
  detail::note_dropped(prepared,
                       {"model", "messages", "max_tokens", "max_completion_tokens", "temperature",
                        "top_p", "stop", "user", "tools", "tool_choice", "parallel_tool_calls",
                        "response_format", "n", "modalities", "reasoning_effort"},
                       "anthropic", out.notes);
  return out;
}

}  // namespace lava_mcp::translators
