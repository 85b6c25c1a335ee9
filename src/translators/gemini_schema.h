// JSON Schema -> Gemini's OpenAPI-subset Schema, for models without parametersJsonSchema /
// responseJsonSchema support (translation.md section 5, "subset conversion").
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace lava_mcp::translators::detail {

struct GeminiSchema {
  nlohmann::json schema;          // the converted schema (valid when `error` is empty)
  std::set<std::string> dropped;  // keywords the subset cannot express, for a log note
  std::string error;              // why the schema cannot be converted (e.g. a recursive $ref)
};

// Inlines $ref/$defs, drops $schema, additionalProperties, examples, default and every other
// keyword outside Gemini's Schema, turns type [T, "null"] into type T + nullable, const into a
// one-value enum, oneOf into anyOf.
GeminiSchema to_gemini_schema(const nlohmann::json& schema);

// A function with no arguments: no schema, or an object schema without properties. Gemini
// rejects an OBJECT with empty properties, so such declarations carry no parameters (trap 9).
bool is_no_argument_schema(const nlohmann::json& schema);

}  // namespace lava_mcp::translators::detail
