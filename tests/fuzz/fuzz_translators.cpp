// fuzz_translators: the prompt tool's pure translation layer (src/gateway/translators).
// The input is parsed as JSON (when it is) and used
//  - as an OpenAI chat-completions request: to_openai, to_anthropic and to_gemini (models of
//    the model table picked by a hash of the input, plus an unknown model; Gemini with all the
//    images to inline downloaded and with none);
//  - as a provider response body: from_openai, from_anthropic (plain and JSON-mode requests),
//    from_gemini (with a call map);
// and the raw bytes go through map_error (every format, several statuses) and parse_retry_after
// ("name: value" header lines, the input as the body).
// Invariants: nothing throws; every result serialises (dump with error_handler_t::replace) to one
// line of JSON; pure functions are deterministic; translated bodies have their target's shape;
// local-400 failures are the same for Anthropic and Gemini (prepare() owns them); completions
// have a non-empty choices array of assistant messages and, when usage has prompt and completion
// counts, total_tokens is their sum; Gemini tool calls are recorded in the call map; errors are
// {"error": {message, type, ...}} with a valid UTF-8 message.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/bounded_json.h"
#include "fuzz_util.h"
#include "translators/translators.h"

namespace {

using lava_fuzz::dump_replace;
using lava_fuzz::is_valid_utf8;
using lava_fuzz::Json;
using lava_fuzz::no_throw;
using lava_fuzz::reparse;
using lava_fuzz::show;
using lava_fuzz::string_at;
using namespace lava_mcp::translators;

constexpr long long kCreated = 1767225600;

// Model-table rows with different traits; each input uses one of each list (chosen by a hash of
// the input, so the choice is stable for a given input) plus a model the table does not know.
const std::vector<std::string> kAnthropicModels = {"claude-sonnet-4-5", "claude-opus-4-1",
                                                   "claude-3-5-haiku"};
const std::vector<std::string> kGeminiModels = {"gemini-3-pro-preview", "gemini-2.5-flash",
                                                "models/gemini-2.0-flash"};
const std::string kUnknownModel = "unknown-model";
constexpr int kStatuses[] = {0, 200, 400, 401, 403, 404, 413, 500, 503, 504, 999};

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return hash;
}

std::string what(const char* step, const Json& input) {
  return std::string(step) + " on " + show(dump_replace(input), 600);
}

void check_failure(const RequestFailure& failure, const Json& input, const char* step) {
  const Json error = reparse(failure.error);
  const std::string* message = string_at(error, "message");
  FUZZ_CHECK(message != nullptr && !message->empty(),
             what(step, input) + ": error without message");
  FUZZ_CHECK(string_at(error, "type") != nullptr, what(step, input) + ": error without type");
  FUZZ_CHECK(error.contains("param"), what(step, input) + ": error without param");
}

// Serialises and checks the shape; returns the serialised result for determinism checks.
std::string check_request(const RequestResult& result, const Json& input, const char* step,
                          Format format, const std::string& model) {
  if (const auto* failure = std::get_if<RequestFailure>(&result)) {
    check_failure(*failure, input, step);
    return "failure:" + std::to_string(static_cast<int>(failure->kind)) +
           dump_replace(failure->error);
  }
  const auto& ok = std::get<TranslatedRequest>(result);
  const Json body = reparse(ok.body);
  FUZZ_CHECK(body.is_object(), what(step, input) + ": body is not an object");
  switch (format) {
    case Format::kOpenAI:
      FUZZ_CHECK(body.value("model", Json()) == model, what(step, input) + ": model not replaced");
      for (const char* key : {"fallbacks", "url", "timeout_ms", "stream", "stream_options"}) {
        FUZZ_CHECK(!body.contains(key), what(step, input) + ": routing field kept: " + key);
      }
      break;
    case Format::kAnthropic: {
      FUZZ_CHECK(body.value("model", Json()) == model, what(step, input) + ": model missing");
      const auto messages = body.find("messages");
      FUZZ_CHECK(messages != body.end() && messages->is_array(),
                 what(step, input) + ": no messages");
      const auto max_tokens = body.find("max_tokens");
      FUZZ_CHECK(max_tokens != body.end() && max_tokens->is_number_integer() &&
                     max_tokens->get<long long>() >= 0,
                 what(step, input) + ": max_tokens missing or negative");
      break;
    }
    case Format::kGemini: {
      FUZZ_CHECK(!body.contains("model"), what(step, input) + ": model in a Gemini body");
      const auto contents = body.find("contents");
      FUZZ_CHECK(contents != body.end() && contents->is_array(),
                 what(step, input) + ": no contents");
      break;
    }
  }
  std::string out = dump_replace(ok.body);
  for (const std::string& note : ok.notes) out += "\n" + note;
  return out;
}

