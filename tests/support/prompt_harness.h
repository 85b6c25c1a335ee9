// The prompt tool over a fake gateway and its fake providers, each served result checked against
// the tool's output schema: what the prompt unit tests share.
#pragma once

#include <doctest/doctest.h>

#include "support/fake_gateway.h"
#include "support/fake_providers.h"
#include "support/null_context.h"
#include "support/test_services.h"
#include "tools/all_tools.h"
#include "tools/registry.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace lava_mcp::testing {

struct PromptHarness {
  // `env` beside LAVA_API_URL, which names the fake gateway.
  explicit PromptHarness(const Env& env)
      : providers(gateway), services(merged({{"LAVA_API_URL", gateway.origin()}}, env)) {
    tools::register_prompt(registry, services.deps());
  }
  tools::ToolResult run(const Json& args, NullContext& context) {
    tools::ToolResult result = tools::run_tool(*registry.find("prompt"), args, context);
    if (!result.is_error) {
      const auto violation =
          tools::validate_against_schema(tools::schema("prompt.output.json"), result.structured);
      CHECK_MESSAGE(!violation, violation->message);
    }
    return result;
  }
  tools::ToolResult run(const Json& args) {
    NullContext context;
    return run(args, context);
  }

  FakeGateway gateway;  // first: the others are built on its origin
  FakeProviders providers;
  TestServices services;
  tools::ToolRegistry registry;
};

}  // namespace lava_mcp::testing
