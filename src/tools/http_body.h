// Text helpers shared by tools: UTF-8 safe cutting, and turning an HTTP body into what a result
// can carry (parsed JSON, text, or base64 with an MCP image/audio block).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "protocol/features.h"

namespace lava_mcp::tools {

struct BodyView {
  enum class Kind { kEmpty, kJson, kText, kBinary };
  Kind kind = Kind::kEmpty;
  nlohmann::json json;  // kJson
  std::string text;     // kJson: compact JSON; kText: the text; kBinary: base64
};

// JSON (parsed when complete), text, or binary, by content type and content.
BodyView view_body(std::string_view body, std::string_view content_type, bool truncated);

// An MCP image or audio content block for a base64 body, or null when the type is neither (or
// audio where the version has no audio blocks).
nlohmann::json media_content_block(std::string_view content_type, const std::string& base64,
                                   const protocol::Features& features);

}  // namespace lava_mcp::tools
