// MRTR (multi-round-trip requests, spec/mcp.md 12): the requestState a modern result of
// resultType "input_required" hands the client, and the checks of the retried call that echoes
// it with its inputResponses. The state is signed, not encrypted: it carries no secrets.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/expected.h"

namespace lava_mcp::protocol {

using Json = nlohmann::json;

// A requestState opened and checked: what the tool sealed into it, and the input keys
// (key -> {method, capability}) the retry must answer.
struct OpenedState {
  Json expects = Json::object();
  Json data;
  std::string nonce;
  std::chrono::steady_clock::time_point expires_at;
};

// Seals and opens requestState with HMAC-SHA256 under a key drawn from OpenSSL's CSPRNG when the
// process starts, so no state outlives the process or crosses to another one. Each state names
// the call it belongs to (the tool and a digest of its arguments), a nonce, and an expiry; a
// state is accepted once. Thread-safe.
class RequestStateKeeper {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RequestStateKeeper(std::chrono::milliseconds lifetime);

  // The opaque token for one input_required result of `tool` called with `arguments`:
  // `input_requests` is the result's inputRequests ({key: {method, params}}), `data` what the
  // tool needs back on the retry.
  std::string seal(std::string_view tool, const Json& arguments, const Json& input_requests,
                   const Json& data, Clock::time_point now = Clock::now()) const;

  // The state of a retried call, or -32602 saying why it is refused: not issued by this process
  // or altered, expired, or issued for another call (tool or arguments differ).
  Expected<OpenedState> open(std::string_view token, std::string_view tool, const Json& arguments,
                             Clock::time_point now = Clock::now()) const;

  // Marks the state used; -32602 when it was used before (a replay).
  Expected<void> consume(const OpenedState& state, Clock::time_point now = Clock::now());

 private:
  std::string mac(std::string_view signed_part) const;

  std::array<unsigned char, 32> key_{};
  std::chrono::milliseconds lifetime_;
  std::mutex mutex_;
  std::map<std::string, Clock::time_point> used_;  // nonce -> its state's expiry
};

// The client capability an input request needs (an ElicitRequest in URL mode: elicitation.url).
Json capability_for_input(const Json& input_request);

// Checks a retry's inputResponses against the keys its state expects: -32602 naming the first
// missing or malformed response, -32021 with data.requiredCapabilities when the retry's own
// clientCapabilities lack what one of the input requests needs.
Expected<void> check_input_responses(const Json& expects, const Json& responses,
                                     const Json& client_capabilities);

}  // namespace lava_mcp::protocol
