// The pure translation layer of the `prompt` tool (translation.md sections 3-9): an OpenAI
// chat-completions request becomes an Anthropic Messages, Gemini generateContent or
// OpenAI-compatible body; the answer comes back as an OpenAI chat.completion; provider errors
// become OpenAI error objects. Every function here is pure (no I/O, no clock, no globals, no
// randomness), thread-safe, and never throws on malformed input.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/expected.h"

namespace lava_mcp::translators {

// kOpenAI = any OpenAI-compatible chat-completions endpoint.
enum class Format { kOpenAI, kAnthropic, kGemini };

// "openai", "anthropic", "gemini".
std::string_view format_name(Format format);

// Failure to translate a request. `error` is an OpenAI error object {message, type, param, code}
// whose `param` names the offending path (e.g. "messages[2].content").
//  kLocalInvalid: OpenAI itself would reject the request: stop the whole call, send nothing.
//  kUnsupported: this target cannot express it: record the attempt as failed, try the next one.
struct RequestFailure {
  enum class Kind { kLocalInvalid, kUnsupported };
  Kind kind = Kind::kLocalInvalid;
  nlohmann::json error;
};

// A translated body, plus the parameters dropped or clamped on the way (one log line each).
struct TranslatedRequest {
  nlohmann::json body;
  std::vector<std::string> notes;
};

using RequestResult = std::variant<TranslatedRequest, RequestFailure>;

// Images for Gemini: https URLs that are not Files-API (or YouTube) URIs must be sent inline.
// The caller downloads them first (https only, image/*, size cap) so translators stay pure.
struct InlineImage {
  std::string mime_type;
  std::string base64;
};
using ImageMap = std::map<std::string, InlineImage>;  // url -> downloaded image

// What Gemini said about a tool call it issued (translation.md section 5, "call map"): whether
// the id came from Gemini (then it is echoed on functionCall/functionResponse) and its opaque
// thoughtSignature (re-attached to the rebuilt functionCall part). Keyed by tool_call id; the
// caller keeps a bounded map across calls, filled by from_gemini.
struct GeminiCall {
  bool issued_id = false;
  std::string thought_signature;
};
using GeminiCallMap = std::map<std::string, GeminiCall>;

// Gemini 3 placeholder for calls whose signature is unknown (Google's thought-signatures page).
inline constexpr std::string_view kGeminiSkipSignature = "skip_thought_signature_validator";

// The URLs to_gemini needs in its ImageMap, in first-seen order, without duplicates.
std::vector<std::string> image_urls_to_inline(const nlohmann::json& openai_request);

// Routing fields (fallbacks, url, timeout_ms, deadline_ms) and stream/stream_options removed,
// `model` replaced; everything else passes unchanged (the provider decides).
RequestResult to_openai(const nlohmann::json& openai_request, const std::string& model);

// Anthropic Messages body (translation.md sections 3 and 4).
RequestResult to_anthropic(const nlohmann::json& openai_request, const std::string& model);

// Gemini generateContent body (sections 3 and 5); `model` only selects model-table behaviour,
// it goes in the URL path, never in the body. Thought signatures come from `calls` first, then
// from a tool call's `extra_content.google.thought_signature` echoed by the client.
RequestResult to_gemini(const nlohmann::json& openai_request, const std::string& model,
                        const ImageMap& images, const GeminiCallMap& calls = {});

// Responses back to an OpenAI chat.completion. `created` is the arrival time in Unix seconds.
// A 2xx body that does not translate is an Error whose `data` is the OpenAI error wrapper
// {"error": {message, type, param, code}} (type "invalid_response_error", or the mapped provider
// error for an error body under a 2xx status): the chain treats it as a failed attempt.

// Validates the shape (a non-empty choices array of objects with a message), normalises
// `object`, `model` (else `model`), `created` (else `created`), missing `id`, tool-call
// arguments (object -> string, "" -> "{}") and `usage.total_tokens`; everything else passes.
// `body` is taken by value: a caller done with it moves it in and saves a copy.
Expected<nlohmann::json> from_openai(nlohmann::json body, long long created,
                                     const std::string& model = {});

// `openai_request` is the caller's request: it tells whether the forced `json_response` tool
// was used for JSON mode, whose input is then unwrapped into `content`. `model` is the attempt's
// model, used when the body has none.
Expected<nlohmann::json> from_anthropic(const nlohmann::json& body,
                                        const nlohmann::json& openai_request, long long created,
                                        const std::string& model = {});

// `model` is the attempt's model (used when the body has no modelVersion). When `calls` is
// given, every tool call of the answer is recorded there (issued id, thought signature).
Expected<nlohmann::json> from_gemini(const nlohmann::json& body, const std::string& model,
                                     long long created, GeminiCallMap* calls = nullptr);

// Any error body (and its status) as {"error": {message, type, param, code}}. The shape is
// detected from the body, not from `format` (errors may come from Lava's gateway itself);
// garbage bodies still give a useful message.
nlohmann::json map_error(Format format, int status, std::string_view body);

// True when a refused attempt means "this target does not serve the model" (translation.md 9.1):
// a 404, or a 400/410 whose mapped error (the OpenAI error object) names the model as unknown,
// retired, decommissioned or unavailable (OpenAI model_not_found, Groq model_decommissioned,
// Anthropic not_found_error, Gemini NOT_FOUND). Every other 4xx is the request's fault.
bool model_not_served(int status, const nlohmann::json& error);

// Retry-After (translation.md 9.2). `header` is a case-insensitive lookup; `body` the error body
// (for Google's RetryInfo); `now_epoch_seconds` is used for HTTP-dates when there is no Date
// header. nullopt when absent or invalid.
struct RetryAfter {
  double seconds = 0;
  bool over_cap = false;  // more than 60 s: reported, but not worth waiting for
};
inline constexpr double kRetryAfterCapSeconds = 60;
std::optional<RetryAfter> parse_retry_after(
    const std::function<std::optional<std::string>(std::string_view)>& header,
    std::string_view body, long long now_epoch_seconds);

}  // namespace lava_mcp::translators
