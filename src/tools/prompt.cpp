// The prompt tool: an OpenAI chat-completions request served by any model, translated to each
// target's native format, through an ordered fallback chain (tools.md 3.2, translation.md 9).
#include <ctime>
#include <mutex>
#include <sstream>

#include "base/base64.h"
#include "base/bounded_json.h"
#include "base/json_writer.h"
#include "base/secrets.h"
#include "base/text_basics.h"
#include "gateway/lava_api.h"
#include "gateway/prompt_routing.h"
#include "tools/all_tools.h"
#include "tools/http_body.h"
#include "tools/result_budget.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

namespace tr = translators;
using gateway::Attempt;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxResponseBytes = 16u << 20;
constexpr std::size_t kMaxImageBytes = 10u << 20;
constexpr std::size_t kMaxRememberedGeminiCalls = 4096;
// The attempt record's reason when the target does not serve the model (tools.md 3.2).
constexpr const char* kModelNotServed = "model not served";

// Gemini's tool-call facts (issued ids, thought signatures) from earlier answers, so a later
// request that replays those calls can carry them back. Bounded; shared by all calls.
class GeminiCallMemory {
 public:
  tr::GeminiCallMap snapshot() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void remember(const tr::GeminiCallMap& calls) {
    std::lock_guard lock(mutex_);
    if (calls_.size() + calls.size() > kMaxRememberedGeminiCalls) {
      calls_.clear();  // crude but bounded: old conversations lose their signatures
    }
    calls_.insert(calls.begin(), calls.end());
  }

 private:
  mutable std::mutex mutex_;
  tr::GeminiCallMap calls_;
};

struct AttemptRecord {
  Json json;             // {attempt, url, model, format, status?, error?, duration_ms}
  Json error = nullptr;  // the OpenAI error object of a failed attempt
  std::optional<tr::RetryAfter> retry_after;
};

Json attempt_json(const Attempt& attempt) {
  // Member by member: nlohmann's initializer lists copy every element once more.
  Json out = Json::object();
  out["attempt"] = attempt.number;
  out["url"] = attempt.url;
  out["model"] = attempt.model;
  out["format"] = attempt.unified ? "lava" : std::string(tr::format_name(attempt.format));
  return out;
}

Json openai_error(std::string message, std::string type, std::string code = "") {
  Json error = {{"message", std::move(message)},
                {"type", std::move(type)},
                {"param", nullptr},
                {"code", nullptr}};
  if (!code.empty()) {
    error["code"] = std::move(code);
  }
  return error;
}

Json unwrap_error(const Json& mapped) {
  return mapped.is_object() && mapped.contains("error") ? mapped["error"] : mapped;
}

std::string assistant_text(const Json& completion) {
  const auto choices = completion.find("choices");
  if (choices == completion.end() || !choices->is_array() || choices->empty()) {
    return "";
  }
  const auto found = (*choices)[0].find("message");
  if (found == (*choices)[0].end() || !found->is_object()) {
    return "";
  }
  const Json& message = *found;  // a reference, not value()'s copy
  const auto content = message.find("content");
  if (content != message.end() && content->is_string() &&
      !content->get_ref<const std::string&>().empty()) {
    return content->get<std::string>();
  }
  if (const auto calls = message.find("tool_calls"); calls != message.end() && calls->is_array()) {
    return compact_json(*calls);
  }
  return "";
}

// The first choice's message content when it is text, where the answer lives in the result.
Json* single_text_content(Json& completion) {
  const auto choices = completion.find("choices");
  if (choices == completion.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    return nullptr;
  }
  const auto message = (*choices)[0].find("message");
  if (message == (*choices)[0].end() || !message->is_object()) {
    return nullptr;
  }
  const auto content = message->find("content");
  const bool text = content != message->end() && content->is_string() &&
                    !content->get_ref<const std::string&>().empty();
  return text ? &*content : nullptr;
}

