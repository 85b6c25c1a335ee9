#include "docs/html_to_text.h"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  out.reserve(unit.size() * times);
  for (std::size_t i = 0; i < times; ++i) {
    out += unit;
  }
  return out;
}

bool valid_utf8_lf(const std::string& text) { return clean_text(text) == text; }

TEST_CASE("html_to_text: character references") {
  CHECK(html_to_text("<p>&amp; &lt; &gt; &quot; &apos; &nbsp;x</p>") == "& < > \" '  x");
  CHECK(html_to_text("&copy;&mdash;&ndash;&hellip;&rsquo;&lsquo;&ldquo;&rdquo;&times;&rarr;") ==
        "\xC2\xA9\xE2\x80\x94\xE2\x80\x93\xE2\x80\xA6\xE2\x80\x99\xE2\x80\x98\xE2\x80\x9C"
        "\xE2\x80\x9D\xC3\x97\xE2\x86\x92");
  CHECK(html_to_text("&#65;&#x42;&#X43;&#x1F600;") == "ABC\xF0\x9F\x98\x80");
  CHECK(html_to_text("[&#0;][&#xD800;][&#x110000;][&#99999999999999999999;][&#1;]") ==
        "[\xEF\xBF\xBD][\xEF\xBF\xBD][\xEF\xBF\xBD][\xEF\xBF\xBD][\xEF\xBF\xBD]");
  CHECK(html_to_text("&#150;&#x80;") == "\xE2\x80\x93\xE2\x82\xAC");  // Windows-1252 range
  CHECK(html_to_text("&nosuch; &# &#x; & x &;") == "&nosuch; &# &#x; & x &;");
  CHECK(html_to_text("AT&T &amp &copy2024 &notit;") ==
        "AT&T & \xC2\xA9"
        "2024 \xC2\xACit;");
  SUBCASE("attributes do not decode legacy names before alphanumerics") {
    CHECK(html_to_text("<a href=\"https://x.test/?a=1&copy=2&amp;b\">go</a>") ==
          "go (https://x.test/?a=1&copy=2&b)");
  }
  SUBCASE("unterminated references at the end") {
    CHECK(html_to_text("a &#x") == "a &#x");
    CHECK(html_to_text("a &#x41") == "a A");
    CHECK(html_to_text("a &am") == "a &am");
    CHECK(html_to_text("a &") == "a &");
  }
}

TEST_CASE("html_to_text: tokenizer corners") {
  CHECK(html_to_text("<p title='a > b' data-x=\"<i>\" onclick=\"if(a>b){}\">text</p>") == "text");
  CHECK(html_to_text("<p class=unquoted id = spaced hidden-not>x</p>") == "x");
  CHECK(html_to_text("a <!-- c <p>x</p> --> b") == "a b");
  CHECK(html_to_text("a<!-->b<!--->c<!-- x --!>d") == "abcd");
  CHECK(html_to_text("a <!-- never closed <p>x</p>") == "a");
  CHECK(html_to_text("<!DOCTYPE html><?xml version=\"1.0\"?>x") == "x");
  CHECK(html_to_text("<![CDATA[ <b>raw</b> &amp; ]]>") == "<b>raw</b> &amp;");
  CHECK(html_to_text("1 < 2 and 3 <= 4, a</ b> c </>d") == "1 < 2 and 3 <= 4, a c d");
  CHECK(html_to_text("x <div class=\"never closed") == "x");
  CHECK(html_to_text("x </div") == "x");
  CHECK(html_to_text("x <") == "x <");
  CHECK(html_to_text("x </") == "x </");
  CHECK(html_to_text("<P>Upper <B>Case</b></p>") == "Upper Case");
}

