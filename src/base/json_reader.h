// JSON text to values, for the data path: every protocol line and every provider answer is read
// here (bench/README.md, round 4).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lava_mcp {

// The value nlohmann::json::parse(text, nullptr, false) makes of `text` (RFC 8259, a leading
// UTF-8 byte order mark skipped; strings must be valid UTF-8; non-negative integers are
// number_unsigned, negative ones number_integer, others and those out of range double; the last
// of duplicate keys wins), or a discarded value when `text` is not one JSON document or nests
// deeper than `max_depth`. Unlike nlohmann, a NUL byte never ends the input early.
nlohmann::json read_json(std::string_view text, int max_depth);

// At text[at] == '"': appends the string's value to `out` and moves `at` past its closing quote,
// by read_json's rules (the same code), or false when no valid string starts there.
bool read_json_string(std::string_view text, std::size_t& at, std::string& out);

}  // namespace lava_mcp
