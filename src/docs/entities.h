// HTML character references (named, decimal, hexadecimal) decoded to UTF-8, following the
// HTML parsing rules closely enough for documentation pages. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lava_mcp::docs {

// The code point of a named entity without '&' and ';' ("amp" -> U+0026), or 0 when unknown.
// Covers the HTML 4 set (253 names, e.g. nbsp, copy, mdash, hellip, rsquo, rarr) plus common
// HTML5 additions; names are case-sensitive.
char32_t named_entity(std::string_view name);

// Decodes the character reference starting at text[pos] (which must be '&') onto `out` and
// returns how many bytes it consumed, or 0 when there is no reference there (the caller keeps
// the '&' as text). Numeric references give U+FFFD for 0, surrogates, values above U+10FFFF
// and control characters; 0x80..0x9F map through Windows-1252 as browsers do. A few legacy
// names (amp, lt, nbsp, ...) are accepted without ';', except inside attribute values when an
// alphanumeric or '=' follows. Never throws.
std::size_t decode_char_ref(std::string_view text, std::size_t pos, bool in_attribute,
                            std::string& out);

// `text` with every character reference decoded.
std::string decode_entities(std::string_view text, bool in_attribute = false);

}  // namespace lava_mcp::docs