TEST_CASE("html_to_text: raw text elements and removed content") {
  CHECK(html_to_text("<script>document.write('<p>no</p>')</script><p>yes</p>") == "yes");
  CHECK(html_to_text("<style>p::before{content:'</p>'}</style>ok") == "ok");
  CHECK(html_to_text("<SCRIPT type=x>a</script >b") == "b");
  CHECK(html_to_text("<script>never closed <p>x</p>") == "");
  CHECK(html_to_text("<textarea><b>typed</b></textarea>after") == "after");
  CHECK(html_to_text("<nav>n</nav><header>h</header><footer>f</footer><aside>a</aside>"
                     "<form>f<input></form><button>b</button><iframe>i</iframe>"
                     "<template>t</template><noscript>ns</noscript><select><option>o</select>"
                     "<p>kept</p>") == "kept");
  CHECK(html_to_text("<svg><title>icon</title><text>t</text></svg>after") == "after");
  CHECK(html_to_text("<svg viewBox='0 0 1 1'/><p>after self-closing svg</p>") ==
        "after self-closing svg");
  CHECK(html_to_text("<svg><path></svg><p>p breaks out</p>") == "p breaks out");
  CHECK(html_to_text("<div hidden>h</div><div aria-hidden=\"true\">a</div>"
                     "<div style=\"display: none\">s</div><div role=navigation>r</div>v") == "v");
}

TEST_CASE("html_to_text: title and head") {
  CHECK(html_to_text("<html><head><title> My  &amp; Page </title></head><body><p>x</p></body>") ==
        "# My & Page\n\nx");
  CHECK(html_to_text("<title>T</title><h1>Real</h1>") == "# Real");
  CHECK(html_to_text("<title>T</title><h2>Sub</h2>") == "# T\n\n## Sub");
  CHECK(html_to_text("<head><meta charset=utf-8><title>T</title><p>head ends here") ==
        "# T\n\nhead ends here");
  CHECK(html_to_text("<head><link rel=x>text without body tag") == "text without body tag");
}

TEST_CASE("html_to_text: headings and blocks") {
  CHECK(html_to_text("<h1>One</h1><h2>Two</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>") ==
        "# One\n\n## Two\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6");
  CHECK(html_to_text("<h2>Multi<br>line\n heading</h2>") == "## Multi line heading");
  CHECK(html_to_text("<h2></h2><p>empty heading dropped</p>") == "empty heading dropped");
  CHECK(html_to_text("<p>a</p><p>b</p><div>c</div><div>d</div><section><p>e</p></section>") ==
        "a\n\nb\n\nc\nd\n\ne");
  CHECK(html_to_text("<p>a<p>b<div><div><div>c</div></div></div>") == "a\n\nb\n\nc");
  CHECK(html_to_text("a<br>b<br><br><br><br>c") == "a\nb\n\nc");
  CHECK(html_to_text("<p>  lots \n\t of   space  </p>") == "lots of space");
  CHECK(html_to_text("x<hr>y") == "x\n\n---\n\ny");
  CHECK(html_to_text("<span>a</span><span>b</span> <em>c</em>") == "ab c");
  CHECK(html_to_text("stray</p>end") == "stray\n\nend");
}

TEST_CASE("html_to_text: lists") {
  CHECK(html_to_text("<ul><li>a</li><li>b</li></ul>") == "- a\n- b");
  CHECK(html_to_text("<ol><li>a<li>b<li>c</ol>") == "1. a\n2. b\n3. c");
  CHECK(html_to_text("<ol start=\"4\"><li>d</li><li value=9>i</li><li>j</li></ol>") ==
        "4. d\n9. i\n10. j");
  CHECK(html_to_text("<ol><li>one<ul><li>a<ol><li>deep</li></ol></li><li>b</li></ul></li>"
                     "<li>two</li></ol>") == "1. one\n  - a\n    1. deep\n  - b\n2. two");
  CHECK(html_to_text("<ul><li><p>para</p><p>second</p></li><li>next</li></ul>") ==
        "- para\n  second\n- next");
  CHECK(html_to_text("<p>before</p><ul><li>x</li></ul><p>after</p>") == "before\n\n- x\n\nafter");
  CHECK(html_to_text("<ul><li></li><li>only</li></ul>") == "- only");
  CHECK(html_to_text("<ul><li><ul><li>nested only</li></ul></li></ul>") == "-\n  - nested only");
  CHECK(html_to_text("<li>orphan item</li>") == "- orphan item");
  CHECK(html_to_text("<dl><dt>Term</dt><dd>Definition</dd></dl>") == "Term\nDefinition");
}

