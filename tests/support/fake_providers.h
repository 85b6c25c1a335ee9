// Fake Anthropic, Gemini and OpenAI upstreams behind the fake gateway. Each enforces the real
// provider's validation rules that translations get wrong, answers in its native format, and can
// be scripted per request: 503, 429 with retry-after, a garbage 200, a dropped connection, a
// slow reply, a tool call, cache usage.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/fake_gateway.h"

namespace lava_mcp::testing {

enum class Provider { kAnthropic, kGemini, kOpenAI, kLava };

// A request that asks to stream (stream:true; Gemini's :streamGenerateContent?alt=sse) is
// answered with the provider's server-sent events of the same answer, a few characters per
// event; the stream kinds below shape that stream.
struct Script {
  enum class Kind {
    kAnswer,
    kStatus,
    kGarbage,
    kDrop,
    kSlow,
    kToolCall,
    kCacheUsage,
    kWhole,         // a whole JSON answer even to a stream request (an endpoint that cannot stream)
    kStreamCut,     // half the events, then the connection is reset
    kStreamShort,   // every event but the terminal ones, then a clean end of the body
    kStreamError,   // the provider's error event (overloaded) after `events` events
    kStreamStall,   // `events` events, then `delay_ms` of silence, then the rest
    kStreamTrickle  // every event `delay_ms` after the one before
  };
  Kind kind = Kind::kAnswer;
  int status = 200;
  std::string body;         // kStatus: the error body
  std::string retry_after;  // kStatus
  int delay_ms = 0;         // kSlow, kStreamStall, kStreamTrickle
  int events = 0;           // kStreamError, kStreamStall: events before
  std::string text;         // the answer's text instead of "Hello from <provider>"
};

inline Script scripted(Script::Kind kind) {
  Script script;
  script.kind = kind;
  return script;
}
inline Script status_script(int status, std::string body = "", std::string retry_after = "") {
  Script script;
  script.kind = Script::Kind::kStatus;
  script.status = status;
  script.body = std::move(body);
  script.retry_after = std::move(retry_after);
  return script;
}
inline Script slow_script(int delay_ms) {
  Script script;
  script.kind = Script::Kind::kSlow;
  script.delay_ms = delay_ms;
  return script;
}

inline Script stream_script(Script::Kind kind, int events = 0, int delay_ms = 0) {
  Script script;
  script.kind = kind;
  script.events = events;
  script.delay_ms = delay_ms;
  return script;
}

class FakeProviders {
 public:
  explicit FakeProviders(FakeGateway& gateway);

  // The next request to `provider` follows `script` (then back to answering normally).
  void push(Provider provider, Script script);

  struct Seen {
    Provider provider;
    std::string target;
    nlohmann::json body;
    std::string validation_error;  // empty when the body passed the provider's rules
    bool streamed = false;         // answered with server-sent events
  };
  std::vector<Seen> seen() const;
  int count(Provider provider) const;
  // Stream events written to a client so far, over all streams (a write that failed not counted).
  int events_written() const { return streams_->written; }
  // When each event of the latest stream was written (steady clock, ns since its epoch: on Linux
  // CLOCK_MONOTONIC, which another process on the machine reads alike; the benchmark times
  // lava-mcp's first progress from the first text event with it).
  std::vector<long long> latest_stream_event_ns() const;

  // What the streams' writers record; shared with them, as they may outlive this object on the
  // server's threads.
  struct StreamLog {
    std::atomic<int> written{0};
    std::mutex mutex;
    std::vector<long long> latest_ns;
  };

 private:
  void serve(const GatewayRequest& request, httplib::Response& res);

  mutable std::mutex mutex_;
  std::map<Provider, std::deque<Script>> scripts_;
  std::vector<Seen> seen_;
  std::shared_ptr<StreamLog> streams_ = std::make_shared<StreamLog>();
};

// Whether `request` asks `provider` for a stream, by that provider's rules.
bool wants_stream(Provider provider, const nlohmann::json& body, const std::string& target);
// The provider's stream of `answer` (its whole response), as SSE events of a few characters.
std::vector<std::string> stream_events(Provider provider, const nlohmann::json& answer,
                                       bool include_usage);

// The validation rules, exposed for direct tests: empty string when valid.
std::string anthropic_violation(const nlohmann::json& body, const std::string& version_header);
std::string gemini_violation(const nlohmann::json& body, const std::string& target);
std::string openai_violation(const nlohmann::json& body);

}  // namespace lava_mcp::testing
