// Parsing JSON that comes from outside (stdin, HTTP bodies, files) with a nesting limit.
// nlohmann parses iteratively, but copying, comparing and dumping a value recurse once per
// level: a 120 KB document of nested brackets overflows an 8 MiB stack. Every such document is
// refused by the reader as it reaches the limit, so nothing deeper exists in the process.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace lava_mcp {

// Far beyond any real API payload or tool argument, far below what a worker's stack survives.
inline constexpr int kMaxJsonNesting = 512;

// True when brackets outside strings nest deeper than `max_depth` (a linear scan, no parse).
bool nests_deeper_than(std::string_view text, int max_depth);

// read_json at kMaxJsonNesting: a discarded value when `text` is not JSON or nests deeper.
nlohmann::json parse_bounded_json(std::string_view text);

}  // namespace lava_mcp