TEST_CASE("html_to_text: tables") {
  CHECK(html_to_text("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>") ==
        "| A | B |\n| --- | --- |\n| 1 | 2 |");
  CHECK(html_to_text("<table><tr><td>1</td><td>2</td></tr><tr><th>x</th></tr></table>") ==
        "| 1 | 2 |\n| x |");
  CHECK(html_to_text("<table><tr><td>a|b<td>c\n d<tr><td><p>p1</p><p>p2</p></table>") ==
        "| a\\|b | c d |\n| p1 p2 |");
  CHECK(html_to_text("<p>x</p><table><caption>Cap</caption><td>implied row</td></table>y") ==
        "x\n\nCap\n| implied row |\n\ny");
  CHECK(html_to_text("<table><tr><td></td><td> </td></tr><tr><td>kept</td></tr></table>") ==
        "| kept |");
  CHECK(html_to_text("<table><tr><td>outer<table><tr><td>inner</td></tr></table></td></tr>"
                     "</table>") == "| outer inner |");
  CHECK(html_to_text("<table><tr><td><a href=\"https://x.test\">link</a></td></tr></table>") ==
        "| link (https://x.test) |");
}

TEST_CASE("html_to_text: preformatted and inline code") {
  CHECK(html_to_text("<pre>\n  a  b\n\n    c\n</pre>") == "```\n  a  b\n\n    c\n```");
  CHECK(html_to_text("<pre><code class=\"hljs language-go\">x &lt; y\n</code></pre>") ==
        "```go\nx < y\n```");
  CHECK(html_to_text("<pre class=\"lang-sh\"><span>$</span> <b>run</b></pre>") ==
        "```sh\n$ run\n```");
  CHECK(html_to_text("<pre>```\ninner fence\n```</pre>") == "````\n```\ninner fence\n```\n````");
  CHECK(html_to_text("<pre>a<br>b</pre>") == "```\na\nb\n```");
  CHECK(html_to_text("<pre></pre>x") == "x");
  CHECK(html_to_text("<ul><li>item<pre>code\n  more</pre></li></ul>") ==
        "- item\n  ```\n  code\n    more\n  ```");
  CHECK(html_to_text("use <code>a  b</code>, <kbd>Ctrl</kbd> and <code>x`y</code>") ==
        "use `a b`, `Ctrl` and ``x`y``");
  CHECK(html_to_text("<code>`tick</code>") == "`` `tick ``");
  CHECK(html_to_text("a <code> </code> b") == "a b");
  CHECK(html_to_text("<code><pre>block</pre></code>") == "```\nblock\n```");
}

TEST_CASE("html_to_text: links and images") {
  CHECK(html_to_text("<a href=\"https://x.test/a\">docs</a>") == "docs (https://x.test/a)");
  CHECK(html_to_text("<a href=\"http://x.test/\">x.test</a>") == "x.test");
  CHECK(html_to_text("<a href=\"https://x.test/a\">https://x.test/a</a>") == "https://x.test/a");
  CHECK(html_to_text("<a href=\"/relative\">rel</a> <a href=\"mailto:a@b\">mail</a>") ==
        "rel mail");
  CHECK(html_to_text("<a href=\"#sec\">see section</a>") == "see section");
  CHECK(html_to_text("<h2 id=s>Setup<a href=\"#s\">#</a></h2>") == "## Setup");
  CHECK(html_to_text("<h2><a href=\"https://x.test\">Linked heading</a></h2>") ==
        "## Linked heading");
  CHECK(html_to_text("<a href=\"https://x.test\"></a>empty") == "empty");
  CHECK(html_to_text("<a href=\"https://x.test\">one<a href=\"https://y.test\">two</a>") ==
        "one (https://x.test)two (https://y.test)");
  CHECK(html_to_text("see <img src=a.png alt=\"the diagram\"> and <img src=b.png>") ==
        "see the diagram and");
}

