// The suite's fixture tools (docs/conformance-fixtures.md section 2).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "fixture.h"

namespace lava_mcp::conformance_fixture {
namespace {

using tools::McpLogLevel;
using tools::RequestContext;
using tools::ToolResult;
using tools::ToolSpec;

constexpr std::string_view kLogger = "conformance-fixture";
// The suite's client answers at once; this only bounds a broken session.
constexpr std::chrono::seconds kClientTimeout{60};
// The reference spaces notifications ~50 ms apart, so they are observably sequential.
constexpr std::chrono::milliseconds kStepDelay{50};

const Json kNoArguments = {{"type", "object"}, {"additionalProperties", false}};

ToolResult with_content(Json content, bool is_error = false) {
  ToolResult result;
  result.content = std::move(content);
  result.is_error = is_error;
  return result;
}

ToolResult text_result(std::string text) {
  return with_content(Json::array({text_block(std::move(text))}));
}

Json object_schema_with_string(const std::string& name, const std::string& description) {
  return {{"type", "object"},
          {"properties", {{name, {{"type", "string"}, {"description", description}}}}},
          {"required", Json::array({name})},
          {"additionalProperties", false}};
}

// Waits `delay` unless the call is cancelled first; true if it was cancelled.
bool pause(RequestContext& context, std::chrono::milliseconds delay) {
  std::mutex mutex;
  std::condition_variable_any never;
  std::unique_lock lock(mutex);
  never.wait_for(lock, context.stop_token(), delay, [] { return false; });
  return context.stop_token().stop_requested();
}

ToolSpec fixed_tool(std::string name, std::string description, Json schema,
                    tools::ToolHandler run) {
  ToolSpec spec;
  spec.name = std::move(name);
  spec.description = std::move(description);
  spec.input_schema = std::move(schema);
  spec.annotations = {
      .read_only = true, .destructive = false, .idempotent = true, .open_world = false};
  spec.run = std::move(run);
  return spec;
}

// Tools whose result is a constant.
ToolSpec constant_tool(std::string name, std::string description, ToolResult result) {
  return fixed_tool(std::move(name), std::move(description), kNoArguments,
                    [result = std::move(result)](const Json&, RequestContext&) { return result; });
}

void register_content_tools(tools::ToolRegistry& registry) {
  registry.add(constant_tool("test_simple_text", "Tests simple text content response",
                             text_result("This is a simple text response for testing.")));
  registry.add(constant_tool("test_image_content", "Tests image content response",
                             with_content(Json::array({image_block()}))));
  registry.add(constant_tool(
      "test_audio_content", "Tests audio content response",
      with_content(
          Json::array({{{"type", "audio"}, {"data", kWavBase64}, {"mimeType", "audio/wav"}}}))));
  registry.add(constant_tool(
      "test_embedded_resource", "Tests embedded resource content response",
      with_content(Json::array({{{"type", "resource"},
                                 {"resource",
                                  {{"uri", "test://embedded-resource"},
                                   {"mimeType", "text/plain"},
                                   {"text", "This is an embedded resource content."}}}}}))));
  registry.add(
      constant_tool("test_multiple_content_types",
                    "Tests response with multiple content types (text, image, resource)",
                    with_content(Json::array({text_block("Multiple content types test:"),
                                              image_block(),
                                              {{"type", "resource"},
                                               {"resource",
                                                {{"uri", "test://mixed-content-resource"},
                                                 {"mimeType", "application/json"},
                                                 {"text", R"({"test":"data","value":123})"}}}}}))));
  // A result, not a JSON-RPC error: the suite checks isError and that content[0] is the text.
  registry.add(constant_tool(
      "test_error_handling", "Tests error response handling",
      with_content(
          Json::array({text_block("This tool intentionally returns an error for testing")}),
          true)));
}

// Logs are sent synchronously from the tool, so they precede its response on stdout: the bridge
// only delivers notifications while the tools/call POST is still open.
ToolResult run_with_logging(const Json&, RequestContext& context) {
  context.log(McpLogLevel::kInfo, kLogger, "Tool execution started");
  if (pause(context, kStepDelay)) {
    return ToolResult::error("cancelled");
  }
  context.log(McpLogLevel::kInfo, kLogger, "Tool processing data");
  if (pause(context, kStepDelay)) {
    return ToolResult::error("cancelled");
  }
  context.log(McpLogLevel::kInfo, kLogger, "Tool execution completed");
  return text_result("Tool with logging executed successfully");
}

// RequestContext::progress is a no-op without a progressToken, so the no-token case just waits.
ToolResult run_with_progress(const Json&, RequestContext& context) {
  for (const int step : {0, 50, 100}) {
    context.progress(step, 100, "Completed step " + std::to_string(step) + " of 100");
    if (step < 100 && pause(context, kStepDelay)) {
      return ToolResult::error("cancelled");
    }
  }
  // The reference echoes the token; RequestContext does not expose it, and no check reads it.
  return text_result("Progress test completed: 3 progress steps reported");
}

bool client_supports(const RequestContext& context, const char* capability) {
  const Json& caps = context.client_capabilities();
  return caps.is_object() && caps.contains(capability);
}

ToolResult run_sampling(const Json& arguments, RequestContext& context) {
  if (!client_supports(context, "sampling")) {
    return ToolResult::error("Client does not support sampling");
  }
  const Json params = {
      {"messages",
       Json::array({{{"role", "user"},
                     {"content", text_block(arguments.at("prompt").get<std::string>())}}})},
      {"maxTokens", 100}};
  auto answer = context.request_client("sampling/createMessage", params, kClientTimeout);
  if (!answer || !answer->is_object()) {
    return ToolResult::error("Sampling failed: " + (answer
                                                        ? std::string("the result is not an object")
                                                        : answer.error().message));
  }
  const Json content = answer->value("content", Json::object());
  const std::string text =
      content.is_object() ? content.value("text", "No response") : std::string("No response");
  return text_result("LLM response: " + text);
}

// Sends a form-mode elicitation/create and reports the answer as "<prefix>action=..., content=...".
ToolResult elicit(RequestContext& context, std::string message, Json requested_schema,
                  const std::string& prefix) {
  if (!client_supports(context, "elicitation")) {
    return ToolResult::error("Client does not support elicitation");
  }
  const Json params = {{"mode", "form"},
                       {"message", std::move(message)},
                       {"requestedSchema", std::move(requested_schema)}};
  auto answer = context.request_client("elicitation/create", params, kClientTimeout);
  if (!answer || !answer->is_object()) {
    return ToolResult::error(
        "Elicitation failed: " +
        (answer ? std::string("the result is not an object") : answer.error().message));
  }
  const Json content = answer->value("content", Json::object());
  return text_result(prefix + "action=" + answer->value("action", "unknown") +
                     ", content=" + content.dump());
}

ToolResult run_elicitation(const Json& arguments, RequestContext& context) {
  // Matches the suite's canned reply (username, email).
  const Json schema = {{"type", "object"},
                       {"properties",
                        {{"username", {{"type", "string"}, {"description", "User's response"}}},
                         {"email", {{"type", "string"}, {"description", "User's email address"}}}}},
                       {"required", Json::array({"username", "email"})}};
  return elicit(context, arguments.at("message").get<std::string>(), schema, "User response: ");
}

// SEP-1034: every primitive type with a default; the suite compares each type and default.
ToolResult run_elicitation_defaults(const Json&, RequestContext& context) {
  const Json schema = {
      {"type", "object"},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "User name"}, {"default", "John Doe"}}},
        {"age", {{"type", "integer"}, {"description", "User age"}, {"default", 30}}},
        {"score", {{"type", "number"}, {"description", "User score"}, {"default", 95.5}}},
        {"status",
         {{"type", "string"},
          {"description", "User status"},
          {"enum", Json::array({"active", "inactive", "pending"})},
          {"default", "active"}}},
        {"verified",
         {{"type", "boolean"}, {"description", "Verification status"}, {"default", true}}}}},
      {"required", Json::array()}};
  return elicit(context, "Please review and update the form fields with defaults", schema,
                "Elicitation completed: ");
}

