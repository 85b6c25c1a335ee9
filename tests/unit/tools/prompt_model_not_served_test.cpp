// A retired or unknown model moves the chain on (tools.md 3.2, translation.md 9.1): fakes that
// answer as OpenAI, Anthropic, Gemini and Groq do for a model they no longer serve.
#include <doctest/doctest.h>

#include "support/prompt_harness.h"

namespace lava_mcp::tools {
namespace {

using testing::Provider;

struct Fixture : testing::PromptHarness {
  Fixture() : PromptHarness(testing::Env{{"LAVA_SECRET_KEY", "aks_live_NOTSERVEDTEST01"}}) {}
};

Json hello(const std::string& model, const std::string& url) {
  return {
      {"model", model}, {"url", url}, {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}};
}

struct RetiredCase {
  const char* name;
  Provider provider;
  Json args;  // primary: the retired model; one fallback on another provider
  int status;
  const char* body;  // the provider's real answer for a model it does not serve
};

std::vector<RetiredCase> retired_cases() {
  Json openai = hello("o4-mini", "api.openai.com/v1/chat/completions");
  openai["fallbacks"] = {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-5-5"}}};
  Json anthropic = hello("claude-3-haiku-20240307", "api.anthropic.com/v1/messages");
  anthropic["fallbacks"] = {
      {{"url", "api.openai.com/v1/chat/completions"}, {"model", "gpt-6-luna"}}};
  Json gemini = hello("gemini-2.0-flash", "generativelanguage.googleapis.com/v1beta");
  gemini["fallbacks"] = {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-5-5"}}};
  Json groq = hello("llama-3.1-8b-instant", "api.groq.com/openai/v1/chat/completions");
  groq["fallbacks"] = {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-5-5"}}};
  return {
      {"openai", Provider::kOpenAI, openai, 404,
       R"({"error":{"message":"The model `o4-mini` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}})"},
      {"anthropic", Provider::kAnthropic, anthropic, 404,
       R"({"type":"error","error":{"type":"not_found_error","message":"model: claude-3-haiku-20240307"},"request_id":"req_011Ca91w52tzWPP7RWAd8yCY"})"},
      {"gemini", Provider::kGemini, gemini, 404,
       R"({"error":{"code":404,"message":"models/gemini-2.0-flash is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}})"},
      {"groq", Provider::kOpenAI, groq, 400,
       R"({"error":{"message":"The model `llama-3.1-8b-instant` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.","type":"invalid_request_error","code":"model_decommissioned"}})"},
  };
}

TEST_CASE("prompt: a retired model is 'model not served' and the fallback answers") {
  for (const RetiredCase& retired : retired_cases()) {
    CAPTURE(retired.name);
    Fixture f;
    f.providers.push(retired.provider, testing::status_script(retired.status, retired.body));
    const ToolResult result = f.run(retired.args);
    REQUIRE_MESSAGE(!result.is_error, result.content.at(0)["text"]);
    const Json& routing = result.structured["routing"];
    CHECK(routing["served_by"]["attempt"] == 2);
    REQUIRE(routing["attempts"].size() == 2);
    CHECK(routing["attempts"][0]["status"] == retired.status);
    CHECK(routing["attempts"][0]["reason"] == "model not served");
    CHECK(routing["attempts"][1].contains("reason") == false);
    CHECK(result.content.at(1)["text"].get<std::string>().find("model not served") !=
          std::string::npos);
  }
}

TEST_CASE("prompt: a 400 that is not about the model still stops the chain") {
  Fixture f;
  f.providers.push(
      Provider::kOpenAI,
      testing::status_script(
          400,
          R"({"error":{"message":"max_tokens is too large: this model supports at most 8192","type":"invalid_request_error","param":"max_tokens","code":null}})"));
  Json args = hello("llama-3.3-70b-versatile", "api.groq.com/openai/v1/chat/completions");
  args["fallbacks"] = {{{"url", "api.anthropic.com/v1/messages"}, {"model", "claude-haiku-5-5"}}};
  const ToolResult result = f.run(args);
  CHECK(result.is_error);
  CHECK(result.content.at(0)["text"].get<std::string>().find("no fallback was tried") !=
        std::string::npos);
  CHECK(f.providers.count(Provider::kAnthropic) == 0);
}

}  // namespace
}  // namespace lava_mcp::tools
