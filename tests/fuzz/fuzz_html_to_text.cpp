// fuzz_html_to_text: get_provider_docs' text layer (src/gateway/docs/docs.h). The input is a
// fetched document (HTML, markdown, OpenAPI JSON or garbage); its first line is also the topic.
// Invariants (all functions are documented as never throwing):
//  - html_to_text: valid UTF-8, no CR, trimmed; markdown_passthrough: valid UTF-8, no CR, no
//    leading blank line, no trailing whitespace; openapi_summary: valid UTF-8 or a kInvalidParams
//    error; decode_entities of valid UTF-8 is valid UTF-8; detect_kind is one of the four kinds.
//  - split_sections: levels 0..6, a level-0 section only first, one-line headings, bodies trimmed.
//  - select_for_topic only reorders: its output has the same length for every topic, equals the
//    sections joined in document order for an empty topic, and is valid UTF-8.
//  - cut_at_boundary(text, n): a prefix of `text` of at most n bytes, `truncated` exactly when
//    text is longer than n, no trailing whitespace when truncated, valid UTF-8 when the text is,
//    and, for valid UTF-8, it never throws away more than 40% of the budget (besides trailing
//    whitespace and a split UTF-8 sequence).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docs/docs.h"
#include "fuzz_util.h"

namespace {

using lava_fuzz::is_valid_utf8;
using lava_fuzz::no_throw;
using lava_fuzz::show;
namespace docs = lava_mcp::docs;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

void check_clean(const std::string& out, const char* step, std::string_view input) {
  FUZZ_CHECK(is_valid_utf8(out), std::string(step) + " output is not valid UTF-8: " + show(out) +
                                     "\ninput: " + show(input));
  FUZZ_CHECK(out.find('\r') == std::string::npos,
             std::string(step) + " output has a CR: " + show(out) + "\ninput: " + show(input));
}

void check_cut(std::string_view text, std::size_t max_chars) {
  const docs::Cut cut =
      no_throw("cut_at_boundary", [&] { return docs::cut_at_boundary(text, max_chars); });
  // Failure messages are built only on failure (show() is not free).
  const auto context = [&] {
    return "cut_at_boundary(" + show(text) + ", " + std::to_string(max_chars) +
           ") = " + show(cut.text);
  };
  FUZZ_CHECK(cut.text.size() <= max_chars, context() + ": over budget");
  FUZZ_CHECK(text.substr(0, cut.text.size()) == cut.text, context() + ": not a prefix");
  FUZZ_CHECK(cut.truncated == (text.size() > max_chars), context() + ": wrong truncated flag");
  if (!cut.truncated) {
    FUZZ_CHECK(cut.text == text, context() + ": changed a text that fits");
    return;
  }
  FUZZ_CHECK(cut.text.empty() || !is_space(cut.text.back()), context() + ": trailing whitespace");
  if (is_valid_utf8(text))
    FUZZ_CHECK(is_valid_utf8(cut.text), context() + ": split a UTF-8 sequence");
  // Boundaries only count in the last 40% of the budget. (In invalid UTF-8, stray continuation
  // bytes make the "do not split a sequence" back-off meaningless, so only valid text is held
  // to this.)
  const std::size_t floor = max_chars - max_chars * 2 / 5;
  if (cut.text.size() < floor && is_valid_utf8(text)) {
    std::string_view gap = text.substr(cut.text.size(), floor - cut.text.size());
    while (!gap.empty() && is_space(gap.front())) gap.remove_prefix(1);
    bool partial_sequence = gap.size() <= 3;
    for (const char c : gap)
      partial_sequence = partial_sequence && (static_cast<unsigned char>(c) & 0x80);
    FUZZ_CHECK(gap.empty() || partial_sequence,
               context() + ": threw away more than 40% of the budget");
  }
}

void check_sections(const std::string& text, std::string_view topic) {
  const std::vector<docs::Section> sections =
      no_throw("split_sections", [&] { return docs::split_sections(text); });
  std::string in_order;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const docs::Section& section = sections[i];
    FUZZ_CHECK(section.level >= 0 && section.level <= 6,
               "section level " + std::to_string(section.level));
    FUZZ_CHECK(section.level > 0 || (i == 0 && !section.text.empty()),
               "level-0 section not first or empty in " + show(text));
    FUZZ_CHECK(section.heading.find('\n') == std::string::npos,
               "heading spans lines: " + show(text));
    FUZZ_CHECK(section.text.empty() || !is_space(section.text.back()),
               "section body has trailing whitespace: " + show(section.text));
    const std::string rendered = docs::render_section(section);
    if (!rendered.empty()) in_order += (in_order.empty() ? "" : "\n\n") + rendered;
  }
  const std::string none =
      no_throw("select_for_topic", [&] { return docs::select_for_topic(sections, ""); });
  FUZZ_CHECK(none == in_order, "select_for_topic(\"\") is not document order for " + show(text));
  const std::string ranked =
      no_throw("select_for_topic", [&] { return docs::select_for_topic(sections, topic); });
  FUZZ_CHECK(ranked.size() == in_order.size(),
             "select_for_topic changed the content for topic " + show(topic) + " of " + show(text));
  if (is_valid_utf8(text)) FUZZ_CHECK(is_valid_utf8(ranked), "select_for_topic broke UTF-8");

