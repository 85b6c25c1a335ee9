// Validation of tool arguments against the JSON Schema subset our tool schemas use.
//
// Supported keywords: type, enum, const, minimum, exclusiveMinimum, maximum, exclusiveMaximum,
// minLength, maxLength, pattern, minItems, maxItems, items (one schema), additionalProperties
// (false or a schema), required, properties, anyOf, oneOf. Boolean schemas work; a schema that is
// neither an object nor a boolean, malformed keyword values and all other keywords (annotations
// included) are ignored.
#pragma once

#include <optional>
#include <string>

#include "base/json.h"

namespace lava_mcp::tools {

struct SchemaViolation {
  // Where: "(root)", "messages[2].role", "headers.Accept", "fallbacks[0]"; a key that is empty
  // or holds ".", "[", "]", "\"" or a control character is quoted: headers["a.b"], [""].
  std::string path;
  // The keyword that failed, e.g. "type", "required", "enum"; "false" for a `false` schema.
  std::string rule;
  // One sentence for a model, starting with the path: "limit: must be <= 20 (got 50)".
  std::string message;
};

// Returns the first violation, or nullopt when `instance` is valid.
//
// Deterministic order: per schema, keywords are checked in the order listed above (so maxLength
// is checked before pattern, and unexpected properties are reported before missing ones);
// properties follow the schema's key order. Never throws. Recursion follows the schema only, so
// instance depth alone costs no stack. Thread-safe; compiled patterns are cached process-wide.
std::optional<SchemaViolation> validate_against_schema(const Json& schema, const Json& instance);

}  // namespace lava_mcp::tools
