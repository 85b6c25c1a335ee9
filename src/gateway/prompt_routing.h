// Where each attempt of a prompt call goes (tools.md section 3.2): the primary from the url
// argument, the catalog's model prefixes, or Lava's unified endpoint; then the fallbacks.
// Pure: no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gateway/catalog.h"
#include "translators/translators.h"

namespace lava_mcp::gateway {

struct Attempt {
  int number = 1;   // 1-based, as reported
  std::string url;  // scheme-less endpoint, as reported ("api.openai.com/v1/...")
  std::string model;
  translators::Format format = translators::Format::kOpenAI;
  bool unified = false;  // Lava's own /v1/chat/completions, called directly
  std::string target;    // the https URL the gateway forwards to (empty when unified)
};

// "https://api.x.com/v1/y " -> "api.x.com/v1/y": scheme and surrounding spaces stripped.
std::string scheme_less(const std::string& url);

// The format a scheme-less endpoint speaks.
translators::Format format_for_url(const std::string& url);

// A Gemini endpoint completed with "/models/<model>:generateContent" when it stops before it.
std::string complete_gemini_url(const std::string& url, const std::string& model);

// [primary] + fallbacks, in order. `arguments` is the validated prompt input.
std::vector<Attempt> plan_attempts(const nlohmann::json& arguments, const Catalog& catalog,
                                   const std::string& api_origin);

// How one attempt ended, as far as the fallback rule needs to know.
struct AttemptOutcome {
  enum class Kind {
    kServed,            // a readable 2xx answer
    kInvalidRequest,    // OpenAI itself would refuse the request; nothing was sent
    kInexpressible,     // this target's format cannot carry the request
    kNetworkFailure,    // no HTTP answer (DNS, connect, TLS, timeout, reset, ...)
    kCancelled,         // the client cancelled the call
    kUnreadableAnswer,  // a 2xx whose body could not be read as an answer
    kRefused,           // an HTTP status outside 2xx
  };
  Kind kind = Kind::kServed;
  int status = 0;                 // kRefused: the HTTP status
  bool model_not_served = false;  // kRefused: the target does not serve the model (9.1)
  // kRefused by Lava itself (gateway/lava_refusal.h), not the provider; per_model when only this
  // model or provider is outside the spend key's allow-lists.
  bool lava_refused = false;
  bool lava_refusal_per_model = false;
};

// The fallback rule (tools.md 3.2): true when the chain moves on to the next attempt (429, 5xx,
// a network failure, a model not served, a target that cannot express or answer readably, a
// model the spend key may not use); false when the call ends here (served, cancelled, a request
// that every target would refuse, or a Lava refusal every attempt would meet: key, balance,
// the key's limits).
bool moves_on(const AttemptOutcome& outcome);

}  // namespace lava_mcp::gateway
