// The tool schemas of schemas/*.json, compiled into the binary and parsed once.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "base/embedded_file.h"

namespace lava_mcp::tools {

// Generated at build time from schemas/*.json.
std::span<const EmbeddedFile> schema_files();

// The parsed schema "<file_name>" (e.g. "search.input.json"). Thread-safe; a missing or
// unparsable file is a build defect and aborts.
const nlohmann::json& schema(std::string_view file_name);

}  // namespace lava_mcp::tools
