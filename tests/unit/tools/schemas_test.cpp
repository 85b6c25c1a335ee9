#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "app.h"
#include "gateway/catalog.h"
#include "tools/all_tools.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

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

}  // namespace
}  // namespace lava_mcp::tools