// Runs a request translator twice (it must be deterministic), checks and returns the result.
template <class Fn>
RequestResult translate_twice(const char* step, const Json& input, Format format,
                              const std::string& model, Fn&& fn) {
  RequestResult first = no_throw(step, fn);
  const RequestResult second = no_throw(step, fn);
  const std::string a = check_request(first, input, step, format, model);
  const std::string b = check_request(second, input, step, format, model);
  FUZZ_CHECK(a == b, what(step, input) + ": not deterministic");
  return first;
}

bool local_invalid(const RequestResult& result) {
  const auto* failure = std::get_if<RequestFailure>(&result);
  return failure != nullptr && failure->kind == RequestFailure::Kind::kLocalInvalid;
}

void check_requests(const Json& request, std::uint64_t variant) {
  translate_twice("to_openai", request, Format::kOpenAI, "gpt-4o-mini",
                  [&] { return to_openai(request, "gpt-4o-mini"); });

  const std::vector<std::string> urls =
      no_throw("image_urls_to_inline", [&] { return image_urls_to_inline(request); });
  ImageMap images;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      FUZZ_CHECK(urls[i] != urls[j], what("image_urls_to_inline", request) + ": duplicate URL");
    }
    images[urls[i]] = InlineImage{"image/png", "iVBORw0KGgo="};
  }

  std::optional<bool> anthropic_invalid;
  for (const std::string& model : {kAnthropicModels[variant % 3], kUnknownModel}) {
    const RequestResult result = translate_twice("to_anthropic", request, Format::kAnthropic, model,
                                                 [&] { return to_anthropic(request, model); });
    if (!anthropic_invalid) anthropic_invalid = local_invalid(result);
    FUZZ_CHECK(*anthropic_invalid == local_invalid(result),
               what("to_anthropic", request) + ": local 400 depends on the model");
  }
  GeminiCallMap calls;
  calls["call_1"] = GeminiCall{true, "c2ln"};
  const ImageMap none;
  // With every image downloaded, and with none (those parts are then unsupported).
  for (const bool known : {true, false}) {
    const std::string& model = known ? kGeminiModels[(variant >> 8) % 3] : kUnknownModel;
    const ImageMap& used = known ? images : none;
    const RequestResult result = translate_twice("to_gemini", request, Format::kGemini, model, [&] {
      return to_gemini(request, model, used, calls);
    });
    FUZZ_CHECK(*anthropic_invalid == local_invalid(result),
               what("to_gemini", request) + ": local 400 differs between Anthropic and Gemini");
  }
}

// `context()` names the call in a failure message (built only on failure).
template <class Context>
void check_error_value(const Json& value, const Context& context) {
  const Json error = reparse(value);
  const auto inner = error.find("error");
  FUZZ_CHECK(error.is_object() && inner != error.end() && inner->is_object(),
             context() + ": not {\"error\": {...}}: " + show(dump_replace(value)));
  const std::string* message = string_at(*inner, "message");
  FUZZ_CHECK(message != nullptr, context() + ": error without a message");
  FUZZ_CHECK(inner->contains("type"), context() + ": error without a type");
}

