#include "docs/markdown.h"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

TEST_CASE("markdown_passthrough: front matter") {
  CHECK(markdown_passthrough("---\ntitle: x\n---\n# Doc\n") == "# Doc");
  CHECK(markdown_passthrough("+++\ntitle = 'x'\n+++\n\nBody") == "Body");
  CHECK(markdown_passthrough("---\na: 1\n...\nBody") == "Body");
  CHECK(markdown_passthrough("---\nnever closed\n# Doc") == "---\nnever closed\n# Doc");
  CHECK(markdown_passthrough("Intro\n---\nnot front matter\n---\n") ==
        "Intro\n---\nnot front matter\n---");
}

TEST_CASE("markdown_passthrough: comments, blank lines, line ends") {
  CHECK(markdown_passthrough("a <!-- x --> b") == "a b");
  CHECK(markdown_passthrough("a\n<!-- one\ntwo -->\nb") == "a\nb");
  CHECK(markdown_passthrough("a <!-- spans\nlines --> b") == "a \n b");
  CHECK(markdown_passthrough("keep <!-- unclosed\nrest") == "keep <!-- unclosed\nrest");
  CHECK(markdown_passthrough("`<!-- code -->` and ``x <!-- y --> z``") ==
        "`<!-- code -->` and ``x <!-- y --> z``");
  CHECK(markdown_passthrough("~~~\n<!-- fenced -->\n\n\n\nx\n~~~\n\n\n\ny") ==
        "~~~\n<!-- fenced -->\n\n\n\nx\n~~~\n\ny");
  CHECK(markdown_passthrough("\n\n\na\r\n\r\n\r\n\r\nb\rc  \n \t \n\nd\n\n") == "a\n\nb\nc  \n\nd");
  CHECK(markdown_passthrough("bad \xFF byte") == "bad \xEF\xBF\xBD byte");
  CHECK(markdown_passthrough("") == "");
}

TEST_CASE("markdown_passthrough: plain text and garbage") {
  CHECK(markdown_passthrough("Just text.\n\n\n\nMore text.") == "Just text.\n\nMore text.");
  std::mt19937 random(99);
  std::string bytes(1024 * 1024, '\0');
  for (char& c : bytes) {
    c = "<!-`~-> \n\xFF"[random() % 10];
  }
  const std::string out = markdown_passthrough(bytes);
  CHECK(clean_text(out) == out);
}

}  // namespace
}  // namespace lava_mcp::docs
