// The conformance fixture server's parts: the suite's fixed-name tools, resources, prompts and
// completion (docs/conformance-fixtures.md). Literal strings mirror the suite's reference server.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "server.h"
#include "tools/registry.h"

namespace lava_mcp::conformance_fixture {

using Json = nlohmann::json;

// A 1x1 red PNG and a minimal WAV file, base64; shared by tools, resources and prompts.
inline constexpr std::string_view kPngBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg"
    "==";
inline constexpr std::string_view kWavBase64 =
    "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

inline Json text_block(std::string text) { return {{"type", "text"}, {"text", std::move(text)}}; }

inline Json image_block() {
  return {{"type", "image"}, {"data", kPngBase64}, {"mimeType", "image/png"}};
}

// Adds the test_* tools and json_schema_2020_12_tool to `registry`.
void register_tools(tools::ToolRegistry& registry);

// The 2026-07-28 MRTR tools (test_input_required_result_*), on the dispatcher's input_required
// path (fixture_input_required.cpp).
void register_input_required_tools(tools::ToolRegistry& registry);

// resources/list, resources/templates/list, resources/read, resources/subscribe and
// resources/unsubscribe, plus the `resources` capability. Subscription state lives in the
// handlers, so it is per process, i.e. per session.
void add_resource_methods(Server& server);

// prompts/list, prompts/get and completion/complete, plus the `prompts` and `completions`
// capabilities.
void add_prompt_methods(Server& server);

}  // namespace lava_mcp::conformance_fixture
