#include "tools/registry.h"

#include <algorithm>
#include <cstdlib>
#include <exception>

#include "base/log.h"
#include "tools/schema_validator.h"

namespace lava_mcp::tools {
namespace {

bool is_valid_tool_name(std::string_view name) {
  return !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

Json annotations_json(const ToolAnnotations& hints, const std::string& title) {
  Json out = {{"readOnlyHint", hints.read_only}, {"openWorldHint", hints.open_world}};
  if (!hints.read_only) {  // only meaningful for tools that modify their environment
    out["destructiveHint"] = hints.destructive;
    out["idempotentHint"] = hints.idempotent;
  }
  if (!title.empty()) {
    out["title"] = title;
  }
  return out;
}

}  // namespace

const std::string& RequestContext::client_name() const {
  static const std::string unknown;
  return unknown;
}

const Json& RequestContext::resumed_state() const {
  static const Json none;
  return none;
}

const Json& RequestContext::input_responses() const {
  static const Json none;
  return none;
}

ToolResult ToolResult::needs_input(Json requests, Json state) {
  ToolResult result;
  result.input_required = InputRequired{std::move(requests), std::move(state)};
  return result;
}

ToolResult ToolResult::error(std::string text) {
  ToolResult result;
  result.add_text(std::move(text));
  result.is_error = true;
  return result;
}

ToolResult ToolResult::success(std::string text, Json structured) {
  ToolResult result;
  result.add_text(std::move(text));
  result.structured = std::move(structured);
  return result;
}

void ToolResult::add_text(std::string text) {
  // Member by member: an initializer list builds each pair as an array and copies it again.
  Json block = Json::object();
  block["type"] = "text";
  block["text"] = std::move(text);
  content.push_back(std::move(block));
}

void ToolRegistry::add(ToolSpec spec) {
  if (!is_valid_tool_name(spec.name) || find(spec.name) != nullptr) {
    log::error("tools", "invalid or duplicate tool name: " + spec.name);
    std::abort();  // a programmer error, caught by every test that builds a registry
  }
  tools_.push_back(std::move(spec));
}

const ToolSpec* ToolRegistry::find(std::string_view name) const {
  const auto it = std::find_if(tools_.begin(), tools_.end(),
                               [name](const ToolSpec& spec) { return spec.name == name; });
  return it == tools_.end() ? nullptr : &*it;
}

ToolResult run_tool(const ToolSpec& spec, const Json& arguments, RequestContext& context) {
  if (auto violation = validate_against_schema(spec.input_schema, arguments)) {
    return ToolResult::error("Invalid arguments for " + spec.name + ": " + violation->message +
                             " [rule: " + violation->rule + "]. Fix the arguments and call " +
                             spec.name + " again.");
  }
  try {
    return spec.run(arguments, context);
  } catch (const std::exception& e) {
    log::error("tools", spec.name + " failed: " + e.what());
  } catch (...) {
    log::error("tools", spec.name + " failed with an unknown exception");
  }
  return ToolResult::error("Internal error in " + spec.name +
                           "; the details are in the server log. Try again, or use another tool.");
}

Json describe_tool(const ToolSpec& spec, const protocol::Features& features) {
  Json out = {
      {"name", spec.name}, {"description", spec.description}, {"inputSchema", spec.input_schema}};
  if (features.titles && !spec.title.empty()) {
    out["title"] = spec.title;
  }
  if (features.structured_content && !spec.output_schema.is_null()) {
    out["outputSchema"] = spec.output_schema;
  }
  if (features.annotations) {
    out["annotations"] = annotations_json(spec.annotations, spec.title);
  }
  return out;
}

}  // namespace lava_mcp::tools
