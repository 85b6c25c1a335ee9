// Compact JSON text, written for the data path: every protocol line and every request body
// passes here (bench/README.md, round 4).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace lava_mcp {

// Appends `value` as compact JSON: byte for byte what
// value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) writes (a string that is
// not valid UTF-8 gets U+FFFD for each bad sequence), at a fraction of the cost.
void append_compact_json(std::string& out, const nlohmann::json& value);

std::string compact_json(const nlohmann::json& value);

// compact_json(value).size(), without writing the text (result budgets measure with it).
std::size_t compact_json_size(const nlohmann::json& value);

// The characters `byte` takes inside a JSON string as append_compact_json writes it: two for
// the short escapes, six for another control character (\u00xx), one for anything else (a byte
// of a multi-byte UTF-8 sequence is copied as it is). Budgets count result sizes with it.
constexpr std::size_t json_escaped_length(unsigned char byte) {
  switch (byte) {
    case '"':
    case '\\':
    case '\b':
    case '\t':
    case '\n':
    case '\f':
    case '\r':
      return 2;
    default:
      return byte < 0x20 ? 6 : 1;
  }
}

}  // namespace lava_mcp
