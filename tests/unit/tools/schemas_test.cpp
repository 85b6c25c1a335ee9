#include "tools/schemas.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "gateway/catalog.h"
#include "tools/all_tools.h"
#include "tools/schema_validator.h"
#include "translators/gemini_schema.h"
#include "wiring.h"

namespace lava_mcp::tools {
namespace {

// The five tools of the product contract (spec: tools.md section 3).
const std::set<std::string> kContractTools = {"login", "prompt", "call", "search",
                                              "get_provider_docs"};

TEST_CASE("schemas: every file is embedded, parses, and is an object schema") {
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(LAVA_MCP_SCHEMA_DIR)) {
    on_disk.insert(entry.path().filename().string());
  }
  std::set<std::string> embedded;
  for (const auto& file : schema_files()) {
    embedded.insert(std::string(file.name));
    const Json& parsed = schema(file.name);
    CHECK_MESSAGE(parsed["type"] == "object", file.name);
  }
  CHECK(embedded == on_disk);
}

TEST_CASE("schemas: each contract tool has an input and an output schema, and nothing else does") {
  std::set<std::string> expected;
  for (const auto& tool : kContractTools) {
    expected.insert(tool + ".input.json");
    expected.insert(tool + ".output.json");
  }
  std::set<std::string> embedded;
  for (const auto& file : schema_files()) {
    embedded.insert(std::string(file.name));
  }
  CHECK(embedded == expected);
}

TEST_CASE("schemas: registered tools serve their schema files verbatim") {
  ProductServices services(gateway::ConfigFlags{});
  ToolRegistry registry;
  register_product_tools(registry, services);
  REQUIRE_FALSE(registry.tools().empty());
  for (const auto& spec : registry.tools()) {
    CHECK(kContractTools.count(spec.name) == 1);
    CHECK(spec.input_schema == schema(spec.name + ".input.json"));
    CHECK(spec.output_schema == schema(spec.name + ".output.json"));
    CHECK_FALSE(spec.description.empty());
    CHECK_FALSE(spec.title.empty());
  }
}

TEST_CASE("catalog: every example is a valid input of the tool it names") {
  int checked = 0;
  for (const auto& provider : gateway::Catalog::embedded().providers()) {
    CHECK_MESSAGE(!provider.examples.empty(), provider.id);
    for (const auto& example : provider.examples) {
      REQUIRE_MESSAGE((example.tool == "call" || example.tool == "prompt"), provider.id);
      const auto violation =
          validate_against_schema(schema(example.tool + ".input.json"), example.arguments);
      CHECK_MESSAGE(!violation.has_value(),
                    provider.id << " / " << example.title << ": " << violation->message);
      ++checked;
    }
  }
  CHECK(checked >= 40);
}

// Keywords Gemini's Schema spells as JSON Schema does: the translator must carry them unchanged.
const std::set<std::string> kSameInGemini = {"description", "required",  "minItems", "maxItems",
                                             "minLength",   "maxLength", "pattern",  "minimum",
                                             "maximum",     "format",    "title"};

// Every type a schema allows, through anyOf.
std::vector<std::string> types_of(const Json& node) {
  std::vector<std::string> types;
  if (node.contains("type")) {
    types.push_back(node["type"]);
  }
  for (const auto& option : node.value("anyOf", Json::array())) {
    for (const auto& type : types_of(option)) {
      types.push_back(type);
    }
  }
  return types;
}

// Checks that `converted` (Gemini's subset) still says everything `source` says to a model.
void check_kept(const Json& source, const Json& converted, const std::string& at) {
  INFO(at);
  const bool typed = source.contains("type") || source.contains("anyOf") || source.contains("enum");
  CHECK_MESSAGE(typed, "untyped: the schema says nothing about the value");
  const std::string description = source.value("description", "");
  for (const auto& [key, value] : source.items()) {
    if (key == "type") {
      REQUIRE_MESSAGE(value.is_string(), "a type array: use anyOf");
      CHECK(converted.value(value == "null" ? "nullable" : "type", Json()) ==
            (value == "null" ? Json(true) : value));
    } else if (kSameInGemini.count(key) == 1 || key == "enum") {
      CHECK(converted.value(key, Json()) == value);
    } else if (key == "properties") {
      for (const auto& [name, property] : value.items()) {
        check_kept(property, converted["properties"].value(name, Json::object()), at + "." + name);
      }
    } else if (key == "items") {
      check_kept(value, converted.value("items", Json::object()), at + "[]");
    } else if (key == "anyOf") {
      Json kept = Json::array();
      for (const auto& option : value) {
        if (option == Json{{"type", "null"}}) {
          CHECK(converted.value("nullable", false));
        } else {
          kept.push_back(option);
        }
      }
      const Json& options = kept.size() == 1 ? Json::array({converted}) : converted["anyOf"];
      REQUIRE(options.size() == kept.size());
      for (std::size_t i = 0; i < kept.size(); ++i) {
        check_kept(kept[i], options[i], at + "|" + std::to_string(i));
      }
    } else if (key == "default") {
      // Gemini has no default: the description must say it.
      CHECK_MESSAGE(description.find("efault " + value.dump()) != std::string::npos,
                    "default not described");
    } else if (key == "additionalProperties" && value.is_object()) {
      // Nor maps: the description must name the values' types.
      for (const auto& type : types_of(value)) {
        CHECK_MESSAGE(description.find(type) != std::string::npos, "map value type " << type);
      }
    } else {
      CHECK_MESSAGE((key == "$schema" || key == "additionalProperties"), "lost keyword " << key);
    }
  }
}

TEST_CASE("schemas: every input schema goes through the Gemini translator with nothing lost") {
  for (const auto& tool : kContractTools) {
    const Json& input = schema(tool + ".input.json");
    const auto converted = translators::detail::to_gemini_schema(input);
    REQUIRE_MESSAGE(converted.error.empty(), tool << ": " << converted.error);
    for (const auto& dropped : converted.dropped) {
      CHECK_MESSAGE(
          (dropped == "$schema" || dropped == "additionalProperties" || dropped == "default"),
          tool << " loses " << dropped);
    }
    check_kept(input, converted.schema, tool);
  }
}

TEST_CASE("schemas: call's body and prompt's unions accept what they accepted as type arrays") {
  const Json& call = schema("call.input.json");
  for (const Json& body : {Json{{"q", "x"}}, Json::array({1, "a", nullptr, Json::object()}),
                           Json::array({Json::array({Json::array({1.5, true})})}), Json("raw"),
                           Json(3), Json(false), Json(nullptr)}) {
    const Json args = {{"url", "https://x.example/"}, {"body", body}};
    CHECK_MESSAGE(!validate_against_schema(call, args), body.dump());
  }
  CHECK(validate_against_schema(
      call, {{"url", "https://x.example/"}, {"query", {{"a", Json::array()}}}}));
  const Json& prompt = schema("prompt.input.json");
  const Json message = {{"role", "user"}, {"content", "hi"}};
  for (const Json& extra :
       {Json{{"stop", "x"}}, Json{{"stop", {"a", "b"}}}, Json{{"stop", nullptr}},
        Json{{"tool_choice", "auto"}}, Json{{"tool_choice", {{"type", "function"}}}}}) {
    Json args = {{"model", "m"}, {"messages", {message}}};
    args.update(extra);
    CHECK_MESSAGE(!validate_against_schema(prompt, args), extra.dump());
  }
  Json parts = {
      {"model", "m"},
      {"messages", {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "hi"}}}}}}}};
  CHECK_FALSE(validate_against_schema(prompt, parts));
  parts["messages"][0]["content"] = 5;
  CHECK(validate_against_schema(prompt, parts));
}

}  // namespace
}  // namespace lava_mcp::tools
