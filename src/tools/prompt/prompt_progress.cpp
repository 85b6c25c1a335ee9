#include "tools/prompt/prompt_progress.h"

#include <thread>

namespace lava_mcp::tools::prompt {

using Clock = std::chrono::steady_clock;

void PromptProgress::attempt_started(const gateway::Attempt& attempt,
                                     const std::string& why_previous) {
  label_ = "attempt " + std::to_string(attempt.number) + " of " + std::to_string(attempts_) + ", " +
           attempt.model;
  base_ = last_ + 1;
  if (!why_previous.empty()) {
    send(base_, why_previous + "; trying " + label_ + " at " + attempt.url);
  }
}

void PromptProgress::received(std::size_t characters) {
  const bool first_of_attempt = last_ < base_ + 1;
  if (!first_of_attempt && Clock::now() - last_sent_ < kProgressInterval) {
    return;
  }
  send(base_ + static_cast<double>(characters),
       label_ + ": " + std::to_string(characters) +
           (characters == 1 ? " character" : " characters") + " received");
}

void PromptProgress::quiet_before_response() const {
  if (!sent_any_) {
    return;
  }
  const auto since = Clock::now() - last_sent_;
  if (since < kQuietBeforeResponse) {
    std::this_thread::sleep_for(kQuietBeforeResponse - since);
  }
}

void PromptProgress::send(double value, std::string message) {
  if (!context_.wants_progress()) {
    return;
  }
  last_ = value;
  last_sent_ = Clock::now();
  sent_any_ = true;
  context_.progress(value, std::nullopt, std::move(message));
}

}  // namespace lava_mcp::tools::prompt
