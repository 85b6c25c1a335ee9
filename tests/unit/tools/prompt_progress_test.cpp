// The prompt call's progress messages (tools.md 4; issue 17: thinking counted apart).
#include "tools/prompt/prompt_progress.h"

#include <doctest/doctest.h>

#include "support/null_context.h"

namespace lava_mcp::tools::prompt {
namespace {

gateway::Attempt attempt(int number, const char* model) {
  gateway::Attempt a;
  a.number = number;
  a.model = model;
  a.url = "api.anthropic.com/v1/messages";
  return a;
}

TEST_CASE("prompt progress: answer characters, thinking as estimated tokens, grouped digits") {
  testing::NullContext context;
  PromptProgress progress(context, 2);
  progress.attempt_started(attempt(1, "claude-sonnet-4-5"), "");
  progress.received(0, 4'801);  // the first of an attempt goes out at once
  REQUIRE(context.progress_sent.size() == 1);
  CHECK(context.progress_sent[0].message ==
        "attempt 1 of 2, claude-sonnet-4-5: thinking: ~1,201 tokens");
  CHECK(context.progress_sent[0].value == 1 + 4'801);

  progress.attempt_started(attempt(2, "gpt-4o-mini"), "attempt 1 (claude-sonnet-4-5) failed: x");
  progress.received(1, 0);
  progress.received(1'234'567, 3);  // within the rate limit: not sent
  REQUIRE(context.progress_sent.size() == 3);
  CHECK(context.progress_sent[2].message == "attempt 2 of 2, gpt-4o-mini: 1 character received");
  CHECK(context.progress_sent[2].value > context.progress_sent[1].value);
  CHECK(context.progress_sent[1].value > context.progress_sent[0].value);
}

TEST_CASE("prompt progress: both counts in one message once the answer starts") {
  testing::NullContext context;
  PromptProgress progress(context, 1);
  progress.attempt_started(attempt(1, "gemini-3-pro"), "");
  progress.received(1'000, 4);
  REQUIRE(context.progress_sent.size() == 1);
  CHECK(context.progress_sent[0].message ==
        "attempt 1 of 1, gemini-3-pro: thinking: ~1 token; 1,000 characters received");
}

}  // namespace
}  // namespace lava_mcp::tools::prompt
