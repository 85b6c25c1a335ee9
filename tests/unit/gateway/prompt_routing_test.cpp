#include "gateway/prompt_routing.h"

#include <doctest/doctest.h>

namespace lava_mcp::gateway {
namespace {

using translators::Format;
using Json = nlohmann::json;

TEST_CASE("routing: scheme-less urls and formats") {
  CHECK(scheme_less(" https://api.openai.com/v1/chat/completions ") ==
        "api.openai.com/v1/chat/completions");
  CHECK(scheme_less("http://localhost:8080/v1/messages") == "localhost:8080/v1/messages");
  CHECK(format_for_url("api.anthropic.com/v1/messages") == Format::kAnthropic);
  CHECK(format_for_url("my-proxy.example/v1/messages") == Format::kAnthropic);
  CHECK(format_for_url("generativelanguage.googleapis.com/v1beta") == Format::kGemini);
  CHECK(format_for_url("generativelanguage.googleapis.com/v1beta/openai/chat/completions") ==
        Format::kOpenAI);
  CHECK(format_for_url("api.groq.com/openai/v1/chat/completions") == Format::kOpenAI);
}

TEST_CASE("routing: Gemini urls are completed with the model path") {
  CHECK(complete_gemini_url("generativelanguage.googleapis.com/v1beta", "gemini-2.5-flash") ==
        "generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
  CHECK(complete_gemini_url("generativelanguage.googleapis.com/v1beta/", "g") ==
        "generativelanguage.googleapis.com/v1beta/models/g:generateContent");
  CHECK(complete_gemini_url("generativelanguage.googleapis.com/v1beta/models", "g") ==
        "generativelanguage.googleapis.com/v1beta/models/g:generateContent");
  CHECK(complete_gemini_url("generativelanguage.googleapis.com", "g") ==
        "generativelanguage.googleapis.com/v1beta/models/g:generateContent");
  const std::string full = "generativelanguage.googleapis.com/v1/models/x:generateContent";
  CHECK(complete_gemini_url(full, "g") == full);
}

TEST_CASE("routing: primary from url, model prefix, or the unified endpoint - then fallbacks") {
  const Catalog& catalog = Catalog::embedded();
  auto attempts = plan_attempts(
      {{"model", "claude-haiku-4-5"},
       {"fallbacks",
        {{{"url", "https://api.openai.com/v1/chat/completions"}, {"model", "gpt-4o-mini"}},
         {{"url", "generativelanguage.googleapis.com/v1beta"}, {"model", "gemini-2.5-flash"}}}}},
      catalog, "https://api.lava.so");
  REQUIRE(attempts.size() == 3);
  CHECK(attempts[0].number == 1);
  CHECK(attempts[0].format == Format::kAnthropic);
  CHECK(attempts[0].target == "https://api.anthropic.com/v1/messages");
  CHECK(attempts[1].url == "api.openai.com/v1/chat/completions");
  CHECK(attempts[1].format == Format::kOpenAI);
  CHECK(attempts[2].number == 3);
  CHECK(attempts[2].format == Format::kGemini);
  CHECK(attempts[2].target ==
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");

  auto explicit_url =
      plan_attempts({{"model", "claude-x"}, {"url", "api.openai.com/v1/chat/completions"}}, catalog,
                    "https://api.lava.so");
  CHECK(explicit_url[0].format == Format::kOpenAI);

  for (const char* model : {"unknown-model", "deepseek-ai/DeepSeek-V3"}) {
    auto unified = plan_attempts({{"model", model}}, catalog, "https://api.lava.so");
    REQUIRE(unified.size() == 1);
    CHECK(unified[0].unified);
    CHECK(unified[0].url == "api.lava.so/v1/chat/completions");
  }
  CHECK(plan_attempts({{"model", "grok-4"}}, catalog, "https://api.lava.so")[0].target.find(
            "api.x.ai") != std::string::npos);
}

TEST_CASE("routing: the fallback rule, outcome by outcome") {
  using Kind = AttemptOutcome::Kind;
  const auto ended = [](Kind kind) {
    AttemptOutcome outcome;
    outcome.kind = kind;
    return outcome;
  };
  const auto refused = [](int status, bool model_not_served = false) {
    AttemptOutcome outcome;
    outcome.kind = Kind::kRefused;
    outcome.status = status;
    outcome.model_not_served = model_not_served;
    return outcome;
  };
  const auto lava_refused = [&](int status, bool per_model) {
    AttemptOutcome outcome = refused(status);
    outcome.lava_refused = true;
    outcome.lava_refusal_per_model = per_model;
    return outcome;
  };
  struct Row {
    AttemptOutcome outcome;
    bool moves_on;
  };
  const Row rows[] = {
      {ended(Kind::kServed), false},
      {ended(Kind::kInvalidRequest), false},
      {ended(Kind::kCancelled), false},
      {ended(Kind::kInexpressible), true},
      {ended(Kind::kNetworkFailure), true},
      {ended(Kind::kUnreadableAnswer), true},
      {refused(429), true},
      {refused(500), true},
      {refused(502), true},
      {refused(503), true},
      {refused(529), true},  // Anthropic's overloaded
      {refused(404, true), true},
      {refused(400, true), true},
      {refused(410, true), true},
      {refused(400), false},
      {refused(401), false},
      {refused(402), false},
      {refused(403), false},
      {refused(413), false},
      {refused(422), false},
      {refused(428), false},
      {refused(499), false},
      {refused(302), false},  // a redirect the client did not follow
      // Lava's own refusals (gateway/lava_refusal.h): every attempt would meet the key's,
      // the wallet's and the key's limits, including Lava's 429; a model outside the key's
      // allow-lists is per model.
      {lava_refused(429, false), false},
      {lava_refused(402, false), false},
      {lava_refused(401, false), false},
      {lava_refused(403, true), true},
  };
  for (const Row& row : rows) {
    CAPTURE(static_cast<int>(row.outcome.kind));
    CAPTURE(row.outcome.status);
    CAPTURE(row.outcome.model_not_served);
    CHECK(moves_on(row.outcome) == row.moves_on);
  }
}

}  // namespace
}  // namespace lava_mcp::gateway
