#include "docs/openapi_summary.h"

#include <doctest/doctest.h>

#include <string>

namespace lava_mcp::docs {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("openapi_summary: errors name the problem") {
  auto yaml = openapi_summary("openapi: 3.0.0\ninfo:\n  title: x\n");
  REQUIRE_FALSE(yaml.has_value());
  CHECK(yaml.error().code == error_code::kInvalidParams);
  CHECK(contains(yaml.error().message, "YAML"));
  CHECK(contains(openapi_summary("# comment\nswagger: '2.0'\n").error().message, "YAML"));

  auto broken = openapi_summary("{\"openapi\": \"3.0.0\",");
  REQUIRE_FALSE(broken.has_value());
  CHECK(contains(broken.error().message, "not valid JSON"));

  CHECK(contains(openapi_summary("[1, 2]").error().message, "expected a JSON object"));
  CHECK(contains(openapi_summary("{\"info\": {}}").error().message, "no \"openapi\""));
  CHECK(contains(openapi_summary("{\"openapi\": \"2.0\"}").error().message, "openapi:"));
  CHECK(contains(openapi_summary("{\"swagger\": \"1.2\"}").error().message, "swagger:"));
  CHECK_FALSE(openapi_summary("").has_value());
  CHECK_FALSE(openapi_summary("\xFF\xFE garbage").has_value());
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_FALSE(openapi_summary(deep).has_value());
  auto bad_utf8 = openapi_summary("{\"openapi\": \"3.0\", \"x\": \"\xC3\x28\"}");
  REQUIRE_FALSE(bad_utf8.has_value());
  CHECK(bad_utf8.error().message.find('\xC3') == std::string::npos);
}

TEST_CASE("openapi_summary: a minimal document") {
  auto summary =
      openapi_summary(R"({"openapi": "3.1.0", "info": {"title": "Tiny", "version": 2}})");
  REQUIRE(summary.has_value());
  CHECK(*summary == "# Tiny\n\nVersion: 2 (OpenAPI 3.1.0)");
  auto untitled = openapi_summary(R"({"openapi": "3.0.0", "paths": {"/x": {"get": {}}}})");
  REQUIRE(untitled.has_value());
  CHECK(*untitled == "# API\n\n(OpenAPI 3.0.0)\n\n## GET /x");
}

TEST_CASE("openapi_summary: Swagger 2.0") {
  const char* document = R"({
    "swagger": "2.0",
    "info": {"title": "Legacy", "version": "0.9", "description": "Old but gold."},
    "host": "legacy.example.com",
    "basePath": "/api",
    "schemes": ["https", "http"],
    "consumes": ["application/json"],
    "securityDefinitions": {
      "key": {"type": "apiKey", "in": "query", "name": "api_key"},
      "basic": {"type": "basic"},
      "oauth": {"type": "oauth2", "flow": "application", "tokenUrl": "https://legacy.example.com/token"}
    },
    "definitions": {
      "Item": {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}}}
    },
    "paths": {
      "/items": {
        "post": {
          "summary": "Add an item",
          "parameters": [
            {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Item"}},
            {"name": "dry_run", "in": "query", "type": "boolean"}
          ],
          "responses": {"200": {"description": "Added"}}
        },
        "get": {
          "parameters": [{"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}}],
          "responses": {"200": {"description": "Items", "schema": {"type": "array", "items": {"$ref": "#/definitions/Item"}}}}
        }
      },
      "/upload": {
        "post": {
          "consumes": ["multipart/form-data"],
          "parameters": [
            {"name": "file", "in": "formData", "type": "file", "required": true},
            {"name": "note", "in": "formData", "type": "string"}
          ],
          "responses": {"201": {"description": "Stored"}}
        }
      }
    }
  })";
  auto summary = openapi_summary(document);
  REQUIRE(summary.has_value());
  CHECK(*summary ==
        "# Legacy\n\n"
        "Version: 0.9 (Swagger 2.0)\n\n"
        "Old but gold.\n\n"
        "## Servers\n\n"
        "- https://legacy.example.com/api\n\n"
        "## Authentication\n\n"
        "- key: apiKey, query api_key\n"
        "- basic: basic\n"
        "- oauth: oauth2, flow application, token URL https://legacy.example.com/token\n\n"
        "## GET /items\n\n"
        "Parameters:\n"
        "- ids (query, optional): array of integer\n\n"
        "Responses:\n"
        "- 200: Items\n\n"
        "## POST /items\n\n"
        "Add an item\n\n"
        "Parameters:\n"
        "- dry_run (query, optional): boolean\n\n"
        "Request body (required): application/json\n"
        "Schema: Item\n"
        "Fields: sku (string, required), qty (integer)\n\n"
        "Responses:\n"
        "- 200: Added\n\n"
        "## POST /upload\n\n"
        "Request body (required): multipart/form-data\n"
        "Fields: file (file, required), note (string)\n\n"
        "Responses:\n"
        "- 201: Stored");
}

TEST_CASE("openapi_summary: hostile references and shapes") {
  const char* document = R"({
    "openapi": "3.0.0",
    "info": "not an object",
    "servers": "nope",
    "components": {"schemas": {
      "Self": {"$ref": "#/components/schemas/Self"},
      "Deep": {"allOf": [{"$ref": "#/components/schemas/Deep"}, {"$ref": "#/components/schemas/Other"}]},
      "Other": {"allOf": [{"$ref": "#/components/schemas/Deep"}], "properties": {"o": {"type": "string"}}},
      "a/b": {"properties": {"slash": {}}}
    }},
    "paths": {
      "/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Self"}}}}, "responses": []}},
      "/b": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deep"}}}}}},
      "/c": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/a~1b"}}}}}},
      "/d": {"get": {"parameters": [{"$ref": "#/nowhere"}, {"$ref": "http://remote/x"}, 7, {"in": "query"}],
                     "responses": {"200": {"$ref": "#/components/schemas/Self"}}}},
      "/e": "not an object",
      "/f": {"get": "not an object", "summary": "path-level summary"}
    }
  })";
  auto summary = openapi_summary(document);
  REQUIRE(summary.has_value());
  CHECK(contains(*summary, "## POST /a\n\nRequest body: application/json\nSchema: Self"));
  CHECK(contains(*summary, "Schema: Deep\nFields: o (string)"));
  CHECK(contains(*summary, "Schema: a/b\nFields: slash"));
  CHECK(contains(*summary, "- (unnamed) (query, optional)"));
  CHECK(contains(*summary, "Responses:\n- 200"));
  CHECK_FALSE(contains(*summary, "/e"));
  CHECK_FALSE(contains(*summary, "/f"));
}

}  // namespace
}  // namespace lava_mcp::docs
