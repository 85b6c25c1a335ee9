#include "docs/entities.h"

#include <doctest/doctest.h>

#include <string>

#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

TEST_CASE("entities: the common named set is there") {
  const char* names[] = {
      "nbsp",  "amp",    "lt",    "gt",     "quot",  "apos",   "copy",  "reg",    "trade", "mdash",
      "ndash", "hellip", "rsquo", "lsquo",  "ldquo", "rdquo",  "times", "divide", "rarr",  "larr",
      "uarr",  "darr",   "harr",  "rArr",   "bull",  "middot", "deg",   "plusmn", "para",  "sect",
      "euro",  "pound",  "yen",   "cent",   "laquo", "raquo",  "le",    "ge",     "ne",    "infin",
      "check", "alpha",  "Omega", "eacute", "uuml",  "szlig",  "shy",   "zwj",    "thinsp"};
  for (const char* name : names) {
    INFO(name);
    CHECK(named_entity(name) != 0);
  }
  CHECK(named_entity("amp") == U'&');
  CHECK(named_entity("Dagger") == U'\u2021');
  CHECK(named_entity("dagger") == U'\u2020');
  CHECK(named_entity("AMP") == U'&');
  CHECK(named_entity("Amp") == 0);
  CHECK(named_entity("") == 0);
  CHECK(named_entity("nosuchname") == 0);
}

TEST_CASE("entities: decode_char_ref reports what it consumed") {
  std::string out;
  CHECK(decode_char_ref("&amp;rest", 0, false, out) == 5);
  CHECK(decode_char_ref("x&#38;", 1, false, out) == 5);
  CHECK(decode_char_ref("&#x26", 0, false, out) == 5);
  CHECK(out == "&&&");
  out.clear();
  CHECK(decode_char_ref("&ampersand", 0, false, out) == 4);  // legacy prefix
  CHECK(out == "&");
  CHECK(decode_char_ref("&ampx", 0, true, out) == 0);  // not in an attribute
  CHECK(decode_char_ref("&amp=", 0, true, out) == 0);
  CHECK(decode_char_ref("&amp ", 0, true, out) == 4);
  CHECK(decode_char_ref("&zzz;", 0, false, out) == 0);
  CHECK(decode_char_ref("&", 0, false, out) == 0);
  CHECK(decode_char_ref("x", 0, false, out) == 0);
  CHECK(decode_char_ref("&", 5, false, out) == 0);
}

TEST_CASE("entities: decode_entities") {
  CHECK(decode_entities("a &lt;b&gt; &#x263A; &#9731;") == "a <b> \xE2\x98\xBA \xE2\x98\x83");
  CHECK(decode_entities("&#xDFFF;&#0;&#x7F;&#x9;") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\t");
  CHECK(decode_entities("&&&;&#;&#x;") == "&&&;&#;&#x;");
  CHECK(decode_entities(std::string(100, '&') + "amp") == std::string(100, '&'));
  std::string out;
  append_utf8(out, 0x10FFFF);
  CHECK(decode_entities("&#x10FFFF;") == out);
}

}  // namespace
}  // namespace lava_mcp::docs