  const std::size_t n = ranked.size();
  for (const std::size_t budget :
       {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
        std::size_t{40}, n / 3, n / 2, n - n / 10, n > 0 ? n - 1 : 0, n, n + 1}) {
    check_cut(ranked, budget);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view topic = input.substr(0, std::min<std::size_t>(input.find('\n'), 80));

  const std::string html = no_throw("html_to_text", [&] { return docs::html_to_text(input); });
  check_clean(html, "html_to_text", input);
  FUZZ_CHECK(html.empty() || (!is_space(html.front()) && !is_space(html.back())),
             "html_to_text output is not trimmed: " + show(html) + "\ninput: " + show(input));

  const std::string markdown =
      no_throw("markdown_passthrough", [&] { return docs::markdown_passthrough(input); });
  check_clean(markdown, "markdown_passthrough", input);
  FUZZ_CHECK(markdown.empty() || !is_space(markdown.back()),
             "markdown_passthrough left trailing whitespace: " + show(markdown));
  const std::string_view first_line = std::string_view(markdown).substr(0, markdown.find('\n'));
  FUZZ_CHECK(markdown.empty() || first_line.find_first_not_of(" \t\f") != std::string_view::npos,
             "markdown_passthrough starts with a blank line: " + show(markdown));

  const auto summary = no_throw("openapi_summary", [&] { return docs::openapi_summary(input); });
  if (summary) {
    check_clean(*summary, "openapi_summary", input);
  } else {
    FUZZ_CHECK(summary.error().code == lava_mcp::error_code::kInvalidParams,
               "openapi_summary error code " + std::to_string(summary.error().code));
  }

  const std::string decoded =
      no_throw("decode_entities", [&] { return docs::decode_entities(input); });
  if (is_valid_utf8(input)) {
    FUZZ_CHECK(is_valid_utf8(decoded), "decode_entities broke UTF-8: " + show(input));
  }

  for (const char* type : {"", "text/html; charset=utf-8", "text/markdown", "application/json",
                           "application/vnd.oai.openapi+json", "text/plain"}) {
    for (const char* url : {"", "https://docs.example.com/llms.txt", "https://x.dev/openapi.json",
                            "https://x.dev/guide.html", "https://x.dev/README.md?x=1"}) {
      const auto kind =
          no_throw("detect_kind", [&] { return docs::detect_kind(type, url, input); });
      const std::string_view name = docs::to_string(kind);
      FUZZ_CHECK(name == "html" || name == "markdown" || name == "text" || name == "openapi",
                 "detect_kind gave an unknown kind");
    }
  }

  check_sections(markdown, topic);
  check_sections(html, topic);
  if (summary) check_sections(*summary, topic);
  check_sections(std::string(input), topic);  // raw bytes, invalid UTF-8 included
  return 0;
}
