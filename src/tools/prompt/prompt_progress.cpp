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

namespace {

// Tokens are about four characters of English text (OpenAI's and Anthropic's rule of thumb);
// the count is marked "~" as an estimate.
constexpr std::size_t kCharactersPerToken = 4;

std::string grouped(std::size_t number) {
  std::string digits = std::to_string(number);
  for (std::size_t at = digits.size(); at > 3; at -= 3) {
    digits.insert(at - 3, ",");
  }
  return digits;
}

std::string received_message(std::size_t characters, std::size_t thinking_characters) {
  std::string message;
  if (thinking_characters > 0) {
    const std::size_t tokens =
        (thinking_characters + kCharactersPerToken - 1) / kCharactersPerToken;
    message = "thinking: ~" + grouped(tokens) + (tokens == 1 ? " token" : " tokens");
  }
  if (characters > 0 || thinking_characters == 0) {
    message += (message.empty() ? "" : "; ") + grouped(characters) +
               (characters == 1 ? " character" : " characters") + " received";
  }
  return message;
}

}  // namespace

void PromptProgress::received(std::size_t characters, std::size_t thinking_characters) {
  const bool first_of_attempt = last_ < base_ + 1;
  if (!first_of_attempt && Clock::now() - last_sent_ < kProgressInterval) {
    return;
  }
  send(base_ + static_cast<double>(characters + thinking_characters),
       label_ + ": " + received_message(characters, thinking_characters));
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
