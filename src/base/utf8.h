// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Every
// module that turns outside bytes into JSON strings uses this one definition, because
// nlohmann's dump() throws on anything it would not accept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lava_mcp {

// Length of the valid sequence that starts at text[i] (1 to 4), or 0 when none does.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

bool is_valid_utf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point`; surrogates and values above U+10FFFF give U+FFFD.
void append_utf8(std::string& out, char32_t code_point);

// `text` with each byte that starts no valid sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

// The longest prefix of `text` at most `max_bytes` long that does not end inside a UTF-8
// sequence: a cut that would split a character backs off to that character's first byte. Every
// size limit on text shown to a client (bodies, messages, docs sections, schema echoes) uses it.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

}  // namespace lava_mcp