Json titled_options(const char* first, const char* second, const char* third, const char* noun) {
  Json options = Json::array();
  int index = 1;
  for (const char* title : {first, second, third}) {
    options.push_back(
        {{"const", "value" + std::to_string(index++)}, {"title", std::string(title) + " " + noun}});
  }
  return options;
}

// SEP-1330: the five enum forms; the suite checks which keywords each one has and lacks.
ToolResult run_elicitation_enums(const Json&, RequestContext& context) {
  const Json options = Json::array({"option1", "option2", "option3"});
  const Json schema = {
      {"type", "object"},
      {"required", Json::array()},
      {"properties",
       {{"untitledSingle",
         {{"type", "string"}, {"description", "Select one option"}, {"enum", options}}},
        {"titledSingle",
         {{"type", "string"},
          {"description", "Select one option with titles"},
          {"oneOf", titled_options("First", "Second", "Third", "Option")}}},
        {"legacyEnum",
         {{"type", "string"},
          {"description", "Select one option (legacy)"},
          {"enum", Json::array({"opt1", "opt2", "opt3"})},
          {"enumNames", Json::array({"Option One", "Option Two", "Option Three"})}}},
        {"untitledMulti",
         {{"type", "array"},
          {"description", "Select multiple options"},
          {"minItems", 1},
          {"maxItems", 3},
          {"items", {{"type", "string"}, {"enum", options}}}}},
        {"titledMulti",
         {{"type", "array"},
          {"description", "Select multiple options with titles"},
          {"minItems", 1},
          {"maxItems", 3},
          {"items", {{"anyOf", titled_options("First", "Second", "Third", "Choice")}}}}}}}};
  return elicit(context, "Please select options from the enum fields", schema,
                "Elicitation completed: ");
}

