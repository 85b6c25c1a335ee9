// Compact JSON text, written for the data path: every protocol line and every request body
// passes here (bench/README.md, round 4).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace lava_mcp {

// Appends `value` as compact JSON: byte for byte what
// value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) writes (a string that is
// not valid UTF-8 gets U+FFFD for each bad sequence), at a fraction of the cost.
void append_compact_json(std::string& out, const nlohmann::json& value);

std::string compact_json(const nlohmann::json& value);

}  // namespace lava_mcp
