// Pre-processing common to the Anthropic and Gemini translators (translation.md 3.1): routing
// fields and streaming removed, legacy functions rewritten, every field the translators read
// validated and typed, content normalised to parts, the tool-call index built and tool turns
// checked. All local-400 checks live here, so a target-specific "unsupported" never hides a
// request OpenAI itself would reject.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "translators/translators.h"

namespace lava_mcp::translators::detail {

using nlohmann::json;

// One validated OpenAI content part. `value` always has a string "type"; text parts always have
// non-empty "text" (empty ones are removed, a string content becomes one text part, an assistant
// refusal part becomes a text part).
struct Part {
  std::size_t index = 0;  // position in the original content array, for error paths
  json value;
};

struct ToolCall {
  std::string path;  // "messages[i].tool_calls[j]"
  std::string id;
  std::string name;
  std::optional<json> arguments;  // parsed object ("" -> {}); nullopt when not a JSON object
  std::string thought_signature;  // extra_content.google.thought_signature echoed by the client
};

struct Message {
  std::size_t index = 0;
  std::string role;  // system | developer | user | assistant | tool
  std::vector<Part> parts;
  bool string_content = false;  // content was a non-empty string
  std::vector<ToolCall> tool_calls;
  std::string tool_call_id;
  // Assistant: Anthropic thinking / redacted_thinking blocks returned by an earlier call, kept
  // as they came so they replay byte-identical (translation.md 13.3); null when none.
  json thinking_blocks;
  std::string thinking_blocks_error;  // why they cannot be replayed (empty when they can)
  std::string path() const;
  std::string part_path(const Part& part) const;  // "messages[i].content[j]" or "...content"
  bool is_system() const { return role == "system" || role == "developer"; }
};

struct Tool {
  std::string path;  // "tools[i]"
  std::string name;
  json description;  // string or null
  json parameters;   // object or null
};

struct ToolChoice {
  enum class Mode { kUnset, kAuto, kNone, kRequired, kNamed };
  Mode mode = Mode::kUnset;
  std::string name;  // kNamed
};

enum class JsonMode { kNone, kObject, kSchema };

// OpenAI's reasoning_effort values, in increasing order (translation.md 13.1).
enum class Effort { kNone, kMinimal, kLow, kMedium, kHigh, kXhigh };
std::string_view effort_name(Effort effort);
// The thinking budget a manual-thinking Claude or a Gemini 2.5 model gets for an effort:
// LiteLLM's low 1024, medium 2048, high 4096; minimal as low; xhigh twice high.
long long thinking_budget(Effort effort);

struct Prepared {
  json request;  // the request after 3.1 steps 1, 2 and 7
  std::vector<Message> messages;
  std::vector<Tool> tools;
  ToolChoice tool_choice;
  std::map<std::string, std::string> call_names;  // tool-call index: id -> function name
  std::optional<long long> max_tokens;            // max_completion_tokens wins (3.1 step 3)
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::vector<std::string>> stop;
  std::optional<long long> n;
  std::optional<long long> seed;
  std::optional<double> presence_penalty;
  std::optional<double> frequency_penalty;
  std::optional<bool> parallel_tool_calls;
  std::optional<std::string> user;
  std::optional<Effort> reasoning_effort;
  JsonMode json_mode = JsonMode::kNone;
  json json_schema;              // kSchema: the schema ({type: object} when none was given)
  json json_schema_description;  // string or null
  std::vector<std::string> notes;
};

// The prepared request, or a local 400, or (only when the request is otherwise valid) a failure
// every non-OpenAI target shares: audio output, non-function tools, unparseable history
// arguments, legacy `function` messages.
std::variant<Prepared, RequestFailure> prepare(const json& request);

// Notes "dropped <key>" for every top-level key the target does not map.
void note_dropped(const Prepared& prepared, std::initializer_list<std::string_view> mapped,
                  std::string_view target, std::vector<std::string>& notes);

// The forced tool that carries JSON mode on Anthropic (translation.md section 4).
inline constexpr std::string_view kJsonResponseTool = "json_response";

// The URL of a validated image_url part ({image_url: {url}} or the lenient {image_url: "..."}).
std::string image_url_of(const json& part);

// True when JSON mode is served on Anthropic through the forced `json_response` tool's shape:
// response_format json_object/json_schema and no caller tools (translation.md section 4).
bool json_mode_without_tools(const json& request);

// Names of the functions called in the history, in first-seen order.
std::vector<std::string> history_tool_names(const Prepared& prepared);

}  // namespace lava_mcp::translators::detail

// The names a translator from the prepared request uses unqualified, written once for every
// such translator (openai_to_anthropic.cpp, openai_to_gemini.cpp): `using namespace
// prepared_names;` in its file-local namespace.
namespace lava_mcp::translators::prepared_names {

using detail::json;
using detail::Message;
using detail::Part;
using detail::Prepared;
using Failure = std::optional<RequestFailure>;  // none: the request translates

}  // namespace lava_mcp::translators::prepared_names
