#include "tools/schema_validator.h"

#include <doctest/doctest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace lava_mcp::tools {
namespace {

Json parse(const char* text) { return Json::parse(text); }

bool valid(const Json& schema, const Json& instance) {
  return !validate_against_schema(schema, instance).has_value();
}

// For instances that must fail; the test stops when one passes.
SchemaViolation violation(const Json& schema, const Json& instance) {
  const auto v = validate_against_schema(schema, instance);
  REQUIRE(v.has_value());
  return *v;
}

Json deeply_nested(bool objects, int depth) {
  Json value = objects ? Json::object() : Json::array();
  for (int i = 0; i < depth; ++i) {
    Json outer = objects ? Json::object() : Json::array();
    if (objects) {
      outer["a"] = std::move(value);
    } else {
      outer.push_back(std::move(value));
    }
    value = std::move(outer);
  }
  return value;
}

TEST_CASE("empty and boolean schemas") {
  CHECK(valid(parse("{}"), parse(R"({"anything": [1, "x", null]})")));
  CHECK(valid(true, 42));
  CHECK(valid(parse(R"({"title": "t", "description": "d", "default": 1, "x-unknown": 5})"), "s"));
  const auto v = violation(false, 42);
  CHECK(v.path == "(root)");
  CHECK(v.rule == "false");
  CHECK(v.message == "(root): no value is allowed here");

  const Json schema = parse(R"({"properties": {"gone": false}})");
  CHECK(valid(schema, parse(R"({"other": 1})")));
  CHECK(violation(schema, parse(R"({"gone": 1})")).path == "gone");
}

TEST_CASE("type: single names") {
  CHECK(valid(parse(R"({"type": "string"})"), "x"));
  CHECK(valid(parse(R"({"type": "null"})"), nullptr));
  CHECK(valid(parse(R"({"type": "boolean"})"), false));
  CHECK(valid(parse(R"({"type": "object"})"), Json::object()));
  CHECK(valid(parse(R"({"type": "array"})"), Json::array()));

  const Json schema = parse(R"({"properties": {"query": {"type": "string"}}})");
  const auto v = violation(schema, parse(R"({"query": 5})"));
  CHECK(v.path == "query");
  CHECK(v.rule == "type");
  CHECK(v.message == "query: must be a string (got integer)");
  CHECK(violation(parse(R"({"type": "object"})"), Json::array()).message ==
        "(root): must be an object (got array)");
  CHECK(violation(parse(R"({"type": "boolean"})"), "true").message ==
        "(root): must be a boolean (got string)");
  CHECK(violation(parse(R"({"type": "null"})"), 0).message == "(root): must be null (got integer)");
}

TEST_CASE("type: integer versus number") {
  const Json integer = parse(R"({"type": "integer"})");
  CHECK(valid(integer, 3));
  CHECK(valid(integer, -3));
  CHECK(valid(integer, 3.0));
  CHECK(valid(integer, 18446744073709551615u));
  CHECK(violation(integer, 3.5).message == "(root): must be an integer (got number)");
  CHECK(violation(integer, "3").message == "(root): must be an integer (got string)");
  CHECK_FALSE(valid(integer, true));

  const Json number = parse(R"({"type": "number"})");
  CHECK(valid(number, 3));
  CHECK(valid(number, 3.5));
  CHECK(violation(number, nullptr).message == "(root): must be a number (got null)");
}

TEST_CASE("type: arrays of names") {
  const Json schema = parse(R"({"type": ["string", "array", "null"]})");
  CHECK(valid(schema, "x"));
  CHECK(valid(schema, Json::array()));
  CHECK(valid(schema, nullptr));
  const auto v = violation(schema, 7);
  CHECK(v.rule == "type");
  CHECK(v.message == "(root): must be a string, an array or null (got integer)");
  CHECK(valid(parse(R"({"type": ["integer", "boolean"]})"), 2.0));
}

TEST_CASE("enum and const") {
  const Json method = parse(R"({"properties": {"method": {"enum": ["GET", "POST"]}}})");
  CHECK(valid(method, parse(R"({"method": "POST"})")));
  const auto v = violation(method, parse(R"({"method": "PUT"})"));
  CHECK(v.path == "method");
  CHECK(v.rule == "enum");
  CHECK(v.message == R"(method: must be one of "GET", "POST" (got "PUT"))");
  CHECK(valid(parse(R"({"enum": [1, null, {"a": [1]}]})"), parse(R"({"a": [1.0]})")));
  CHECK(violation(parse(R"({"enum": ["only"]})"), 1).message ==
        R"((root): must be "only" (got 1))");

  const Json c = parse(R"({"const": "chat.completion"})");
  CHECK(valid(c, "chat.completion"));
  const auto cv = violation(c, "chat");
  CHECK(cv.rule == "const");
  CHECK(cv.message == R"((root): must be "chat.completion" (got "chat"))");
  CHECK(valid(parse(R"({"const": null})"), nullptr));
  CHECK_FALSE(valid(parse(R"({"const": null})"), 0));
  CHECK(valid(parse(R"({"const": 2})"), 2.0));
}

TEST_CASE("numeric bounds") {
  const Json limit = parse(R"({"properties": {"limit": {"minimum": 1, "maximum": 20}}})");
  CHECK(valid(limit, parse(R"({"limit": 1})")));
  CHECK(valid(limit, parse(R"({"limit": 20})")));
  CHECK(valid(limit, parse(R"({"limit": "not a number, so bounds do not apply"})")));
  auto v = violation(limit, parse(R"({"limit": 50})"));
  CHECK(v.rule == "maximum");
  CHECK(v.message == "limit: must be <= 20 (got 50)");
  v = violation(limit, parse(R"({"limit": 0.5})"));
  CHECK(v.rule == "minimum");
  CHECK(v.message == "limit: must be >= 1 (got 0.5)");

  const Json exclusive = parse(R"({"exclusiveMinimum": 0, "exclusiveMaximum": 1.5})");
  CHECK(valid(exclusive, 1));
  CHECK(valid(exclusive, 0.001));
  v = violation(exclusive, 0);
  CHECK(v.rule == "exclusiveMinimum");
  CHECK(v.message == "(root): must be > 0 (got 0)");
  v = violation(exclusive, 1.5);
  CHECK(v.rule == "exclusiveMaximum");
  CHECK(v.message == "(root): must be < 1.5 (got 1.5)");

  // Large integers compare exactly, not through double.
  const Json big = parse(R"({"maximum": 9007199254740992})");
  CHECK(valid(big, 9007199254740992));
  CHECK_FALSE(valid(big, 9007199254740993));
  CHECK_FALSE(valid(parse(R"({"minimum": 0})"), -1));
  CHECK(valid(parse(R"({"minimum": -5})"), 18446744073709551615u));
}

TEST_CASE("string length counts code points") {
  const Json schema = parse(R"({"minLength": 2, "maxLength": 3})");
  CHECK(valid(schema, "ab"));
  CHECK(valid(schema, "日本語"));                            // 9 bytes, 3 code points
  CHECK(valid(schema, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80"));  // two emoji, 8 bytes
  auto v = violation(schema, "é");                           // 2 bytes, 1 code point
  CHECK(v.rule == "minLength");
  CHECK(v.message == "(root): must be at least 2 characters long (got 1)");
  v = violation(schema, "héllo");
  CHECK(v.rule == "maxLength");
  CHECK(v.message == "(root): must be at most 3 characters long (got 5)");
  CHECK(violation(parse(R"({"minLength": 1})"), "").message ==
        "(root): must be at least 1 character long (got 0)");
  CHECK(valid(parse(R"({"maxLength": 1})"), 12345));  // not a string
}

TEST_CASE("pattern") {
  const Json url = parse(R"({"properties": {"url": {"pattern": "^https://[^\\s/?#]"}}})");
  CHECK(valid(url, parse(R"({"url": "https://google.serper.dev/search"})")));
  const auto v = violation(url, parse(R"({"url": "http://example.com"})"));
  CHECK(v.path == "url");
  CHECK(v.rule == "pattern");
  CHECK(v.message ==
        R"(url: must match the pattern "^https://[^\s/?#]" (got "http://example.com"))");
  // regex_search semantics: unanchored patterns match anywhere.
  CHECK(valid(parse(R"({"pattern": "b+"})"), "aaabbbccc"));
  CHECK(valid(parse(R"({"pattern": "^\\d{3}$"})"), "123"));
  CHECK_FALSE(valid(parse(R"({"pattern": "^\\d{3}$"})"), "1234"));
  CHECK(valid(parse(R"({"pattern": "^x"})"), 5));  // not a string
}

TEST_CASE("pattern: an invalid regex is a violation, not a crash") {
  const Json schema = parse(R"({"type": "string", "pattern": "(["})");
  for (int i = 0; i < 2; ++i) {  // the second call hits the cached failure
    const auto v = violation(schema, "anything");
    CHECK(v.rule == "pattern");
    CHECK(v.message == R"((root): cannot be checked: the schema pattern "([" is invalid)");
  }
  CHECK(valid(parse(R"({"type": "string", "pattern": "(a)\\1"})"), "xaa"));  // back-reference
}

TEST_CASE("pattern: huge strings never reach std::regex") {
  const std::string huge(2 << 20, 'a');
  const auto v = violation(parse(R"({"pattern": "^a+$"})"), huge);
  CHECK(v.rule == "pattern");
  CHECK(v.message.find("too long") != std::string::npos);
  CHECK(v.message.size() < 200);

  const auto capped = violation(parse(R"({"maxLength": 10, "pattern": "^a+$"})"), huge);
  CHECK(capped.rule == "maxLength");
  CHECK(capped.message == "(root): must be at most 10 characters long (got 2097152)");
}

#ifdef __GLIBCXX__
TEST_CASE("pattern: long strings under the limit do not overflow the stack") {
  // libstdc++'s default matcher needs one stack frame per character here.
  CHECK(valid(parse(R"({"pattern": "^(a|b)+$"})"), std::string(100000, 'a')));
  CHECK_FALSE(valid(parse(R"({"pattern": "^(a|b)+$"})"), std::string(100000, 'a') + "c"));
}
#endif

TEST_CASE("pattern: cache is safe across threads") {
  const Json schema = parse(R"({
    "type": "object",
    "properties": {
      "id": {"type": "string", "pattern": "^[a-z]+-[0-9]+$"},
      "tag": {"type": "string", "pattern": "^#\\w+$"},
      "bad": {"type": "string", "pattern": "(unclosed"}
    }
  })");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&schema, &wrong, t] {
      for (int i = 0; i < 200; ++i) {
        const Json good = {{"id", "item-" + std::to_string(i)}, {"tag", "#t" + std::to_string(t)}};
        const Json bad_id = {{"id", "ITEM-" + std::to_string(i)}};
        const Json bad_regex = {{"bad", "x"}};
        if (!valid(schema, good)) ++wrong;
        const auto v = validate_against_schema(schema, bad_id);
        if (!v || v->rule != "pattern" || v->path != "id") ++wrong;
        const auto b = validate_against_schema(schema, bad_regex);
        if (!b || b->rule != "pattern" || b->path != "bad") ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong.load() == 0);
}

TEST_CASE("array keywords") {
  const Json schema = parse(R"({"minItems": 1, "maxItems": 2, "items": {"type": "string"}})");
  CHECK(valid(schema, parse(R"(["a"])")));
  CHECK(valid(schema, parse(R"(["a", "b"])")));
  auto v = violation(parse(R"({"properties": {"messages": {"minItems": 1}}})"),
                     parse(R"({"messages": []})"));
  CHECK(v.rule == "minItems");
  CHECK(v.message == "messages: must have at least 1 item (got 0)");
  v = violation(schema, parse(R"(["a", "b", "c"])"));
  CHECK(v.rule == "maxItems");
  CHECK(v.message == "(root): must have at most 2 items (got 3)");
  v = violation(schema, parse(R"(["a", 2])"));
  CHECK(v.path == "[1]");
  CHECK(v.message == "[1]: must be a string (got integer)");
  CHECK(valid(schema, "not an array"));

  const Json fallbacks = parse(R"({"properties": {"fallbacks": {"items": {"minLength": 1}}}})");
  CHECK(violation(fallbacks, parse(R"({"fallbacks": [""]})")).path == "fallbacks[0]");
}

TEST_CASE("object keywords") {
  const Json schema = parse(R"({
    "type": "object",
    "properties": {"query": {"type": "string"}, "category": {}, "limit": {"type": "integer"}},
    "required": ["query"],
    "additionalProperties": false
  })");
  CHECK(valid(schema, parse(R"({"query": "x", "limit": 3})")));
  auto v = violation(schema, parse(R"({"limit": 3})"));
  CHECK(v.path == "query");
  CHECK(v.rule == "required");
  CHECK(v.message == "query: required property is missing");
  v = violation(schema, parse(R"({"query": "x", "foo": 1})"));
  CHECK(v.path == "(root)");
  CHECK(v.rule == "additionalProperties");
  // nlohmann::json keeps object keys sorted, so that is the schema's key order here.
  CHECK(v.message == R"((root): unexpected property "foo"; allowed: "category", "limit", "query")");
  CHECK(violation(parse(R"({"additionalProperties": false})"), parse(R"({"a": 1})")).message ==
        R"((root): unexpected property "a"; no properties are allowed)");
  // Properties are checked in key order: "limit" before "query".
  CHECK(violation(schema, parse(R"({"query": 1, "limit": "x"})")).path == "limit");
  CHECK(violation(schema, "text").rule == "type");
  CHECK(valid(parse(R"({"required": ["x"]})"), "not an object"));
}

TEST_CASE("additionalProperties as a schema") {
  const Json schema = parse(R"({
    "properties": {"headers": {"type": "object", "additionalProperties": {"type": "string"}}}
  })");
  CHECK(valid(schema, parse(R"({"headers": {"Accept": "text/html", "X-Y": "1"}})")));
  const auto v = violation(schema, parse(R"({"headers": {"Accept": 5}})"));
  CHECK(v.path == "headers.Accept");
  CHECK(v.rule == "type");
  CHECK(v.message == "headers.Accept: must be a string (got integer)");
  // Declared properties are not "additional".
  const Json mixed = parse(R"({"properties": {"n": {"type": "integer"}},
                               "additionalProperties": {"type": "string"}})");
  CHECK(valid(mixed, parse(R"({"n": 1, "s": "x"})")));
  CHECK(violation(mixed, parse(R"({"n": 1, "s": 2})")).path == "s");
}

TEST_CASE("paths through objects inside arrays") {
  const Json schema = parse(R"({
    "properties": {
      "messages": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {"role": {"enum": ["system", "user"]}, "meta": {"properties": {
            "tags": {"items": {"type": "string"}}}}},
          "required": ["role"]
        }
      }
    }
  })");
  auto v = violation(schema, parse(R"({"messages": [{"role": "user"}, {"role": "system"},
                                                    {"role": "bot"}]})"));
  CHECK(v.path == "messages[2].role");
  CHECK(v.message == R"(messages[2].role: must be one of "system", "user" (got "bot"))");
  v = violation(schema, parse(R"({"messages": [{"content": "hi"}]})"));
  CHECK(v.path == "messages[0].role");
  CHECK(v.rule == "required");
  v = violation(schema, parse(R"({"messages": [{"role": "user", "meta": {"tags": ["a", 1]}}]})"));
  CHECK(v.path == "messages[0].meta.tags[1]");
}

TEST_CASE("keys a dotted path cannot show are quoted in brackets") {
  const Json schema = parse(R"({"additionalProperties": {"type": "string"},
                                "properties": {"h": {"additionalProperties": {"type": "string"}}}})");
  auto v = violation(schema, parse(R"({"": 1})"));
  CHECK(v.path == R"([""])");
  CHECK(v.message == R"([""]: must be a string (got integer))");
  CHECK(violation(schema, parse(R"({"a.b": 1})")).path == R"(["a.b"])");
  CHECK(violation(schema, parse(R"({"h": {"x[0]": 1}})")).path == R"(h["x[0]"])");
  CHECK(violation(schema, parse(R"({"h": {"say \"hi\"\n": 1}})")).path == R"(h["say \"hi\"\n"])");
  CHECK(violation(schema, parse(R"({"h": {"X-Y": 1}})")).path == "h.X-Y");
  const Json required = parse(R"({"required": [""]})");
  CHECK(violation(required, parse("{}")).path == R"([""])");
}

TEST_CASE("oneOf and anyOf") {
  const Json one =
      parse(R"({"oneOf": [{"type": "integer"}, {"type": "number"}, {"type": "string"}]})");
  CHECK(valid(one, "x"));
  auto v = violation(one, 2);  // integer and number both match
  CHECK(v.rule == "oneOf");
  CHECK(v.message ==
        "(root): must match exactly one of 3 schemas but matched more than one "
        "(#1 and #2)");
  CHECK(valid(one, 2.5));  // only "number"
  v = violation(one, true);
  CHECK(v.rule == "oneOf");
  CHECK(v.message.find("matched none") != std::string::npos);
  CHECK(v.message.find("#3: (root): must be a string (got boolean)") != std::string::npos);

  const Json any = parse(
      R"({"anyOf": [{"type": "string", "maxLength": 2}, {"type": "number", "minimum": 10}]})");
  CHECK(valid(any, "ab"));
  CHECK(valid(any, 10));
  v = violation(any, "abc");
  CHECK(v.rule == "anyOf");
  CHECK(v.message ==
        "(root): must match at least one of 2 schemas but matched none (#1: (root): must be at "
        "most 2 characters long (got 3); #2: (root): must be a number (got string))");
  CHECK(violation(any, 9).message.find("#2: (root): must be >= 10 (got 9)") != std::string::npos);
  v = violation(
      parse(R"({"properties": {"x": {"anyOf": [{"type": "string"}, {"type": "null"}]}}})"),
      parse(R"({"x": 1})"));
  CHECK(v.path == "x");
  CHECK(v.message ==
        "x: must match at least one of 2 schemas but matched none (#1: x: must be a "
        "string (got integer); #2: x: must be null (got integer))");
}

TEST_CASE("deeply nested instances do not recurse") {
  for (const bool objects : {false, true}) {
    const Json deep = deeply_nested(objects, 10000);
    CHECK(valid(parse("{}"), deep));
    CHECK(valid(true, deep));
    CHECK(valid(parse(R"({"type": ["object", "array"]})"), deep));
    CHECK(valid(parse(R"({"items": {}, "additionalProperties": {}})"), deep));
    const auto v = violation(parse(R"({"type": "string"})"), deep);
    CHECK(v.rule == "type");
    // Echoing the value stays short however deep it is.
    const auto e = violation(parse(R"({"enum": [1, 2]})"), deep);
    CHECK(e.rule == "enum");
    CHECK(e.message.size() < 300);
  }
  CHECK(valid(parse(R"({"type": "object"})"), deeply_nested(true, 10000)));
}

TEST_CASE("echoed values are capped") {
  const std::string long_value(10000, 'x');
  const auto v = violation(parse(R"({"enum": ["a"]})"), long_value);
  CHECK(v.message.size() < 150);
  CHECK(v.message.find("...") != std::string::npos);

  const Json many = Json(std::vector<int>(5000, 7));
  CHECK(violation(parse(R"({"const": 1})"), many).message.size() < 150);

  const Json extra = {{std::string(5000, 'k'), 1}};
  const auto a = violation(parse(R"({"additionalProperties": false})"), extra);
  CHECK(a.message.size() < 150);
}

}  // namespace
}  // namespace lava_mcp::tools
