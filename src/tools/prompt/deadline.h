// The prompt tool's time limits (tools.md 2 and 4, translation.md 10.5): the call's deadline,
// chosen per host when nothing sets it, what each attempt gets of it, and the answer a deadline
// cut while it streamed. Pure: the time is passed in.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "base/json.h"
#include "translators/translators.h"

namespace lava_mcp::tools::prompt {

using Milliseconds = std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

// The default deadlines (README "Deadlines"): hosts on the TypeScript SDK give up on a request
// after 60 s unless progress resets it, so lava-mcp answers 5 s before that with its own result;
// Claude Code waits without a limit (unless MCP_TOOL_TIMEOUT says otherwise), so there the
// deadline only ends a chain of slow attempts.
inline constexpr Milliseconds kSdkHostDeadline{55000};
inline constexpr Milliseconds kClaudeCodeDeadline{300000};
inline constexpr std::string_view kClaudeCodeClient = "claude-code";  // its clientInfo.name
// With no deadline, an attempt that keeps streaming still ends here (the longest setting).
inline constexpr Milliseconds kLongestAttempt{3600000};
// How near the deadline counts as reached (CallDeadline::reached).
inline constexpr Milliseconds kDeadlineSlack{100};

// The deadline for a host as clientInfo.name names it ("" when unknown).
Milliseconds host_default_deadline(std::string_view client_name);

// The call's deadline: the deadline_ms argument, else LAVA_MCP_DEADLINE_MS (`configured`),
// else the host's default. 0 ms is none.
Milliseconds call_deadline(const Json& args, std::optional<Milliseconds> configured,
                           std::string_view client_name);

// What one attempt's HTTP exchange may take.
struct AttemptLimits {
  Milliseconds idle;   // HttpRequest::idle_timeout: the longest the upstream may stay silent
  Milliseconds total;  // HttpRequest::timeout: what is left of the call's deadline
};

class CallDeadline {
 public:
  CallDeadline(SteadyTime start, Milliseconds deadline) : start_(start), deadline_(deadline) {}
  Milliseconds deadline() const { return deadline_; }  // 0: none
  // True once less than kDeadlineSlack is left: an attempt's own timers start a little later
  // than the call's and count whole milliseconds, so the deadline's own timeout fires within
  // that slack of it, and an attempt begun with less could not answer anyway.
  bool reached(SteadyTime now) const {
    return deadline_.count() > 0 && now + kDeadlineSlack >= start_ + deadline_;
  }
  // What is left at `now` (0 once passed; kLongestAttempt without a deadline).
  Milliseconds remaining(SteadyTime now) const;
  // An attempt starting at `now`: silent for at most `idle`, never past the deadline.
  AttemptLimits attempt_limits(Milliseconds idle, SteadyTime now) const;

 private:
  SteadyTime start_;
  Milliseconds deadline_;
};

// The answer of an attempt the deadline ended while it streamed.
struct CutAnswer {
  Json completion;                     // finish_reason "deadline" on every choice
  std::size_t dropped_tool_calls = 0;  // whose arguments had not all arrived
};

inline constexpr std::string_view kCutFinishReason = "deadline";

// From `body`, what the format's stream decoder rebuilt of the events so far: tool calls whose
// arguments are not yet a whole JSON object are dropped, `read` (the format adapter's reader of
// a whole body) makes the rest a chat.completion, marked as cut. Nullopt when nothing of an
// answer had arrived (no text and no whole tool call) or the rest does not read: then the call
// fails with the attempt log.
std::optional<CutAnswer> cut_answer(translators::Format format, Json body,
                                    const std::function<Expected<Json>(Json)>& read);

// The line the text block carries so that no model takes a cut answer for a whole one.
std::string cut_note(const CutAnswer& cut, Milliseconds deadline);

}  // namespace lava_mcp::tools::prompt
