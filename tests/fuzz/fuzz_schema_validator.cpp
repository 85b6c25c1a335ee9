// fuzz_schema_validator: tool-argument validation (src/tools/schema_validator.h).
// The input is used three ways:
//  1. as the arguments of every real tool (the embedded schemas/<tool>.input.json): the whole
//     input as JSON, or, when it is not JSON, as one raw string (any bytes, so the `pattern`
//     check sees invalid UTF-8 too);
//  2. as a schema followed by an instance: the first JSON value of the input is the schema and
//     the next one (if any) the instance; otherwise the schema validates itself and a few scalars;
//  3. literally halved: first half the schema, second half the instance, when both parse.
// Invariants: validate_against_schema never throws and is deterministic; a violation has a path,
// a known rule and a message "<path>: ..." of valid UTF-8; true/{} accept everything, false
// rejects everything; wrapping a schema in anyOf/oneOf of one keeps the verdict, oneOf of the
// same schema twice always fails.
//
// Fuzzed schemas with back-references or {n,m} quantifiers in `pattern` are skipped: they fall
// to libstdc++'s backtracking matcher / blow up its NFA, which only produces timeouts in the
// standard library, and the server validates against its own trusted schemas only.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace {

using lava_fuzz::is_valid_utf8;
using lava_fuzz::Json;
using lava_fuzz::show;
using lava_mcp::tools::SchemaViolation;

// The rules a violation may name (schema_validator.h); "error" (out of memory) is not expected.
// clang-format off
constexpr std::array<std::string_view, 17> kRules = {
    "type", "enum", "const", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
    "minLength", "maxLength", "pattern", "minItems", "maxItems", "additionalProperties",
    "required", "anyOf", "oneOf", "false"};
// clang-format on

std::string describe(const std::optional<SchemaViolation>& v) {
  return v ? "{" + show(v->path) + ", " + show(v->rule) + ", " + show(v->message) + "}" : "valid";
}

bool same(const std::optional<SchemaViolation>& a, const std::optional<SchemaViolation>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->path == b->path && a->rule == b->rule && a->message == b->message);
}

std::optional<SchemaViolation> validate(const Json& schema, const Json& instance) {
  return lava_fuzz::no_throw("validate_against_schema", [&] {
    return lava_mcp::tools::validate_against_schema(schema, instance);
  });
}

std::optional<SchemaViolation> check(const Json& schema, const Json& instance,
                                     bool derived = true) {
  const auto first = validate(schema, instance);
  const auto again = validate(schema, instance);
  FUZZ_CHECK(same(first, again),
             "not deterministic: " + describe(first) + " vs " + describe(again));
  if (first) {
    FUZZ_CHECK(!first->path.empty(), "violation without a path");
    FUZZ_CHECK(std::find(kRules.begin(), kRules.end(), first->rule) != kRules.end(),
               "unknown rule " + describe(first));
    FUZZ_CHECK(first->message.rfind(first->path + ": ", 0) == 0,
               "message does not start with the path: " + describe(first));
    FUZZ_CHECK(is_valid_utf8(first->message) && is_valid_utf8(first->path),
               "violation is not valid UTF-8: " + describe(first));
  }
  if (derived) {
    const auto any_of = check(Json{{"anyOf", Json::array({schema})}}, instance, false);
    FUZZ_CHECK(any_of.has_value() == first.has_value(),
               "anyOf[S] disagrees with S: " + describe(first) + " vs " + describe(any_of));
    const auto one_of = check(Json{{"oneOf", Json::array({schema})}}, instance, false);
    FUZZ_CHECK(one_of.has_value() == first.has_value(),
               "oneOf[S] disagrees with S: " + describe(first) + " vs " + describe(one_of));
    const auto any_false = check(Json{{"anyOf", Json::array({false, schema})}}, instance, false);
    FUZZ_CHECK(
        any_false.has_value() == first.has_value(),
        "anyOf[false, S] disagrees with S: " + describe(first) + " vs " + describe(any_false));
    const auto twice = check(Json{{"oneOf", Json::array({schema, schema})}}, instance, false);
    FUZZ_CHECK(twice.has_value(), "oneOf[S, S] accepted " + lava_fuzz::dump_replace(instance));
  }
  return first;
}

void check_trivial_schemas(const Json& instance) {
  FUZZ_CHECK(!check(Json(true), instance, false), "true schema rejected an instance");
  FUZZ_CHECK(!check(Json::object(), instance, false), "{} schema rejected an instance");
  const auto rejected = check(Json(false), instance, false);
  FUZZ_CHECK(rejected && rejected->rule == "false" && rejected->path == "(root)",
             "false schema: " + describe(rejected));
}

bool unsafe_pattern(std::string_view pattern) {
  if (pattern.find('{') != std::string_view::npos) return true;
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      const char next = pattern[i + 1];
      if ((next >= '1' && next <= '9') || next == 'k') return true;
      ++i;  // skip the escaped character
    }
  }
  return false;
}

// Whether any "pattern" member anywhere in `schema` is unsafe (iterative walk).
bool has_unsafe_pattern(const Json& schema) {
  std::vector<const Json*> stack{&schema};
  while (!stack.empty()) {
    const Json* node = stack.back();
    stack.pop_back();
    if (node->is_object()) {
      for (auto it = node->begin(); it != node->end(); ++it) {
        if (it.key() == "pattern" && it->is_string() &&
            unsafe_pattern(it->get_ref<const std::string&>())) {
          return true;
        }
        stack.push_back(&*it);
      }
    } else if (node->is_array()) {
      for (const Json& child : *node) stack.push_back(&child);
    }
  }
  return false;
}

void check_fuzzed_schema(const Json& schema, const std::vector<Json>& instances) {
  if (has_unsafe_pattern(schema)) return;
  for (const Json& instance : instances) check(schema, instance);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  // 1. Real tool schemas.
  Json arguments = Json::parse(input, nullptr, false);
  if (arguments.is_discarded()) arguments = Json(input);  // a raw, maybe invalid UTF-8, string
  for (const char* tool : {"call", "get_provider_docs", "login", "prompt", "search"}) {
    check(lava_mcp::tools::schema(std::string(tool) + ".input.json"), arguments);
  }
  check_trivial_schemas(arguments);

  // 2. The first JSON value is a schema, the next one an instance.
  {
    std::istringstream stream(input);
    Json schema;
    Json instance;
    bool have_schema = false;
    bool have_instance = false;
    try {
      stream >> schema;
      have_schema = true;
      stream >> instance;
      have_instance = true;
    } catch (const Json::exception&) {
    }
    if (have_schema) {
      std::vector<Json> instances = {nullptr,        0,     -1.5, "", "x", Json::array(),
                                     Json::object(), schema};
      if (have_instance) instances.push_back(instance);
      check_fuzzed_schema(schema, instances);
    }
  }

  // 3. Literal halves.
  const Json first = Json::parse(input.substr(0, size / 2), nullptr, false);
  if (!first.is_discarded()) {
    const Json second = Json::parse(input.substr(size / 2), nullptr, false);
    if (!second.is_discarded()) check_fuzzed_schema(first, {second});
  }
  return 0;
}
