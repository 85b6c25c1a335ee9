// The prompt call's progress notifications (tools.md 4): the characters of answer received so
// far in the running attempt, and the thinking apart ("thinking: ~1,200 tokens", estimated from
// its characters: no provider counts tokens while it streams), without a total (unknown until the
// end); at each fallback, why the chain moved on. Values rise strictly across attempts (each
// attempt counts from above the last value sent), text updates are rate-limited, and none goes out
// once the attempt's body is complete.
//
// The TypeScript SDK 1.x dispatches a notification a microtask after the read that carried it
// but a response at once, so a progress notification that reaches the client in the same read
// as the response finds its handler gone ("unknown token", typescript-sdk#2580). So the call's
// result is never written within kQuietBeforeResponse of the last notification:
// quiet_before_response() waits out the rest of that gap (docs/streaming.md).
#pragma once

#include <chrono>
#include <string>

#include "gateway/prompt_routing.h"
#include "tools/tool.h"

namespace lava_mcp::tools::prompt {

inline constexpr std::chrono::milliseconds kProgressInterval{250};
inline constexpr std::chrono::milliseconds kQuietBeforeResponse{15};

class PromptProgress {
 public:
  PromptProgress(RequestContext& context, std::size_t attempts)
      : context_(context), attempts_(attempts) {}

  // A new attempt. After a failed one, `why_previous` says why the chain moved on, and that is
  // sent at once; the first attempt is not announced (nothing has happened yet).
  void attempt_started(const gateway::Attempt& attempt, const std::string& why_previous);
  // The running attempt has received `characters` of answer and `thinking_characters` of
  // thinking in all; the value counts both.
  void received(std::size_t characters, std::size_t thinking_characters);
  // Waits until the last notification is kQuietBeforeResponse old (none sent: no wait).
  void quiet_before_response() const;

 private:
  void send(double value, std::string message);

  RequestContext& context_;
  std::size_t attempts_;
  std::string label_;  // "attempt 2 of 3, claude-haiku-4-5"
  double base_ = 0;    // the running attempt counts from here
  double last_ = 0;    // the last value sent
  std::chrono::steady_clock::time_point last_sent_{};
  bool sent_any_ = false;
};

}  // namespace lava_mcp::tools::prompt
