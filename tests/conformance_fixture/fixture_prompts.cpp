// The suite's fixture prompts and completion (docs/conformance-fixtures.md sections 4 and 5).
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "fixture.h"

namespace lava_mcp::conformance_fixture {
namespace {

struct PromptArgument {
  const char* name;
  const char* description;
};

// All arguments of the fixture prompts are required strings.
using PromptArguments = std::map<std::string, std::string, std::less<>>;

struct Prompt {
  const char* name;
  const char* title;
  const char* description;
  std::vector<PromptArgument> arguments;
  std::function<Json(const PromptArguments&)> messages;
};

Json user_message(Json content) { return {{"role", "user"}, {"content", std::move(content)}}; }

Json arguments_prompt(const PromptArguments& args) {
  return Json::array({user_message(text_block("Prompt with arguments: arg1='" + args.at("arg1") +
                                              "', arg2='" + args.at("arg2") + "'"))});
}

Json embedded_resource_prompt(const PromptArguments& args) {
  const Json resource = {{"uri", args.at("resourceUri")},
                         {"mimeType", "text/plain"},
                         {"text", "Embedded resource content for testing."}};
  return Json::array({user_message({{"type", "resource"}, {"resource", resource}}),
                      user_message(text_block("Please process the embedded resource above."))});
}

const std::vector<Prompt>& prompts() {
  static const std::vector<Prompt> all = {
      {"test_simple_prompt",
       "Simple Test Prompt",
       "A simple prompt without arguments",
       {},
       [](const PromptArguments&) {
         return Json::array({user_message(text_block("This is a simple prompt for testing."))});
       }},
      {"test_prompt_with_arguments",
       "Prompt With Arguments",
       "A prompt with required arguments",
       {{"arg1", "First test argument"}, {"arg2", "Second test argument"}},
       arguments_prompt},
      {"test_prompt_with_embedded_resource",
       "Prompt With Embedded Resource",
       "A prompt that includes an embedded resource",
       {{"resourceUri", "URI of the resource to embed"}},
       embedded_resource_prompt},
      {"test_prompt_with_image",
       "Prompt With Image",
       "A prompt that includes image content",
       {},
       [](const PromptArguments&) {
         return Json::array({user_message(image_block()),
                             user_message(text_block("Please analyze the image above."))});
       }},
  };
  return all;
}

Json describe(const Prompt& prompt) {
  Json out = {{"name", prompt.name}, {"title", prompt.title}, {"description", prompt.description}};
  if (!prompt.arguments.empty()) {
    Json arguments = Json::array();
    for (const auto& argument : prompt.arguments) {
      arguments.push_back(
          {{"name", argument.name}, {"description", argument.description}, {"required", true}});
    }
    out["arguments"] = std::move(arguments);
  }
  return out;
}

const Prompt* find_prompt(const Json& name) {
  if (!name.is_string()) {
    return nullptr;
  }
  for (const auto& prompt : prompts()) {
    if (name.get_ref<const std::string&>() == prompt.name) {
      return &prompt;
    }
  }
  return nullptr;
}

// The declared arguments of `prompt`, taken from params.arguments; every one is required.
Expected<PromptArguments> prompt_arguments(const Prompt& prompt, const Json& params) {
  const Json given = params.value("arguments", Json::object());
  PromptArguments out;
  for (const auto& argument : prompt.arguments) {
    const auto value = given.find(argument.name);  // end() when `given` is not an object
    if (value == given.end() || !value->is_string()) {
      return fail(error_code::kInvalidParams,
                  "Missing required argument: " + std::string(argument.name));
    }
    out.emplace(argument.name, value->get<std::string>());
  }
  return out;
}

Expected<Json> get_prompt(const Json& params) {
  const Prompt* prompt = find_prompt(params.value("name", Json()));
  if (prompt == nullptr) {
    return fail(error_code::kInvalidParams,
                "Unknown prompt: " + params.value("name", Json()).dump());
  }
  auto arguments = prompt_arguments(*prompt, params);
  if (!arguments) {
    return fail(arguments.error());
  }
  return Json{{"description", prompt->description}, {"messages", prompt->messages(*arguments)}};
}

// The reference fixture offers no suggestions; the suite only checks that values is an array.
Expected<Json> complete(const Json& params) {
  const auto ref = params.find("ref");
  const auto argument = params.find("argument");
  if (ref == params.end() || !ref->is_object() || argument == params.end() ||
      !argument->is_object()) {
    return fail(error_code::kInvalidParams, "completion/complete needs \"ref\" and \"argument\"");
  }
  return Json{{"completion", {{"values", Json::array()}, {"total", 0}, {"hasMore", false}}}};
}

}  // namespace

void add_prompt_methods(Server& server) {
  server.add_capability("prompts", Json::object());
  server.add_capability("completions", Json::object());
  server.add_method("prompts/list", [](const Json&, const SessionView&) -> Expected<Json> {
    Json list = Json::array();
    for (const auto& prompt : prompts()) {
      list.push_back(describe(prompt));
    }
    return Json{{"prompts", std::move(list)}};
  });
  server.add_method("prompts/get",
                    [](const Json& params, const SessionView&) { return get_prompt(params); });
  server.add_method("completion/complete",
                    [](const Json& params, const SessionView&) { return complete(params); });
}

}  // namespace lava_mcp::conformance_fixture
