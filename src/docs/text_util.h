// Small text helpers shared by the docs text layer: UTF-8 cleaning, ASCII case and whitespace,
// and the markdown line shapes (fences, ATX headings) that several functions must agree on.
// Internal to src/gateway/docs; pure functions, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/text_basics.h"
#include "base/utf8.h"  // append_utf8, shared with json_reader

namespace lava_mcp::docs {

// Valid UTF-8 with LF line ends: each invalid byte becomes U+FFFD, CRLF and CR become LF, form
// feed becomes a space, a leading BOM and the other C0 controls (and DEL) except tab are dropped.
std::string clean_text(std::string_view text);

bool is_blank(std::string_view text);

// The line that starts at `pos` (without its LF); `pos` moves past the LF, or to the end.
std::string_view next_line(std::string_view text, std::size_t& pos);

// Whitespace runs become one space; leading and trailing whitespace go.
std::string collapse_whitespace(std::string_view text);

// A fenced code block opener: up to three spaces, then three or more ` or ~.
struct Fence {
  char marker = '`';
  std::size_t length = 0;
};
std::optional<Fence> opening_fence(std::string_view line);
bool closes_fence(std::string_view line, const Fence& fence);

// An ATX heading line ("## Title ##"): its level 1..6 and trimmed text, or 0 when not a heading.
int atx_heading(std::string_view line, std::string_view* text = nullptr);

}  // namespace lava_mcp::docs