// Completion or failed attempt from a response translator.
std::string check_completion(const lava_mcp::Expected<Json>& result, const Json& body,
                             const char* step, bool tool_arguments_are_json) {
  if (!result) {
    const lava_mcp::Error& error = result.error();
    FUZZ_CHECK(!error.message.empty(), what(step, body) + ": failure without message");
    check_error_value(error.data, [&] { return what(step, body); });
    return "failure:" + error.message + dump_replace(error.data);
  }
  const Json out = reparse(*result);
  FUZZ_CHECK(out.is_object(), what(step, body) + ": completion is not an object");
  FUZZ_CHECK(out.value("object", Json()) == "chat.completion", what(step, body) + ": object");
  FUZZ_CHECK(out.contains("id") && out["id"].is_string() && !out["id"].get<std::string>().empty(),
             what(step, body) + ": id");
  FUZZ_CHECK(out.contains("created") && out["created"].is_number_integer(),
             what(step, body) + ": created");
  FUZZ_CHECK(out.contains("model") && out["model"].is_string(), what(step, body) + ": model");
  const auto choices = out.find("choices");
  FUZZ_CHECK(choices != out.end() && choices->is_array() && !choices->empty(),
             what(step, body) + ": choices");
  for (const Json& choice : *choices) {
    FUZZ_CHECK(choice.is_object() && choice.contains("message") && choice["message"].is_object(),
               what(step, body) + ": choice without message");
    const Json& message = choice["message"];
    const auto calls = message.find("tool_calls");
    if (calls == message.end() || calls->is_null()) continue;
    FUZZ_CHECK(calls->is_array(), what(step, body) + ": tool_calls not an array");
    for (const Json& call : *calls) {
      const auto function = call.find("function");
      FUZZ_CHECK(function != call.end() && function->is_object(), what(step, body) + ": tool call");
      const std::string* arguments = string_at(*function, "arguments");
      FUZZ_CHECK(arguments != nullptr, what(step, body) + ": arguments are not a string");
      if (tool_arguments_are_json) {
        FUZZ_CHECK(Json::parse(*arguments, nullptr, false).is_object(),
                   what(step, body) + ": arguments are not a JSON object: " + show(*arguments));
      }
    }
  }
  if (const auto usage = out.find("usage"); usage != out.end() && usage->is_object()) {
    const auto prompt = usage->find("prompt_tokens");
    const auto completion = usage->find("completion_tokens");
    if (prompt != usage->end() && completion != usage->end() && prompt->is_number_integer() &&
        completion->is_number_integer()) {
      const auto total = usage->find("total_tokens");
      FUZZ_CHECK(total != usage->end() && total->is_number_integer(),
                 what(step, body) + ": usage without total_tokens");
      // The exact sum, or LLONG_MAX / LLONG_MIN when that sum does not fit (saturation).
      const long double sum = prompt->get<long double>() + completion->get<long double>();
      const long double max = static_cast<long double>(std::numeric_limits<long long>::max());
      const long double min = static_cast<long double>(std::numeric_limits<long long>::min());
      FUZZ_CHECK(
          total->get<long double>() == std::clamp(sum, min, max),
          what(step, body) + ": total_tokens != prompt + completion: " + dump_replace(*usage));
    }
  }
  return dump_replace(*result);
}

template <class Fn>
void respond_twice(const char* step, const Json& body, bool arguments_json, Fn&& fn) {
  const auto first = no_throw(step, fn);
  const auto second = no_throw(step, fn);
  FUZZ_CHECK(check_completion(first, body, step, arguments_json) ==
                 check_completion(second, body, step, arguments_json),
             what(step, body) + ": not deterministic");
}

void check_responses(const Json& body) {
  respond_twice("from_openai", body, false, [&] { return from_openai(body, kCreated, "gpt-x"); });
  const Json plain = {{"model", "claude-x"}, {"messages", Json::array()}};
  const Json json_mode = {{"model", "claude-x"},
                          {"messages", Json::array()},
                          {"response_format", {{"type", "json_object"}}}};
  respond_twice("from_anthropic", body, true,
                [&] { return from_anthropic(body, plain, kCreated, "claude-x"); });
  respond_twice("from_anthropic(json mode)", body, true,
                [&] { return from_anthropic(body, json_mode, kCreated); });
  respond_twice("from_gemini", body, true, [&] { return from_gemini(body, "gemini-x", kCreated); });

  GeminiCallMap calls;
  const auto result = no_throw("from_gemini(calls)",
                               [&] { return from_gemini(body, "gemini-x", kCreated, &calls); });
  if (result) {
    for (const Json& choice : (*result)["choices"]) {
      const auto tool_calls = choice["message"].find("tool_calls");
      if (tool_calls == choice["message"].end() || !tool_calls->is_array()) continue;
      for (const Json& call : *tool_calls) {
        const std::string* id = string_at(call, "id");
        FUZZ_CHECK(id != nullptr && calls.count(*id) == 1,
                   what("from_gemini", body) + ": tool call missing from the call map");
      }
    }
  }
}