std::string summary_line(const Json& completion, const std::vector<AttemptRecord>& log,
                         const Attempt& served, std::size_t total) {
  // Appended, not streamed: an ostringstream costs a locale and several allocations per call.
  std::string line = "model ";
  const auto model = completion.find("model");
  line += model != completion.end() && model->is_string() ? model->get_ref<const std::string&>()
                                                          : served.model;
  const auto choices = completion.find("choices");
  if (choices != completion.end() && choices->is_array() && !choices->empty() &&
      (*choices)[0].is_object()) {
    line += " | finish " + (*choices)[0].value("finish_reason", Json("unknown")).dump();
  }
  if (const auto usage = completion.find("usage");
      usage != completion.end() && usage->is_object()) {
    line += " | tokens " + std::to_string(usage->value("prompt_tokens", 0)) + " in, " +
            std::to_string(usage->value("completion_tokens", 0)) + " out";
  }
  line += " | served by attempt " + std::to_string(served.number) + " of " + std::to_string(total) +
          " (" + (served.unified ? "lava" : std::string(tr::format_name(served.format))) + ", " +
          served.model + ")";
  const std::size_t failures = log.size() - 1;
  if (failures > 0) {
    line += " after " + std::to_string(failures) + (failures == 1 ? " failure" : " failures");
    line += " (";
    for (std::size_t i = 0; i + 1 < log.size(); ++i) {
      const Json& record = log[i].json;
      line += (i ? ", " : "") + record["format"].get<std::string>() + ": " +
              (record.contains("status") ? std::to_string(record["status"].get<int>())
                                         : unwrap_error(record.value("error", Json::object()))
                                               .value("code", Json("error"))
                                               .dump());
      if (record.contains("reason")) {
        line += " " + record["reason"].get<std::string>();
      }
    }
    line += ")";
  }
  return line;
}

// Downloads the https images Gemini needs inline; failures are left out (that target is then
// unsupported for the request, and the chain moves on).
// Image URLs come from the conversation: every hop is held to `policy` (https to public
// addresses unless configured), and an image that cannot be fetched is left as a URL.
tr::ImageMap fetch_images(gateway::HttpClient& http, const Json& request,
                          gateway::PeerPolicy policy, std::stop_token stop) {
  tr::ImageMap images;
  for (const std::string& url : tr::image_urls_to_inline(request)) {
    gateway::HttpRequest get;
    get.peer_policy = policy;
    get.url = url;
    get.timeout = std::chrono::seconds(10);
    get.max_response_bytes = kMaxImageBytes;
    get.max_redirects = 3;
    auto response = http.send(get, stop);
    const std::string type = response ? ascii_lower(response->header("content-type")) : "";
    if (response && response->status == 200 && !response->truncated &&
        type.rfind("image/", 0) == 0) {
      images[url] = tr::InlineImage{type.substr(0, type.find(';')), base64_encode(response->body)};
    }
  }
  return images;
}

class PromptRun {
 public:
  PromptRun(const Json& args, RequestContext& context, const ToolDeps& deps,
            GeminiCallMemory& gemini_calls)
      : args_(args), context_(context), deps_(deps), gemini_calls_(gemini_calls) {}

  ToolResult run();

 private:
  enum class Next { kStop, kContinue };
  std::variant<tr::TranslatedRequest, tr::RequestFailure> translate(const Attempt& attempt);
  Next try_attempt(const Attempt& attempt, ToolResult* result);
  ToolResult failed_result(const std::string& headline) const;
  ToolResult success(Json completion, const Attempt& attempt, const std::string& request_id);

  const Json& args_;
  RequestContext& context_;
  const ToolDeps& deps_;
  GeminiCallMemory& gemini_calls_;
  gateway::Config config_;
  ResultBudget budget_;
  std::string bearer_;
  std::vector<Attempt> attempts_;
  std::vector<AttemptRecord> log_;
  std::optional<tr::ImageMap> images_;
};

std::variant<tr::TranslatedRequest, tr::RequestFailure> PromptRun::translate(
    const Attempt& attempt) {
  switch (attempt.format) {
    case tr::Format::kAnthropic:
      return tr::to_anthropic(args_, attempt.model);
    case tr::Format::kGemini:
      if (!images_) {
        images_ =
            fetch_images(deps_.http, args_, config_.untrusted_peer_policy, context_.stop_token());
      }
      return tr::to_gemini(args_, attempt.model, *images_, gemini_calls_.snapshot());
    case tr::Format::kOpenAI:
      break;
  }
  return tr::to_openai(args_, attempt.model);
}

