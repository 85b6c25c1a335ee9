// Which refusals mean "this target does not serve the model" (translation.md 9.1), on the real
// error bodies of each provider; every other 4xx is the request's fault and stops the chain.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "translators/translators.h"

namespace lava_mcp::translators {
namespace {

using json = nlohmann::json;

// The recorded real body of one provider (tests/golden/translators/map_error/<name>.input.json).
bool served_verdict_of_golden(const std::string& name) {
  std::ifstream file(std::string(LAVA_MCP_GOLDEN_DIR) + "/translators/map_error/" + name +
                     ".input.json");
  REQUIRE_MESSAGE(file.good(), name);
  std::stringstream text;
  text << file.rdbuf();
  const json input = json::parse(text.str());
  const Format format = input["format"] == "anthropic" ? Format::kAnthropic
                        : input["format"] == "gemini"  ? Format::kGemini
                                                       : Format::kOpenAI;
  const int status = input["status"].get<int>();
  return model_not_served(status, map_error(format, status, input["body"].dump())["error"]);
}

bool verdict(int status, const std::string& body) {
  return model_not_served(status, map_error(Format::kOpenAI, status, body)["error"]);
}

TEST_CASE("model not served: OpenAI, Anthropic, Gemini and Groq say so in their own words") {
  CHECK(served_verdict_of_golden("model_not_served_openai_404"));
  CHECK(served_verdict_of_golden("model_not_served_anthropic_404"));
  CHECK(served_verdict_of_golden("model_not_served_gemini_404"));
  CHECK(served_verdict_of_golden("model_not_served_groq_400"));
  // DeepSeek answers a retired name with a bare message and a generic code.
  CHECK(verdict(400, R"({"error":{"message":"Model Not Exist","type":"invalid_request_error",
                    "param":null,"code":"invalid_request_error"}})"));
  CHECK(verdict(410, R"({"error":{"message":"This model has been retired."}})"));
  CHECK(verdict(404, "<html><title>Not Found</title></html>"));
}

TEST_CASE("model not served: every other 4xx is the request's fault") {
  CHECK_FALSE(verdict(400, R"({"error":{"message":"bad temperature","type":"invalid_request_error",
                          "param":"temperature","code":null}})"));
  CHECK_FALSE(verdict(
      400, R"({"error":{"message":"max_tokens is too large: this model supports at most 8192",
                          "type":"invalid_request_error"}})"));
  CHECK_FALSE(verdict(400, "Bad Request"));
  CHECK_FALSE(verdict(
      400,
      R"({"error":{"message":"'max_tokens' is deprecated for this model: use 'max_completion_tokens'",
                          "type":"invalid_request_error","param":"max_tokens"}})"));
  CHECK(verdict(
      400,
      R"({"error":{"message":"The model `text-davinci-003` has been deprecated","type":"invalid_request_error"}})"));
  CHECK_FALSE(verdict(422, R"({"error":{"message":"model: unknown","code":"model_not_found"}})"));
  for (const int status : {401, 402, 403, 408, 409, 413}) {
    CHECK_FALSE(verdict(
        status,
        R"({"error":{"message":"The model `x` does not exist","code":"model_not_found"}})"));
  }
  CHECK_FALSE(verdict(429, R"({"error":{"message":"rate limited"}})"));
}

}  // namespace
}  // namespace lava_mcp::translators
