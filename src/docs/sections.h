// Markdown-ish text split into heading sections, ranked against a topic, and cut to a budget at
// a readable boundary. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lava_mcp::docs {

struct Section {
  std::string heading;  // heading text without the '#'s; empty for text before the first heading
  int level = 0;        // 1..6; 0 for text before the first heading
  std::string text;     // the body under the heading, without the heading line, trimmed
};

// Splits on ATX headings ("#".."######" followed by a space) outside fenced code blocks. Text
// before the first heading becomes a level-0 section when it is not blank. Never throws.
std::vector<Section> split_sections(std::string_view text);

// The section rendered back as text: "## Heading\n\nbody" (a level-0 section is its body).
std::string render_section(const Section& section);

// Sections relevant to `topic` first, best first, then the others in document order, rendered
// and joined by blank lines. Relevance is BM25 (k1 1.2, b 0.75) over lowercase ASCII-folded
// terms with simple plural stripping and a few stop words dropped; heading terms count three
// times. Ties keep document order. An empty topic (or one of stop words only) keeps document
// order.
std::string select_for_topic(const std::vector<Section>& sections, std::string_view topic);

// Lowercased terms of `text` as select_for_topic sees them (exposed for tests).
std::vector<std::string> topic_terms(std::string_view text);

struct Cut {
  std::string text;
  bool truncated = false;
};

// `text` when it fits in max_chars bytes; otherwise a prefix of at most max_chars bytes cut, in
// order of preference, before the last heading line, at the last blank line, or after the last
// newline that lies in the last 40% of the budget (so a cut never throws away more than 40%),
// else at max_chars without splitting a UTF-8 sequence. Trailing whitespace of the prefix is
// dropped and nothing is appended: the caller adds its own "[truncated ...]" note.
Cut cut_at_boundary(std::string_view text, std::size_t max_chars);

}  // namespace lava_mcp::docs