PromptRun::Next PromptRun::try_attempt(const Attempt& attempt, ToolResult* result) {
  const auto started = Clock::now();
  AttemptRecord record;
  record.json = attempt_json(attempt);
  const auto finish_record = [&] {
    record.json["duration_ms"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    log_.push_back(record);
  };
  auto translated = translate(attempt);
  if (auto* failure = std::get_if<tr::RequestFailure>(&translated)) {
    record.error = failure->error;
    record.json["error"] = failure->error;
    finish_record();
    if (failure->kind == tr::RequestFailure::Kind::kLocalInvalid) {
      *result = failed_result("The request is invalid (no provider was called)");
      return Next::kStop;
    }
    return Next::kContinue;  // this target cannot express the request; the next one may
  }
  gateway::HttpRequest request;
  request.method = "POST";
  request.url = attempt.unified ? config_.api_origin + "/v1/chat/completions"
                                : gateway::forward_url(config_.api_origin, attempt.target);
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + bearer_}};
  if (attempt.format == tr::Format::kAnthropic) {
    request.headers.emplace_back("anthropic-version", "2023-06-01");
  }
  request.body = compact_json(std::get<tr::TranslatedRequest>(translated).body);
  request.timeout = args_.contains("timeout_ms")
                        ? std::chrono::milliseconds(args_["timeout_ms"].get<long long>())
                        : config_.timeout;
  request.max_response_bytes = kMaxResponseBytes;
  auto response = deps_.http.send(request, context_.stop_token());
  if (!response) {
    const std::string kind = gateway::failure_kind_of(response.error());
    record.error = openai_error(response.error().message, "network_error", kind);
    record.json["error"] = record.error;
    finish_record();
    if (kind == gateway::failure_kind::kCancelled) {
      *result = ToolResult::error("cancelled");  // never sent: a cancelled call gets no reply
      return Next::kStop;
    }
    return Next::kContinue;
  }
  record.json["status"] = response->status;
  const auto header = [&](std::string_view name) {
    return gateway::find_header(response->headers, name);
  };
  if (response->status >= 200 && response->status < 300) {
    const long long created = static_cast<long long>(std::time(nullptr));
    Json body = parse_bounded_json(response->body);
    Expected<Json> completion = fail(error_code::kInternalError, "the answer is not JSON");
    if (!body.is_discarded() && !response->truncated) {
      if (attempt.format == tr::Format::kAnthropic) {
        completion = tr::from_anthropic(body, args_, created, attempt.model);
      } else if (attempt.format == tr::Format::kGemini) {
        tr::GeminiCallMap calls;
        completion = tr::from_gemini(body, attempt.model, created, &calls);
        gemini_calls_.remember(calls);
      } else {
        completion = tr::from_openai(std::move(body), created, attempt.model);
      }
    }
    if (completion) {
      finish_record();
      *result = success(std::move(*completion), attempt, response->header("x-lava-request-id"));
      return Next::kStop;
    }
    const Json& data = completion.error().data;
    record.error =
        data.is_object() && data.contains("error")
            ? data["error"]
            : openai_error("the provider's answer could not be read: " + completion.error().message,
                           "invalid_response_error");
    record.json["error"] = record.error;
    finish_record();
    return Next::kContinue;
  }
  const auto format = attempt.unified ? tr::Format::kOpenAI : attempt.format;
  record.error = unwrap_error(tr::map_error(format, response->status, response->body));
  record.json["error"] = record.error;
  record.retry_after = tr::parse_retry_after(header, response->body, std::time(nullptr));
  if (record.retry_after) {
    record.json["retry_after_s"] = record.retry_after->seconds;
  }
  const bool not_served = tr::model_not_served(response->status, record.error);
  if (not_served) {
    record.json["reason"] = kModelNotServed;
  }
  finish_record();
  if (response->status == 429 || response->status >= 500 || not_served) {
    return Next::kContinue;  // another target (and its own model) may serve the request
  }
  // Any other status is the request's fault, and would be on every provider: no fallback.
  *result = failed_result("The provider rejected the request (HTTP " +
                          std::to_string(response->status) + "); no fallback was tried");
  return Next::kStop;
}

ToolResult PromptRun::failed_result(const std::string& headline) const {
  std::ostringstream text;
  text << headline << ".";
  if (!log_.empty()) {
    const AttemptRecord& last = log_.back();
    text << " Last error: "
         << unwrap_error(last.error).value("message", Json("unknown")).get<std::string>();
    if (last.retry_after) {
      text << (last.retry_after->over_cap ? " (rate limited; retry after about "
                                          : " (rate limited; retry in ~")
           << static_cast<long long>(last.retry_after->seconds + 0.5) << " s)";
    }
  }
  Json attempts = Json::array();
  for (const auto& record : log_) {
    attempts.push_back(record.json);
  }
  text << "\nerror: " << compact_json(log_.empty() ? Json() : Json{{"error", log_.back().error}});
  text << "\nattempts: " << compact_json(attempts);
  return ToolResult::error(text.str());
}

