#include "protocol/request_state.h"

#include <algorithm>
#include <cstdlib>

#include "base/base64.h"
#include "base/hex.h"
#include "base/json_writer.h"
#include "platform/crypto.h"
#include "protocol/request_meta.h"

namespace lava_mcp::protocol {
namespace {

constexpr std::string_view kRetryAdvice =
    "; call the tool again without requestState and inputResponses to start over";

Unexpected refused(const std::string& why) {
  return fail(error_code::kInvalidParams,
              "Invalid params: requestState " + why + std::string(kRetryAdvice));
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (!platform::random_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes)) {
    std::abort();  // no CSPRNG: refusing to run beats a guessable key or nonce
  }
  return hex_encode(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::string base64url(std::string_view bytes) {
  std::string text = base64_encode(bytes);
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  text.erase(std::find(text.begin(), text.end(), '='), text.end());
  return text;
}

// The call a state belongs to: the tool and its arguments, as one SHA-256 digest.
std::string call_digest(std::string_view tool, const Json& arguments) {
  std::string text(tool);
  text.push_back('\0');
  append_compact_json(text, arguments);
  const auto digest = platform::sha256(text);
  return hex_encode(digest.data(), digest.size());
}

long long millis(RequestStateKeeper::Clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

// True when `declared` has every member `required` names, recursively.
bool declares(const Json& declared, const Json& required) {
  if (!required.is_object()) {
    return true;
  }
  for (const auto& [name, value] : required.items()) {
    const auto it = declared.find(name);
    if (it == declared.end() || !it->is_object() || !declares(*it, value)) {
      return false;
    }
  }
  return true;
}

// Why `response` cannot answer an input request of `method`; empty when it can.
std::string malformed_response(std::string_view method, const Json& response) {
  if (!response.is_object()) {
    return "must be an object";
  }
  if (method != "elicitation/create") {
    return "";
  }
  const auto action = response.find("action");
  if (action == response.end() || !action->is_string() ||
      (*action != "accept" && *action != "decline" && *action != "cancel")) {
    return "must be an elicitation result with action \"accept\", \"decline\" or \"cancel\"";
  }
  if (const auto content = response.find("content");
      content != response.end() && !content->is_object()) {
    return "content must be an object";
  }
  return "";
}

}  // namespace

RequestStateKeeper::RequestStateKeeper(std::chrono::milliseconds lifetime) : lifetime_(lifetime) {
  if (!platform::random_bytes(key_.data(), key_.size())) {
    std::abort();
  }
}

std::string RequestStateKeeper::mac(std::string_view signed_part) const {
  const auto out = platform::hmac_sha256(
      std::string_view(reinterpret_cast<const char*>(key_.data()), key_.size()), signed_part);
  return hex_encode(out.data(), out.size());
}

std::string RequestStateKeeper::seal(std::string_view tool, const Json& arguments,
                                     const Json& input_requests, const Json& data,
                                     Clock::time_point now) const {
  Json expects = Json::object();
  for (const auto& [key, request] : input_requests.items()) {
    expects[key] = {{"method", request.value("method", "")},
                    {"capability", capability_for_input(request)}};
  }
  const Json payload = {{"v", 1},
                        {"tool", tool},
                        {"call", call_digest(tool, arguments)},
                        {"nonce", random_hex(16)},
                        {"exp", millis(now + lifetime_)},
                        {"expects", std::move(expects)},
                        {"data", data}};
  const std::string signed_part = base64url(compact_json(payload));
  return signed_part + "." + mac(signed_part);
}

Expected<OpenedState> RequestStateKeeper::open(std::string_view token, std::string_view tool,
                                               const Json& arguments, Clock::time_point now) const {
  const auto dot = token.rfind('.');
  const std::string_view signed_part = token.substr(0, dot == std::string_view::npos ? 0 : dot);
  const std::string_view tag = dot == std::string_view::npos ? "" : token.substr(dot + 1);
  const std::string expected_tag = mac(signed_part);
  if (signed_part.empty() || tag.size() != expected_tag.size() ||
      !platform::constant_time_equal(tag, expected_tag)) {
    return refused("was not issued by this server process or was altered");
  }
  const auto text = base64_decode(signed_part);
  Json payload = text ? Json::parse(*text, nullptr, false) : Json();
  if (!payload.is_object() || payload.value("v", 0) != 1 || !payload["exp"].is_number_integer() ||
      !payload["nonce"].is_string() || !payload["expects"].is_object()) {
    return refused("is malformed");  // signed by us, so only a change of format gets here
  }
  if (payload.value("tool", "") != tool ||
      payload.value("call", "") != call_digest(tool, arguments)) {
    return refused("belongs to a different call (the tool name or its arguments changed)");
  }
  OpenedState opened;
  opened.expires_at = Clock::time_point(std::chrono::milliseconds(payload["exp"].get<long long>()));
  if (now >= opened.expires_at) {
    return refused("has expired");
  }
  opened.expects = payload["expects"];
  opened.data = payload["data"];
  opened.nonce = payload["nonce"].get<std::string>();
  return opened;
}

Expected<void> RequestStateKeeper::consume(const OpenedState& state, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  for (auto it = used_.begin(); it != used_.end();) {  // expired ones are refused anyway
    it = it->second <= now ? used_.erase(it) : std::next(it);
  }
  if (!used_.emplace(state.nonce, state.expires_at).second) {
    return refused("was already used (each one is accepted once)");
  }
  return {};
}

Json capability_for_input(const Json& input_request) {
  const std::string method = input_request.value("method", "");
  if (method == "elicitation/create") {
    const Json& params = input_request.contains("params") ? input_request["params"] : Json();
    const bool url = params.is_object() && params.value("mode", "") == "url";
    return url ? Json{{"elicitation", {{"url", Json::object()}}}}
               : Json{{"elicitation", Json::object()}};
  }
  if (method == "sampling/createMessage") {
    return {{"sampling", Json::object()}};
  }
  if (method == "roots/list") {
    return {{"roots", Json::object()}};
  }
  return Json::object();
}

Expected<void> check_input_responses(const Json& expects, const Json& responses,
                                     const Json& client_capabilities) {
  for (const auto& [key, expected] : expects.items()) {
    const std::string method = expected.value("method", "");
    const auto response = responses.is_object() ? responses.find(key) : responses.end();
    if (!responses.is_object() || response == responses.end()) {
      return fail(error_code::kInvalidParams, "Invalid params: inputResponses has no answer to \"" +
                                                  key + "\" (" + method +
                                                  "); retry with it and the same requestState");
    }
    const Json capability = expected.value("capability", Json::object());
    if (!declares(client_capabilities, capability)) {
      return fail(error_code::kMissingClientCapability,
                  "Missing required client capability: the answer to \"" + key + "\" (" + method +
                      ") needs " + compact_json(capability) + " in this request's " +
                      std::string(kMetaClientCapabilities),
                  {{"requiredCapabilities", capability}});
    }
    if (const std::string problem = malformed_response(method, *response); !problem.empty()) {
      return fail(error_code::kInvalidParams,
                  "Invalid params: inputResponses[\"" + key + "\"] " + problem);
    }
  }
  return {};
}

}  // namespace lava_mcp::protocol
