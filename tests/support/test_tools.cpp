#include "support/test_tools.h"

#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace lava_mcp::testing {
namespace {

using tools::Json;
using tools::RequestContext;
using tools::ToolResult;
using tools::ToolSpec;

ToolResult run_slow(const Json& args, RequestContext& context) {
  ++slow_tool_counts().started;
  const int total_ms = args.value("ms", 200);
  const int steps = std::max(1, args.value("steps", 1));
  std::mutex mutex;
  std::condition_variable_any never;
  for (int step = 1; step <= steps; ++step) {
    std::unique_lock lock(mutex);
    const bool stopped =
        never.wait_for(lock, context.stop_token(), std::chrono::milliseconds(total_ms / steps),
                       [] { return false; });
    if (stopped || context.stop_token().stop_requested()) {
      ++slow_tool_counts().stopped;
      return ToolResult::error("cancelled");
    }
    context.progress(step, steps, "step " + std::to_string(step));
  }
  return ToolResult::success("done", {{"steps", steps}});
}

// MRTR in two rounds: a form elicitation, then a URL one, then the two answers as the result.
ToolResult run_two_questions(const Json&, RequestContext& context) {
  const Json& state = context.resumed_state();
  const Json& answers = context.input_responses();
  if (state.is_null()) {
    return ToolResult::needs_input(
        {{"first",
          {{"method", "elicitation/create"},
           {"params",
            {{"mode", "form"},
             {"message", "Your name?"},
             {"requestedSchema",
              {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}}}}}}}},
        {{"round", 1}});
  }
  if (state.value("round", 0) == 1) {
    return ToolResult::needs_input({{"second",
                                     {{"method", "elicitation/create"},
                                      {"params",
                                       {{"mode", "url"},
                                        {"message", "Open it"},
                                        {"url", "https://example.invalid/x"},
                                        {"elicitationId", "e1"}}}}}},
                                   {{"round", 2}, {"first", answers["first"]}});
  }
  return ToolResult::success("answered",
                             {{"first", state["first"]}, {"second", answers["second"]}});
}

}  // namespace

SlowToolCounts& slow_tool_counts() {
  static SlowToolCounts counts;
  return counts;
}

void register_test_tools(tools::ToolRegistry& registry) {
  const Json open_object = {{"type", "object"}};
  registry.add(
      ToolSpec{.name = "slow",
               .title = "Slow",
               .description = "Waits, reporting progress; for concurrency and cancellation tests.",
               .input_schema = {{"type", "object"},
                                {"properties",
                                 {{"ms", {{"type", "integer"}, {"minimum", 0}}},
                                  {"steps", {{"type", "integer"}, {"minimum", 1}}}}},
                                {"additionalProperties", false}},
               .output_schema = nullptr,
               .annotations = {.read_only = true},
               .run = run_slow});
  registry.add(ToolSpec{.name = "echo",
                        .title = "Echo",
                        .description = "Returns its arguments.",
                        .input_schema = open_object,
                        .output_schema = open_object,
                        .annotations = {.read_only = true},
                        .run = [](const Json& args, RequestContext&) {
                          return ToolResult::success(args.dump(), args);
                        }});
  registry.add(ToolSpec{.name = "throws",
                        .title = "Throws",
                        .description = "Always throws.",
                        .input_schema = open_object,
                        .output_schema = nullptr,
                        .annotations = {},
                        .run = [](const Json&, RequestContext&) -> ToolResult {
                          throw std::runtime_error("boom with secret aks_live_sentinel");
                        }});
  registry.add(ToolSpec{.name = "ask_client",
                        .title = "Ask client",
                        .description = "Sends a request to the client and reports the answer.",
                        .input_schema = open_object,
                        .output_schema = nullptr,
                        .annotations = {},
                        .run = [](const Json& args, RequestContext& context) {
                          auto answer =
                              context.request_client(args.value("method", "elicitation/create"),
                                                     {{"message", "hi"}}, std::chrono::seconds(5));
                          if (!answer) {
                            return ToolResult::error(answer.error().message);
                          }
                          return ToolResult::success(answer->dump(), *answer);
                        }});
  registry.add(ToolSpec{.name = "two_questions",
                        .title = "Two questions",
                        .description = "Asks the client twice through MRTR (modern era only).",
                        .input_schema = open_object,
                        .output_schema = nullptr,
                        .annotations = {},
                        .run = run_two_questions});
}

}  // namespace lava_mcp::testing