ToolResult PromptRun::success(Json completion, const Attempt& attempt,
                              const std::string& request_id) {
  std::string summary = summary_line(completion, log_, attempt, attempts_.size());
  Payload answer;
  answer.what = "the answer";
  answer.how_to_get_more =
      "Ask for the rest in a follow-up prompt, or for a shorter answer (max_tokens).";
  Json* content = single_text_content(completion);
  if (content != nullptr) {
    // Carried once (tools/result_budget.h): taken out here, put back by place_payload.
    answer.text = std::move(content->get_ref<std::string&>());
    answer.key = "/choices/0/message/content";
    *content = nullptr;
  } else {
    answer.text = assistant_text(completion);
  }
  Json out = std::move(completion);
  Json attempts = Json::array();
  for (const auto& record : log_) {
    attempts.push_back(record.json);
  }
  Json routing = {{"served_by", attempt_json(attempt)}, {"attempts", std::move(attempts)}};
  if (!request_id.empty()) {
    routing["request_id"] = request_id;
  }
  out["routing"] = std::move(routing);
  ToolResult result =
      ToolResult::success(answer.text.empty() ? "(no text in the answer)" : "", std::move(out));
  result.add_text(std::move(summary));
  if (!answer.text.empty()) {
    place_payload(result, std::move(answer), budget_);
  }
  return result;
}

ToolResult PromptRun::run() {
  auto config = deps_.config.current();
  if (!config) {
    return ToolResult::error(config.error().message);
  }
  config_ = std::move(*config);
  budget_ = result_budget(context_, config_.result_budget_tokens);
  if (!config_.spend_key.empty()) {
    bearer_ = config_.spend_key;
  } else if (!config_.secret_key.empty()) {
    bearer_ = gateway::forward_token(config_.secret_key, {});
  } else {
    return ToolResult::error(gateway::kNotLoggedIn);
  }
  attempts_ = gateway::plan_attempts(args_, deps_.catalog, config_.api_origin);
  for (const Attempt& attempt : attempts_) {
    if (context_.stop_token().stop_requested()) {
      return ToolResult::error("cancelled");
    }
    context_.progress(attempt.number, static_cast<double>(attempts_.size()),
                      "attempt " + std::to_string(attempt.number) + " of " +
                          std::to_string(attempts_.size()) + ": " + attempt.model + " at " +
                          attempt.url);
    ToolResult result;
    if (try_attempt(attempt, &result) == Next::kStop) {
      return result;
    }
  }
  return failed_result(attempts_.size() == 1
                           ? "The attempt failed"
                           : "All " + std::to_string(attempts_.size()) + " attempts failed");
}

}  // namespace

void register_prompt(ToolRegistry& registry, const ToolDeps& deps) {
  auto gemini_calls = std::make_shared<GeminiCallMemory>();
  registry.add(ToolSpec{
      .name = "prompt",
      .title = "Prompt any model",
      .description =
          "Chat completion with any model through Lava's gateway, in OpenAI chat-completions "
          "format whatever the provider (OpenAI, Anthropic, Gemini, Mistral, xAI, DeepSeek, "
          "Groq, ...): the request is translated to the provider's native API and the answer "
          "comes back as an OpenAI chat.completion. Give model and messages, plus any OpenAI "
          "field (temperature, max_tokens, tools, response_format, ...). fallbacks lists "
          "[{url, model}] to try in order when an attempt fails with 429, 5xx, a network "
          "error or a model the target no longer serves (retired or unknown); url picks the "
          "primary endpoint (scheme-less, e.g. api.anthropic.com/v1/messages), otherwise it is "
          "chosen from the model name. Use call for non-chat APIs.",
      .input_schema = schema("prompt.input.json"),
      .output_schema = schema("prompt.output.json"),
      .annotations =
          {.read_only = false, .destructive = false, .idempotent = false, .open_world = true},
      .run =
          [deps, gemini_calls](const Json& args, RequestContext& context) {
            return PromptRun(args, context, deps, *gemini_calls).run();
          },
  });
}

}  // namespace lava_mcp::tools
