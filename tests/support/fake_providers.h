// Fake Anthropic, Gemini and OpenAI upstreams behind the fake gateway. Each enforces the real
// provider's validation rules that translations get wrong, answers in its native format, and can
// be scripted per request: 503, 429 with retry-after, a garbage 200, a dropped connection, a
// slow reply, a tool call, cache usage.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/fake_gateway.h"

namespace lava_mcp::testing {

enum class Provider { kAnthropic, kGemini, kOpenAI, kLava };

struct Script {
  enum class Kind { kAnswer, kStatus, kGarbage, kDrop, kSlow, kToolCall, kCacheUsage };
  Kind kind = Kind::kAnswer;
  int status = 200;
  std::string body;         // kStatus: the error body
  std::string retry_after;  // kStatus
  int delay_ms = 0;         // kSlow
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
  };
  std::vector<Seen> seen() const;
  int count(Provider provider) const;

 private:
  void serve(const GatewayRequest& request, httplib::Response& res);

  mutable std::mutex mutex_;
  std::map<Provider, std::deque<Script>> scripts_;
  std::vector<Seen> seen_;
};

// The validation rules, exposed for direct tests: empty string when valid.
std::string anthropic_violation(const nlohmann::json& body, const std::string& version_header);
std::string gemini_violation(const nlohmann::json& body, const std::string& target);
std::string openai_violation(const nlohmann::json& body);

}  // namespace lava_mcp::testing