TEST_CASE("html_to_text: output is trimmed valid UTF-8") {
  CHECK(html_to_text("") == "");
  CHECK(html_to_text("  \n\t ") == "");
  CHECK(html_to_text("<p>bad \xFF\xC0\x80 bytes \xE2\x82</p>") ==
        "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD bytes \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(html_to_text("\xEF\xBB\xBF<p>bom\r\nand\rcr\x01</p>") == "bom and cr");
  CHECK(html_to_text(std::string_view("<pre>a\r\nb\0c</pre>", 17)) == "```\na\nbc\n```");
}

TEST_CASE("html_to_text: robustness against nesting") {
  SUBCASE("10,000 nested divs") {
    const std::string html = repeat("<div>", 10000) + "deep" + repeat("</div>", 10000);
    CHECK(html_to_text(html) == "deep");
  }
  SUBCASE("deep nesting of every container kind") {
    std::string html;
    for (const char* tag : {"ul><li", "ol><li", "table><tr><td", "blockquote", "a href='#'", "code",
                            "h2", "pre", "svg"}) {
      html += repeat(std::string("<") + tag + ">x", 3000);
    }
    CHECK(valid_utf8_lf(html_to_text(html)));
    CHECK(valid_utf8_lf(html_to_text(repeat("</div></li></td></table></pre>", 5000))));
  }
}

TEST_CASE("html_to_text: robustness against unterminated constructs") {
  for (const char* tail : {"<",
                           "</",
                           "<a",
                           "<a href",
                           "<a href=",
                           "<a href=\"x",
                           "<a href='x",
                           "<!",
                           "<!-",
                           "<!--",
                           "<!-- x -",
                           "<![CDATA[",
                           "<![CDATA[x]]",
                           "<?",
                           "<script>",
                           "<script>x</scr",
                           "<title>",
                           "&",
                           "&#",
                           "&#x",
                           "&#x1F",
                           "&am",
                           "<pre>",
                           "<code>",
                           "<table><tr><td>",
                           "<ul><li>",
                           "<h1>",
                           "<a href='https://x.test'>t"}) {
    INFO("tail: " << tail);
    const std::string out = html_to_text(std::string("<p>text</p>") + tail);
    CHECK(out.rfind("text", 0) == 0);
    CHECK(valid_utf8_lf(out));
  }
}

TEST_CASE("html_to_text: robustness against 5 MiB of random bytes") {
  // No timing assertion: finishing (under the test timeout) is the check.
  std::mt19937 random(20240611);
  std::string bytes(5 * 1024 * 1024, '\0');
  for (char& c : bytes) {
    c = static_cast<char>(random() & 0xFF);
  }
  CHECK(valid_utf8_lf(html_to_text(bytes)));
}

TEST_CASE("html_to_text: robustness against 2 MiB of random markup") {
  const char* pieces[] = {"<div>",     "</div>",     "<p>",      "</p>",
                          "<ul>",      "<li>",       "</ul>",    "<table>",
                          "<tr>",      "<td>",       "</table>", "<pre>",
                          "</pre>",    "<code>",     "</code>",  "<a href='https://x.test'>",
                          "</a>",      "<h2>",       "</h2>",    "<script>",
                          "</script>", "<!--",       "-->",      "&amp;",
                          "&#x41;",    "text ",      "\n",       "<br>",
                          "<svg>",     "</svg>",     "<th>",     "<ol start=3>",
                          "</li>",     "<img alt=i>"};
  std::mt19937 random(7);
  std::string html;
  while (html.size() < 2 * 1024 * 1024) {
    html += pieces[random() % std::size(pieces)];
  }
  CHECK(valid_utf8_lf(html_to_text(html)));
}

}  // namespace
}  // namespace lava_mcp::docs
