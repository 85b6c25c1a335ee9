#include "docs/sections.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace lava_mcp::docs {
namespace {

std::vector<std::string> headings(const std::vector<Section>& sections) {
  std::vector<std::string> out;
  for (const Section& s : sections) {
    out.push_back(std::to_string(s.level) + ":" + s.heading);
  }
  return out;
}

// The heading lines of a select_for_topic result, in order.
std::vector<std::string> heading_order(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string line = text.substr(pos, end - pos);
    if (line.rfind("#", 0) == 0) {
      out.push_back(line);
    }
    pos = end + 1;
  }
  return out;
}

TEST_CASE("split_sections: ATX headings outside fences") {
  const std::string text =
      "Intro line\n\n"
      "# Title #\n\nBody one\n\n\n"
      "## Install\n"
      "```sh\n# not a heading\npip install x\n```\n"
      "#hashtag is text\n"
      "####### seven is text\n"
      "   ### Indented ok\n"
      "text\n"
      "##\n"
      "after empty heading";
  const auto sections = split_sections(text);
  CHECK(headings(sections) ==
        std::vector<std::string>{"0:", "1:Title", "2:Install", "3:Indented ok", "2:"});
  CHECK(sections[0].text == "Intro line");
  CHECK(sections[1].text == "Body one");
  CHECK(sections[2].text ==
        "```sh\n# not a heading\npip install x\n```\n#hashtag is text\n####### seven is text");
  CHECK(sections[3].text == "text");
  CHECK(sections[4].text == "after empty heading");
  CHECK(render_section(sections[1]) == "# Title\n\nBody one");
  CHECK(render_section(sections[0]) == "Intro line");
  CHECK(split_sections("").empty());
  CHECK(split_sections("\n\n  \n").empty());
  CHECK(headings(split_sections("# Only")) == std::vector<std::string>{"1:Only"});
}

TEST_CASE("select_for_topic: relevant sections first, ties in document order") {
  const auto sections = split_sections(
      "Welcome to the API.\n\n"
      "# Overview\n\nGeneral information about requests.\n\n"
      "## Errors\n\nError codes and retries.\n\n"
      "## Authentication\n\nSend an API key in the header. Keys are created in the dashboard.\n\n"
      "## Rate limits\n\nLimits apply per key.\n\n"
      "## Pagination\n\nUse cursors.\n");

  SUBCASE("empty topic keeps document order") {
    const std::string all = select_for_topic(sections, "");
    CHECK(heading_order(all) == std::vector<std::string>{"# Overview", "## Errors",
                                                         "## Authentication", "## Rate limits",
                                                         "## Pagination"});
    CHECK(all.rfind("Welcome to the API.\n\n# Overview", 0) == 0);
    CHECK(select_for_topic(sections, "the how to") == all);  // stop words only
  }
  SUBCASE("heading matches outrank body matches; plurals match singulars") {
    CHECK(heading_order(select_for_topic(sections, "authentication keys")) ==
          std::vector<std::string>{"## Authentication", "## Rate limits", "# Overview", "## Errors",
                                   "## Pagination"});
  }
  SUBCASE("equal scores keep document order") {
    const auto same = split_sections("# Bravo\n\nword\n\n# Alpha\n\nword\n\n# Charlie\n\nother\n");
    CHECK(heading_order(select_for_topic(same, "word")) ==
          std::vector<std::string>{"# Bravo", "# Alpha", "# Charlie"});
  }
  SUBCASE("no match keeps document order") {
    CHECK(select_for_topic(sections, "webhooks") == select_for_topic(sections, ""));
  }
  CHECK(select_for_topic({}, "anything") == "");
}

TEST_CASE("topic_terms: lowercase, plurals, stop words") {
  CHECK(topic_terms("How do I list the Libraries, classes and API-Keys?") ==
        std::vector<std::string>{"list", "library", "class", "api", "key"});
  CHECK(topic_terms("status access bus analysis") ==
        std::vector<std::string>{"status", "access", "bus", "analysis"});
  CHECK(topic_terms("caf\xC3\xA9s") == std::vector<std::string>{"caf\xC3\xA9"});
  CHECK(topic_terms("").empty());
}

TEST_CASE("cut_at_boundary: fits, sections, paragraphs, lines, UTF-8") {
  SUBCASE("text that fits is returned whole") {
    const Cut cut = cut_at_boundary("short", 5);
    CHECK(cut.text == "short");
    CHECK_FALSE(cut.truncated);
  }
  SUBCASE("cuts before a heading in the last 40%") {
    const std::string text = std::string(70, 'a') + "\n\n" + std::string(10, 'b') +
                             "\n\n## Next\n" + std::string(50, 'c');
    const Cut cut = cut_at_boundary(text, 100);
    CHECK(cut.truncated);
    CHECK(cut.text == std::string(70, 'a') + "\n\n" + std::string(10, 'b'));
  }
  SUBCASE("a heading too early loses to a later paragraph break") {
    const std::string text = std::string(20, 'a') + "\n\n## Early\n" + std::string(60, 'b') +
                             "\n\n" + std::string(50, 'c');
    const Cut cut = cut_at_boundary(text, 100);
    CHECK(cut.text == std::string(20, 'a') + "\n\n## Early\n" + std::string(60, 'b'));
  }
  SUBCASE("a heading inside fenced code is no boundary") {
    const std::string text = std::string(70, 'a') + "\n```\n" + std::string(5, 'x') +
                             "\n# comment\n" + std::string(80, 'd');
    const Cut cut = cut_at_boundary(text, 100);
    CHECK(cut.text == std::string(70, 'a') + "\n```\n" + std::string(5, 'x') + "\n# comment");
  }
  SUBCASE("last newline when there is no paragraph break") {
    const std::string text =
        std::string(65, 'a') + "\n" + std::string(10, 'b') + "\n" + std::string(60, 'c');
    const Cut cut = cut_at_boundary(text, 100);
    CHECK(cut.text == std::string(65, 'a') + "\n" + std::string(10, 'b'));
  }
  SUBCASE("boundaries before 60% of the budget are ignored") {
    const std::string text = std::string(10, 'a') + "\n\n" + std::string(200, 'b');
    const Cut cut = cut_at_boundary(text, 100);
    CHECK(cut.text.size() == 100);
    CHECK(cut.truncated);
  }
  SUBCASE("a hard cut never splits a UTF-8 sequence") {
    std::string text;
    for (int i = 0; i < 40; ++i) {
      text += "\xE2\x82\xAC";  // three bytes each
    }
    const Cut cut = cut_at_boundary(text, 100);
    CHECK(cut.text.size() == 99);
    CHECK(cut.text == text.substr(0, 99));
    CHECK(cut_at_boundary("\xF0\x9F\x98\x80", 3).text.empty());
    CHECK(cut_at_boundary("\xF0\x9F\x98\x80", 0).truncated);
  }
}

}  // namespace
}  // namespace lava_mcp::docs
