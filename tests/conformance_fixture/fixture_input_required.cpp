// The suite's 2026-07-28 MRTR fixture tools (test_input_required_result_*, SEP-2322): each asks
// for input with ToolResult::needs_input, the path lava-mcp's own `login` takes, so the server's
// dispatcher seals, checks and consumes the requestState exactly as it does for login. What a
// tool receives on the retry (resumed_state, input_responses) has already passed those checks.
#include <optional>
#include <string>
#include <utility>

#include "fixture.h"

namespace lava_mcp::conformance_fixture {
namespace {

using tools::RequestContext;
using tools::ToolResult;
using tools::ToolSpec;

const Json kNoArguments = {{"type", "object"}, {"additionalProperties", false}};

ToolResult text_result(std::string text) {
  ToolResult result;
  result.content = Json::array({text_block(std::move(text))});
  return result;
}

// An elicitation/create input request (form mode) for one required string field.
Json ask_string(const std::string& message, const std::string& field) {
  return {{"method", "elicitation/create"},
          {"params",
           {{"message", message},
            {"requestedSchema",
             {{"type", "object"},
              {"properties", {{field, {{"type", "string"}}}}},
              {"required", Json::array({field})}}}}}};
}

Json ask_confirmation() {
  return {{"method", "elicitation/create"},
          {"params",
           {{"message", "Please confirm"},
            {"requestedSchema",
             {{"type", "object"},
              {"properties", {{"ok", {{"type", "boolean"}}}}},
              {"required", Json::array({"ok"})}}}}}};
}

Json ask_sampling(const std::string& text, int max_tokens) {
  return {{"method", "sampling/createMessage"},
          {"params",
           {{"messages",
             Json::array({{{"role", "user"}, {"content", {{"type", "text"}, {"text", text}}}}})},
            {"maxTokens", max_tokens}}}};
}

Json ask_roots() { return {{"method", "roots/list"}, {"params", Json::object()}}; }

// The string `field` of an accepted elicitation answer, or `fallback` (declined, cancelled, or
// the field absent: the dispatcher checked the shape, not the form's content).
std::string elicited(const Json& answer, const std::string& field, const std::string& fallback) {
  if (answer.value("action", "") != "accept") {
    return fallback;
  }
  const Json content = answer.value("content", Json::object());
  const auto value = content.find(field);
  return value != content.end() && value->is_string() ? value->get<std::string>() : fallback;
}

std::string sampled_text(const Json& answer) {
  const Json content = answer.value("content", Json::object());
  return content.is_object() ? content.value("text", "") : "";
}

std::string root_uris(const Json& answer) {
  std::string uris;
  for (const Json& root : answer.value("roots", Json::array())) {
    if (root.is_object() && root.contains("uri") && root["uri"].is_string()) {
      uris += (uris.empty() ? "" : ", ") + root["uri"].get<std::string>();
    }
  }
  return uris.empty() ? "(none)" : uris;
}

// Legacy calls cannot carry an input_required result: say so as a tool error.
std::optional<ToolResult> legacy_refusal(RequestContext& context) {
  if (context.features().input_requests) {
    return std::nullopt;
  }
  ToolResult refusal = text_result("This tool needs the 2026-07-28 protocol (MRTR).");
  refusal.is_error = true;
  return refusal;
}

// A tool of one round: asks `requests` on the first call, answers with `finish` on the retry.
template <typename Finish>
tools::ToolHandler one_round(Json requests, Finish finish) {
  return [requests = std::move(requests), finish](const Json&, RequestContext& context) {
    if (auto refusal = legacy_refusal(context)) {
      return *refusal;
    }
    if (context.resumed_state().is_null()) {
      return ToolResult::needs_input(requests, {{"round", 1}});
    }
    return text_result(finish(context.input_responses()));
  };
}

ToolResult run_multi_round(const Json&, RequestContext& context) {
  if (auto refusal = legacy_refusal(context)) {
    return *refusal;
  }
  const Json& state = context.resumed_state();
  if (state.is_null()) {
    return ToolResult::needs_input({{"step1", ask_string("Step 1: What is your name?", "name")}},
                                   {{"round", 1}});
  }
  const Json& answers = context.input_responses();
  if (state.value("round", 0) == 1) {  // the name travels to round 3 in the signed state
    return ToolResult::needs_input(
        {{"step2", ask_string("Step 2: What is your favorite color?", "color")}},
        {{"round", 2}, {"name", elicited(answers["step1"], "name", "stranger")}});
  }
  return text_result(state.value("name", "stranger") + "'s favorite color is " +
                     elicited(answers["step2"], "color", "unknown") + ".");
}

// Asks only what this request's clientCapabilities declare (SEP-2322: never an input request
// the client cannot answer).
ToolResult run_capabilities(const Json&, RequestContext& context) {
  if (auto refusal = legacy_refusal(context)) {
    return *refusal;
  }
  if (!context.resumed_state().is_null()) {
    return text_result("Received " + std::to_string(context.input_responses().size()) +
                       " input response(s).");
  }
  const Json& declared = context.client_capabilities();
  Json requests = Json::object();
  if (declared.contains("elicitation")) {
    requests["user_name"] = ask_string("What is your name?", "name");
  }
  if (declared.contains("sampling")) {
    requests["greeting"] = ask_sampling("Generate a greeting", 50);
  }
  if (declared.contains("roots")) {
    requests["client_roots"] = ask_roots();
  }
  if (requests.empty()) {
    return text_result("The client declared no capability to ask it anything with.");
  }
  return ToolResult::needs_input(std::move(requests), {{"round", 1}});
}

ToolSpec fixture_tool(std::string name, std::string description, tools::ToolHandler run) {
  ToolSpec spec;
  spec.name = std::move(name);
  spec.description = std::move(description);
  spec.input_schema = kNoArguments;
  spec.annotations = {
      .read_only = true, .destructive = false, .idempotent = true, .open_world = false};
  spec.run = std::move(run);
  return spec;
}

}  // namespace

void register_input_required_tools(tools::ToolRegistry& registry) {
  registry.add(fixture_tool(
      "test_input_required_result_elicitation", "Asks for a name via MRTR elicitation",
      one_round({{"user_name", ask_string("What is your name?", "name")}}, [](const Json& answers) {
        return "Hello, " + elicited(answers["user_name"], "name", "stranger") + "!";
      })));
  registry.add(fixture_tool(
      "test_input_required_result_sampling", "Asks the client's model a question via MRTR sampling",
      one_round({{"capital_question", ask_sampling("What is the capital of France?", 100)}},
                [](const Json& answers) {
                  return "Sampled: " + sampled_text(answers["capital_question"]);
                })));
  registry.add(fixture_tool("test_input_required_result_list_roots",
                            "Asks for the client's roots via MRTR",
                            one_round({{"client_roots", ask_roots()}}, [](const Json& answers) {
                              return "Client roots: " + root_uris(answers["client_roots"]);
                            })));
  // The dispatcher refuses a state it did not sign for this call, so reaching the retry at all
  // is the validation the scenario asks the text to confirm.
  registry.add(fixture_tool("test_input_required_result_request_state",
                            "Round-trips a signed requestState",
                            one_round({{"confirm", ask_confirmation()}}, [](const Json&) {
                              return std::string("state-ok: the requestState was verified");
                            })));
  registry.add(fixture_tool("test_input_required_result_tampered_state",
                            "Issues a signed requestState; an altered one is refused",
                            one_round({{"confirm", ask_confirmation()}}, [](const Json&) {
                              return std::string("state-ok: the requestState was verified");
                            })));
  registry.add(fixture_tool("test_input_required_result_multiple_inputs",
                            "Asks for an elicitation, a sampling and the roots in one round",
                            one_round({{"user_name", ask_string("What is your name?", "name")},
                                       {"greeting", ask_sampling("Generate a greeting", 50)},
                                       {"client_roots", ask_roots()}},
                                      [](const Json& answers) {
                                        return sampled_text(answers["greeting"]) + " " +
                                               elicited(answers["user_name"], "name", "stranger") +
                                               " (roots: " + root_uris(answers["client_roots"]) +
                                               ")";
                                      })));
  registry.add(fixture_tool("test_input_required_result_multi_round",
                            "Asks two questions in two rounds, the state evolving between them",
                            run_multi_round));
  registry.add(fixture_tool("test_input_required_result_capabilities",
                            "Asks only what the request's clientCapabilities declare",
                            run_capabilities));
}

}  // namespace lava_mcp::conformance_fixture
