// An OpenAPI 3.x or Swagger 2.0 JSON document summarised as readable markdown-ish text.
#pragma once

#include <string>
#include <string_view>

#include "base/expected.h"

namespace lava_mcp::docs {

// The summary: "# Title", version, a short description, "## Servers" (or the Swagger base
// URL), "## Authentication" (securitySchemes / securityDefinitions: type, header or query name,
// scheme, flows), then one "## METHOD /path" section per operation, sorted by path and then
// method name: summary and description as one paragraph, operation id, parameters (name, in,
// required, type; path-level ones merged), request body (content types and the top-level
// property names of its schema, a local $ref followed one level with cycles cut, allOf merged)
// and responses (status: description).
// Errors (code kInvalidParams): YAML input ("... YAML ... not supported"), invalid JSON, a root
// that is not an object, and documents without an "openapi" 3.x or "swagger" 2.x version.
// Never throws.
Expected<std::string> openapi_summary(std::string_view document);

}  // namespace lava_mcp::docs
