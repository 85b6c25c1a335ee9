#include "translators/prepare.h"

#include <algorithm>
#include <limits>
#include <set>

#include "base/bounded_json.h"
#include "translators/common.h"

namespace lava_mcp::translators::detail {
namespace {

using Failure = std::optional<RequestFailure>;

// Collects the first local-400 failure and, separately, the first shared "unsupported" one,
// so that a local 400 always wins however the request is ordered.
struct Checker {
  Failure invalid;
  Failure unsupported_failure;
  bool ok() const { return !invalid; }
  void reject(const std::string& param, const std::string& message) {
    if (!invalid) {
      invalid = local_invalid(param, message);
    }
  }
  void defer(std::string_view code, const std::string& param, const std::string& message) {
    if (!unsupported_failure) {
      unsupported_failure = unsupported(code, param, message);
    }
  }
};

std::optional<double> number(const json& request, std::string_view key, double min, double max,
                             Checker& check) {
  const json* value = member(request, key);
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  if (!value->is_number() || value->get<double>() < min || value->get<double>() > max) {
    check.reject(std::string(key), "expected a number from " +
                                       std::to_string(static_cast<int>(min)) + " to " +
                                       std::to_string(static_cast<int>(max)));
    return std::nullopt;
  }
  return value->get<double>();
}

std::optional<long long> integer(const json& request, std::string_view key, long long min,
                                 Checker& check) {
  const json* value = member(request, key);
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  if (!value->is_number_integer() || value->get<long long>() < min) {
    check.reject(std::string(key), "expected an integer of at least " + std::to_string(min));
    return std::nullopt;
  }
  return value->get<long long>();
}

// 3.1 step 7: legacy functions / function_call become tools / tool_choice.
void rewrite_legacy_functions(json& request, Checker& check) {
  if (!absent(request, "functions")) {
    const json* functions = array_member(request, "functions");
    if (functions == nullptr) {
      check.reject("functions", "expected an array");
    } else if (absent(request, "tools")) {
      json tools = json::array();
      for (const json& function : *functions) {
        tools.push_back({{"type", "function"}, {"function", function}});
      }
      request["tools"] = std::move(tools);
    }
  }
  if (!absent(request, "function_call") && absent(request, "tool_choice")) {
    const json& call = request["function_call"];
    if (call.is_object()) {
      request["tool_choice"] = {{"type", "function"}, {"function", call}};
    } else {
      request["tool_choice"] = call;
    }
  }
  request.erase("functions");
  request.erase("function_call");
}

void parse_tools(const json& request, Prepared& out, Checker& check) {
  if (absent(request, "tools")) {
    return;
  }
  const json* tools = array_member(request, "tools");
  if (tools == nullptr) {
    check.reject("tools", "expected an array");
    return;
  }
  for (std::size_t i = 0; i < tools->size(); ++i) {
    const json& tool = tools->at(i);
    Tool parsed;
    parsed.path = at("tools", i);
    const std::string* type = string_member(tool, "type");
    const json* function = object_member(tool, "function");
    if (type == nullptr) {
      check.reject(dot(parsed.path, "type"), "expected a string");
      continue;
    }
    if (*type != "function") {
      check.defer(kUnsupportedParameter, dot(parsed.path, "type"),
                  "only function tools can be translated, not '" + *type + "'");
      continue;
    }
    if (function == nullptr) {
      check.reject(dot(parsed.path, "function"), "expected an object");
      continue;
    }
    const std::string function_path = dot(parsed.path, "function");
    const std::string* name = string_member(*function, "name");
    if (name == nullptr || name->empty()) {
      check.reject(dot(function_path, "name"), "expected a non-empty string");
      continue;
    }
    parsed.name = *name;
    if (!absent(*function, "description")) {
      if (string_member(*function, "description") == nullptr) {
        check.reject(dot(function_path, "description"), "expected a string");
        continue;
      }
      parsed.description = *member(*function, "description");
    }
    if (!absent(*function, "parameters")) {
      if (object_member(*function, "parameters") == nullptr) {
        check.reject(dot(function_path, "parameters"), "expected a JSON Schema object");
        continue;
      }
      parsed.parameters = *member(*function, "parameters");
    }
    out.tools.push_back(std::move(parsed));
  }
}

void parse_tool_choice(const json& request, Prepared& out, Checker& check) {
  const json* choice = member(request, "tool_choice");
  if (choice == nullptr || choice->is_null()) {
    return;
  }
  using Mode = ToolChoice::Mode;
  if (choice->is_string()) {
    const std::string& value = choice->get_ref<const std::string&>();
    if (value == "auto") {
      out.tool_choice.mode = Mode::kAuto;
    } else if (value == "none") {
      out.tool_choice.mode = Mode::kNone;
    } else if (value == "required") {
      out.tool_choice.mode = Mode::kRequired;
    } else {
      check.reject("tool_choice", "expected \"auto\", \"none\", \"required\" or an object");
    }
    return;
  }
  const std::string* type = string_member(*choice, "type");
  if (type == nullptr) {
    check.reject("tool_choice", "expected a string or an object with a type");
    return;
  }
  if (*type != "function") {
    check.defer(kUnsupportedParameter, "tool_choice.type",
                "tool_choice of type '" + *type + "' cannot be translated");
    return;
  }
  const json* function = object_member(*choice, "function");
  const std::string* name = function == nullptr ? nullptr : string_member(*function, "name");
  if (name == nullptr) {
    check.reject("tool_choice.function.name", "expected a string");
    return;
  }
  out.tool_choice = {Mode::kNamed, *name};
}

void parse_response_format(const json& request, Prepared& out, Checker& check) {
  if (absent(request, "response_format")) {
    return;
  }
  const json* format = object_member(request, "response_format");
  const std::string* type = format == nullptr ? nullptr : string_member(*format, "type");
  if (type == nullptr) {
    check.reject("response_format", "expected an object with a type");
    return;
  }
  if (*type == "text") {
    return;
  }
  if (*type == "json_object") {
    out.json_mode = JsonMode::kObject;
    return;
  }
  if (*type != "json_schema") {
    check.reject("response_format.type", "expected \"text\", \"json_object\" or \"json_schema\"");
    return;
  }
  const json* spec = object_member(*format, "json_schema");
  if (spec == nullptr) {
    check.reject("response_format.json_schema", "expected an object");
    return;
  }
  out.json_mode = JsonMode::kSchema;
  const json* schema = object_member(*spec, "schema");
  out.json_schema = schema != nullptr ? *schema : json{{"type", "object"}};
  if (const std::string* description = string_member(*spec, "description")) {
    out.json_schema_description = *description;
  }
}

void parse_stop(const json& request, Prepared& out, Checker& check) {
  const json* stop = member(request, "stop");
  if (stop == nullptr || stop->is_null()) {
    return;
  }
  std::vector<std::string> values;
  if (stop->is_string()) {
    values.push_back(stop->get<std::string>());
  } else if (stop->is_array()) {
    for (std::size_t i = 0; i < stop->size(); ++i) {
      if (!stop->at(i).is_string()) {
        check.reject(at("stop", i), "expected a string");
        return;
      }
      values.push_back(stop->at(i).get<std::string>());
    }
  } else {
    check.reject("stop", "expected a string or an array of strings");
    return;
  }
  out.stop = std::move(values);
}

void parse_contract_parameters(const json& request, Checker& check) {
  // Audio output changes the shape of the answer: no non-OpenAI target can give it (3.2).
  if (const json* modalities = member(request, "modalities"); modalities != nullptr) {
    if (!modalities->is_null() && !modalities->is_array()) {
      check.reject("modalities", "expected an array");
    } else if (modalities->is_array() && std::find(modalities->begin(), modalities->end(),
                                                   json("audio")) != modalities->end()) {
      check.defer(kUnsupportedParameter, "modalities",
                  "audio output is not supported by this target");
    }
  }
  if (!absent(request, "audio")) {
    check.defer(kUnsupportedParameter, "audio", "audio output is not supported by this target");
  }
}

// The allowed part types per role, as OpenAI's chat API defines them.
bool part_allowed(const std::string& role, const std::string& type) {
  if (role == "user") {
    return type == "text" || type == "image_url" || type == "input_audio" || type == "file";
  }
  if (role == "assistant") {
    return type == "text" || type == "refusal";
  }
  return type == "text";
}

void check_part_fields(const json& part, const std::string& type, const std::string& path,
                       Checker& check) {
  if (type == "image_url") {
    const json* image = member(part, "image_url");
    const std::string* url = image == nullptr     ? nullptr
                             : image->is_string() ? image->get_ptr<const std::string*>()
                                                  : string_member(*image, "url");
    if (url == nullptr) {
      check.reject(dot(path, "image_url"), "expected an object with a url");
    } else if (!url->starts_with("data:") && !url->starts_with("https://") &&
               !url->starts_with("http://")) {
      check.reject(dot(path, "image_url.url"), "expected an http(s) URL or a data URL");
    }
  } else if (type == "input_audio") {
    const json* audio = object_member(part, "input_audio");
    if (audio == nullptr || string_member(*audio, "data") == nullptr ||
        string_member(*audio, "format") == nullptr) {
      check.reject(dot(path, "input_audio"), "expected an object with data and format");
    }
  } else if (type == "file") {
    if (object_member(part, "file") == nullptr) {
      check.reject(dot(path, "file"), "expected an object");
    }
  }
}

// Member by member: an initializer list builds each pair as an array and copies it again.
json text_part(const std::string& text) {
  json part = json::object();
  part["type"] = "text";
  part["text"] = text;
  return part;
}

void parse_content(const json& message, Message& out, Checker& check) {
  const json* content = member(message, "content");
  const std::string content_path = dot(out.path(), "content");
  if (content == nullptr || content->is_null()) {
    return;
  }
  if (content->is_string()) {
    if (!content->get_ref<const std::string&>().empty()) {
      out.parts.push_back({0, text_part(content->get_ref<const std::string&>())});
      out.string_content = true;
    }
    return;
  }
  if (!content->is_array()) {
    check.reject(content_path, "expected a string, an array of content parts or null");
    return;
  }
  for (std::size_t j = 0; j < content->size(); ++j) {
    const json& part = content->at(j);
    const std::string path = at(content_path, j);
    const std::string* type = string_member(part, "type");
    if (type == nullptr) {
      check.reject(path, "expected a content part object with a type");
      return;
    }
    if (!part_allowed(out.role, *type)) {
      check.reject(dot(path, "type"),
                   "'" + *type + "' parts are not allowed in " + out.role + " messages");
      return;
    }
    if (*type == "text" || *type == "refusal") {
      const std::string* text = string_member(part, *type);
      if (text == nullptr) {
        check.reject(dot(path, *type), "expected a string");
        return;
      }
      if (!text->empty()) {  // 3.1 step 4: Anthropic rejects empty text blocks
        out.parts.push_back({j, text_part(*text)});
      }
      continue;
    }
    check_part_fields(part, *type, path, check);
    out.parts.push_back({j, part});
  }
}

void parse_tool_calls(const json& message, Message& out, Checker& check) {
  if (absent(message, "tool_calls")) {
    return;
  }
  const json* calls = array_member(message, "tool_calls");
  if (calls == nullptr || out.role != "assistant") {
    check.reject(dot(out.path(), "tool_calls"), calls == nullptr
                                                    ? "expected an array"
                                                    : "only assistant messages have tool calls");
    return;
  }
  for (std::size_t j = 0; j < calls->size(); ++j) {
    const json& call = calls->at(j);
    ToolCall parsed;
    parsed.path = at(dot(out.path(), "tool_calls"), j);
    const std::string* id = string_member(call, "id");
    const std::string* type = string_member(call, "type");
    const json* function = object_member(call, "function");
    if (id == nullptr) {
      check.reject(dot(parsed.path, "id"), "expected a string");
      return;
    }
    if (type != nullptr && *type != "function") {
      check.defer(kUnsupportedContent, dot(parsed.path, "type"),
                  "only function tool calls can be translated");
    }
    const std::string* name = function == nullptr ? nullptr : string_member(*function, "name");
    const std::string* arguments =
        function == nullptr ? nullptr : string_member(*function, "arguments");
    if (name == nullptr || arguments == nullptr) {
      check.reject(dot(parsed.path, "function"),
                   "expected an object with string name and arguments");
      return;
    }
    parsed.id = *id;
    parsed.name = *name;
    json parsed_arguments = arguments->empty() ? json::object() : parse_bounded_json(*arguments);
    if (parsed_arguments.is_object()) {
      parsed.arguments = std::move(parsed_arguments);
    } else {
      // OpenAI stores any string here, so this is not a local 400 (trap 8).
      check.defer(kUnsupportedContent, dot(parsed.path, "function.arguments"),
                  "arguments are not a JSON object, so they cannot become structured input");
    }
    if (const json* extra = object_member(call, "extra_content")) {
      if (const json* google = object_member(*extra, "google")) {
        if (const std::string* signature = string_member(*google, "thought_signature")) {
          parsed.thought_signature = *signature;
        }
      }
    }
    out.tool_calls.push_back(std::move(parsed));
  }
}

// An assistant message's thinking_blocks: an array of whole Anthropic blocks (thinking with its
// signature, redacted_thinking with its data). Other targets ignore them, so a bad shape only
// keeps this message from Anthropic (13.3).
void parse_thinking_blocks(const json& message, Message& out) {
  if (absent(message, "thinking_blocks") || out.role != "assistant") {
    return;
  }
  const json* blocks = array_member(message, "thinking_blocks");
  if (blocks == nullptr) {
    out.thinking_blocks_error = "expected an array of thinking blocks";
    return;
  }
  for (std::size_t k = 0; k < blocks->size(); ++k) {
    const json& block = blocks->at(k);
    const std::string* type = string_member(block, "type");
    const bool thinking = type != nullptr && *type == "thinking" &&
                          string_member(block, "thinking") != nullptr &&
                          string_member(block, "signature") != nullptr;
    const bool redacted =
        type != nullptr && *type == "redacted_thinking" && string_member(block, "data") != nullptr;
    if (!thinking && !redacted) {
      out.thinking_blocks_error = "block " + std::to_string(k) +
                                  ": expected {type: thinking, thinking, signature} or "
                                  "{type: redacted_thinking, data}";
      return;
    }
  }
  if (!blocks->empty()) {
    out.thinking_blocks = *blocks;
  }
}

void parse_reasoning_effort(const json& request, Prepared& out, Checker& check) {
  if (absent(request, "reasoning_effort")) {
    return;
  }
  static constexpr Effort kEfforts[] = {Effort::kNone,   Effort::kMinimal, Effort::kLow,
                                        Effort::kMedium, Effort::kHigh,    Effort::kXhigh};
  const std::string* value = string_member(request, "reasoning_effort");
  for (const Effort effort : kEfforts) {
    if (value != nullptr && *value == effort_name(effort)) {
      out.reasoning_effort = effort;
      return;
    }
  }
  check.reject("reasoning_effort",
               "expected \"none\", \"minimal\", \"low\", \"medium\", \"high\" or \"xhigh\"");
}

// 3.1 step 6: every tool call answered before the next non-tool message; every tool message
// answers a call of the assistant message right before its block (traps 4 and 6).
void check_tool_turns(const std::vector<Message>& messages, Checker& check) {
  const Message* open = nullptr;  // assistant whose calls are being answered
  std::set<std::string> answered;
  const auto close_block = [&](const std::string& before) {
    if (open == nullptr) {
      return;
    }
    for (const ToolCall& call : open->tool_calls) {
      if (answered.count(call.id) == 0) {
        check.reject(open->path(),
                     "tool call '" + call.id + "' has no tool message answering it" + before);
        return;
      }
    }
  };
  for (const Message& message : messages) {
    if (message.role == "tool") {
      const bool known =
          open != nullptr &&
          std::any_of(open->tool_calls.begin(), open->tool_calls.end(),
                      [&](const ToolCall& call) { return call.id == message.tool_call_id; });
      if (!known || !answered.insert(message.tool_call_id).second) {
        check.reject(message.path(),
                     "tool message answers unknown tool_call_id '" + message.tool_call_id + "'");
        return;
      }
      continue;
    }
    close_block(" before " + message.path());
    open = nullptr;
    answered.clear();
    if (message.role == "assistant" && !message.tool_calls.empty()) {
      open = &message;
    }
  }
  close_block("");
}

void parse_messages(const json& request, Prepared& out, Checker& check) {
  const json* messages = array_member(request, "messages");
  if (messages == nullptr || messages->empty()) {
    check.reject("messages", "expected a non-empty array");
    return;
  }
  static constexpr std::string_view kRoles[] = {"system", "developer", "user", "assistant", "tool"};
  for (std::size_t i = 0; i < messages->size() && check.ok(); ++i) {
    const json& message = messages->at(i);
    Message parsed;
    parsed.index = i;
    const std::string* role = string_member(message, "role");
    if (role == nullptr) {
      check.reject(dot(parsed.path(), "role"), "expected a string");
      return;
    }
    parsed.role = *role;
    if (*role == "function") {
      check.defer(kUnsupportedContent, parsed.path(),
                  "legacy function messages cannot be translated");
      continue;
    }
    if (std::find(std::begin(kRoles), std::end(kRoles), *role) == std::end(kRoles)) {
      check.reject(dot(parsed.path(), "role"), "unknown role '" + *role + "'");
      return;
    }
    parse_content(message, parsed, check);
    parse_tool_calls(message, parsed, check);
    parse_thinking_blocks(message, parsed);
    if (*role == "tool") {
      const std::string* id = string_member(message, "tool_call_id");
      if (id == nullptr) {
        check.reject(dot(parsed.path(), "tool_call_id"), "expected a string");
        return;
      }
      parsed.tool_call_id = *id;
    }
    for (const ToolCall& call : parsed.tool_calls) {
      out.call_names[call.id] = call.name;  // 3.1 step 5: the tool-call index
    }
    out.messages.push_back(std::move(parsed));
  }
  if (check.ok()) {
    check_tool_turns(out.messages, check);
  }
}

}  // namespace

std::string_view effort_name(Effort effort) {
  switch (effort) {
    case Effort::kNone:
      return "none";
    case Effort::kMinimal:
      return "minimal";
    case Effort::kLow:
      return "low";
    case Effort::kMedium:
      return "medium";
    case Effort::kHigh:
      return "high";
    case Effort::kXhigh:
      return "xhigh";
  }
  return "none";
}

long long thinking_budget(Effort effort) {
  switch (effort) {
    case Effort::kNone:
    case Effort::kMinimal:
    case Effort::kLow:
      return 1024;
    case Effort::kMedium:
      return 2048;
    case Effort::kHigh:
      return 4096;
    case Effort::kXhigh:
      return 8192;
  }
  return 1024;
}

std::string Message::path() const { return at("messages", index); }

std::string Message::part_path(const Part& part) const {
  return string_content ? dot(path(), "content") : at(dot(path(), "content"), part.index);
}

std::variant<Prepared, RequestFailure> prepare(const json& request) {
  if (!request.is_object()) {
    return local_invalid("", "the request must be a JSON object");
  }
  Checker check;
  Prepared out;
  out.request = request;
  for (const char* key : {"fallbacks", "url", "timeout_ms", "deadline_ms", "stream_options"}) {
    out.request.erase(key);  // 3.1 steps 1-2
  }
  if (const json* stream = member(out.request, "stream"); stream != nullptr) {
    if (stream->is_boolean() && stream->get<bool>()) {
      out.notes.push_back(
          "stream ignored (the tool answers with one result; each attempt streams from the "
          "provider on its own)");
    }
    out.request.erase("stream");
  }
  rewrite_legacy_functions(out.request, check);
  const json& req = out.request;
  parse_messages(req, out, check);
  parse_tools(req, out, check);
  parse_tool_choice(req, out, check);
  parse_response_format(req, out, check);
  parse_stop(req, out, check);
  parse_contract_parameters(req, check);
  parse_reasoning_effort(req, out, check);
  const auto max_tokens = integer(req, "max_tokens", 1, check);
  const auto max_completion_tokens = integer(req, "max_completion_tokens", 1, check);
  out.max_tokens = max_completion_tokens ? max_completion_tokens : max_tokens;  // 3.1 step 3
  out.temperature = number(req, "temperature", 0, 2, check);
  out.top_p = number(req, "top_p", 0, 1, check);
  out.presence_penalty = number(req, "presence_penalty", -2, 2, check);
  out.frequency_penalty = number(req, "frequency_penalty", -2, 2, check);
  out.n = integer(req, "n", 1, check);
  out.seed = integer(req, "seed", std::numeric_limits<long long>::min(), check);
  if (!absent(req, "parallel_tool_calls")) {
    const json* parallel = member(req, "parallel_tool_calls");
    if (!parallel->is_boolean()) {
      check.reject("parallel_tool_calls", "expected a boolean");
    } else {
      out.parallel_tool_calls = parallel->get<bool>();
    }
  }
  if (!absent(req, "user")) {
    if (const std::string* user = string_member(req, "user")) {
      out.user = *user;
    } else {
      check.reject("user", "expected a string");
    }
  }
  if (check.invalid) {
    return *check.invalid;
  }
  if (check.unsupported_failure) {
    return *check.unsupported_failure;
  }
  return out;
}

void note_dropped(const Prepared& prepared, std::initializer_list<std::string_view> mapped,
                  std::string_view target, std::vector<std::string>& notes) {
  for (const auto& [key, value] : prepared.request.items()) {
    if (value.is_null() || std::find(mapped.begin(), mapped.end(), key) != mapped.end()) {
      continue;
    }
    notes.push_back("dropped " + key + " (no " + std::string(target) + " equivalent)");
  }
}

std::string image_url_of(const json& part) {
  const json* image = member(part, "image_url");
  if (image != nullptr && image->is_string()) {
    return image->get<std::string>();
  }
  const std::string* url = image == nullptr ? nullptr : string_member(*image, "url");
  return url == nullptr ? std::string() : *url;
}

bool json_mode_without_tools(const json& request) {
  const json* format = object_member(request, "response_format");
  const std::string* type = format == nullptr ? nullptr : string_member(*format, "type");
  if (type == nullptr || (*type != "json_object" && *type != "json_schema")) {
    return false;
  }
  const json* tools = array_member(request, "tools");
  const json* functions = array_member(request, "functions");
  return (tools == nullptr || tools->empty()) && (functions == nullptr || functions->empty());
}

std::vector<std::string> history_tool_names(const Prepared& prepared) {
  std::vector<std::string> names;
  for (const Message& message : prepared.messages) {
    for (const ToolCall& call : message.tool_calls) {
      if (std::find(names.begin(), names.end(), call.name) == names.end()) {
        names.push_back(call.name);
      }
    }
  }
  return names;
}

}  // namespace lava_mcp::translators::detail