void register_client_request_tools(tools::ToolRegistry& registry) {
  registry.add(fixed_tool(
      "test_sampling", "Tests server-initiated sampling (LLM completion request)",
      object_schema_with_string("prompt", "The prompt to send to the LLM"), run_sampling));
  registry.add(fixed_tool(
      "test_elicitation", "Tests server-initiated elicitation (user input request)",
      object_schema_with_string("message", "The message to show the user"), run_elicitation));
  registry.add(fixed_tool("test_elicitation_sep1034_defaults",
                          "Tests elicitation with default values per SEP-1034", kNoArguments,
                          run_elicitation_defaults));
  registry.add(fixed_tool("test_elicitation_sep1330_enums",
                          "Tests elicitation with enum schema improvements per SEP-1330",
                          kNoArguments, run_elicitation_enums));
}

// Served verbatim; json-schema-2020-12 compares $schema, $defs, $anchor, allOf, if/then/else.
// Our argument validator ignores the keywords it does not know, so a call still works.
Json schema_2020_12() {
  return {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"type", "object"},
      {"$defs",
       {{"address",
         {{"$anchor", "addressDef"},
          {"type", "object"},
          {"properties", {{"street", {{"type", "string"}}}, {"city", {{"type", "string"}}}}}}}}},
      {"properties",
       {{"name", {{"type", "string"}}},
        {"address", {{"$ref", "#/$defs/address"}}},
        {"contactMethod", {{"type", "string"}, {"enum", Json::array({"phone", "email"})}}},
        {"phone", {{"type", "string"}}},
        {"email", {{"type", "string"}}}}},
      {"allOf", Json::array({{{"anyOf", Json::array({{{"required", Json::array({"phone"})}},
                                                     {{"required", Json::array({"email"})}}})}}})},
      {"if",
       {{"properties", {{"contactMethod", {{"const", "phone"}}}}},
        {"required", Json::array({"contactMethod"})}}},
      {"then", {{"required", Json::array({"phone"})}}},
      {"else", {{"required", Json::array({"email"})}}},
      {"additionalProperties", false}};
}

}  // namespace

void register_tools(tools::ToolRegistry& registry) {
  register_content_tools(registry);
  registry.add(fixed_tool("test_tool_with_logging",
                          "Tests tool that emits log messages during execution", kNoArguments,
                          run_with_logging));
  registry.add(fixed_tool("test_tool_with_progress",
                          "Tests tool that reports progress notifications", kNoArguments,
                          run_with_progress));
  register_client_request_tools(registry);
  registry.add(fixed_tool("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features",
                          schema_2020_12(), [](const Json& arguments, RequestContext&) {
                            return text_result("JSON Schema 2020-12 tool called with: " +
                                               arguments.dump());
                          }));
}

}  // namespace lava_mcp::conformance_fixture
