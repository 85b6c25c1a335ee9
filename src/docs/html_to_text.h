// HTML documentation pages turned into readable, markdown-ish text: headings, paragraphs,
// lists, tables, code; no scripts, styles, navigation or forms.
#pragma once

#include <string>
#include <string_view>

namespace lava_mcp::docs {

// Converts an HTML document (or fragment) to text. A real tokenizer (tags, quoted and unquoted
// attributes, comments, CDATA, doctype, raw-text elements, character references) feeds a small
// tree builder with HTML's implied end tags; rendering rules:
// - removed with their content: script, style, noscript, nav, header, footer, aside, svg, form,
//   button, iframe, template, head, select, canvas, video, audio, object, and any element that
//   is `hidden`, `aria-hidden="true"`, `style="display:none"` or has role navigation, banner,
//   contentinfo, complementary or search;
// - <title> becomes a first line "# Title" when no h1 was rendered;
// - h1..h6 -> "#".."######" lines; block elements -> line breaks, at most one blank line;
// - ul/ol/li -> "- " / "1. " items, two spaces of indentation per nesting level;
// - tables -> "| a | b |" rows, with a "| --- |" separator after a first row holding <th>;
// - pre -> fenced ``` block (language from a "language-x" class), whitespace kept exactly;
// - code/kbd/samp outside pre -> `code`; img -> its alt text;
// - a -> "text (href)" when href is absolute http(s) and differs from the text; symbol-only
//   permalinks to "#..." are dropped.
// Whitespace is collapsed outside pre; the result is trimmed, valid UTF-8 (invalid bytes become
// U+FFFD) with LF line ends. Never throws on well-allocated input; iterative (no recursion), with
// open elements capped so garbage input stays linear in practice.
std::string html_to_text(std::string_view html);

}  // namespace lava_mcp::docs