void check_map_error(std::string_view raw, std::uint64_t variant) {
  bool first = true;
  for (const Format format : {Format::kOpenAI, Format::kAnthropic, Format::kGemini}) {
    const int chosen = kStatuses[(variant >> 16) % std::size(kStatuses)];
    for (const int status : {chosen, format == Format::kAnthropic ? 529 : 429}) {
      const Json mapped = no_throw("map_error", [&] { return map_error(format, status, raw); });
      const auto context = [&] {
        return "map_error(" + std::string(format_name(format)) + ", " + std::to_string(status) +
               ", " + show(raw) + ")";
      };
      check_error_value(mapped, context);
      const std::string& message = mapped["error"]["message"].get_ref<const std::string&>();
      FUZZ_CHECK(is_valid_utf8(message),
                 context() + ": message is not valid UTF-8: " + show(message));
      if (first) {
        first = false;
        FUZZ_CHECK(
            dump_replace(no_throw("map_error", [&] { return map_error(format, status, raw); })) ==
                dump_replace(mapped),
            context() + ": not deterministic");
      }
    }
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void check_retry_after(std::string_view raw) {
  // "name: value" lines of the input are the response headers.
  const auto header = [raw](std::string_view name) -> std::optional<std::string> {
    std::size_t pos = 0;
    while (pos < raw.size()) {
      const std::size_t end = std::min(raw.find('\n', pos), raw.size());
      const std::string_view line = raw.substr(pos, end - pos);
      pos = end + 1;
      const std::size_t colon = line.find(':');
      if (colon != std::string_view::npos && lower(line.substr(0, colon)) == name) {
        std::string_view value = line.substr(colon + 1);
        if (!value.empty() && value.back() == '\r') value.remove_suffix(1);
        return std::string(value);
      }
    }
    return std::nullopt;
  };
  for (const long long now : {0LL, kCreated, -1LL, 253402300799LL}) {
    const auto parsed =
        no_throw("parse_retry_after", [&] { return parse_retry_after(header, raw, now); });
    if (!parsed) continue;
    FUZZ_CHECK(!std::isnan(parsed->seconds) && parsed->seconds >= 0,
               "parse_retry_after gave " + std::to_string(parsed->seconds) + " for " + show(raw));
    FUZZ_CHECK(parsed->over_cap == (parsed->seconds > kRetryAfterCapSeconds),
               "parse_retry_after over_cap inconsistent for " + show(raw));
  }
  no_throw("parse_retry_after(no headers)", [&] { return parse_retry_after(nullptr, raw, 0); });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const std::uint64_t variant = fnv1a(raw);
  check_map_error(raw, variant);
  check_retry_after(raw);
  // Parsed as the prompt tool parses a provider's body (deeper nesting is refused there).
  const Json input = lava_mcp::parse_bounded_json(raw);
  if (input.is_discarded()) return 0;
  check_requests(input, variant);
  check_responses(input);
  // Golden-style wrappers ({"request": ...} / {"body": ...}) are unwrapped too, so the seeds copied
  // from tests/golden/translators exercise the translators directly.
  if (input.is_object()) {
    if (const auto request = input.find("request"); request != input.end()) {
      check_requests(*request, variant);
    }
    if (const auto body = input.find("body"); body != input.end()) {
      check_responses(*body);
      if (body->is_string()) check_map_error(body->get_ref<const std::string&>(), variant);
    }
  }
  return 0;
}
