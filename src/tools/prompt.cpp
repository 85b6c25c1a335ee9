// The prompt tool: an OpenAI chat-completions request served by any model, translated to each
// target's native format, through an ordered fallback chain (tools.md 3.2, translation.md 9).
#include <algorithm>
#include <ctime>
#include <sstream>

#include "base/bounded_json.h"
#include "base/json_writer.h"
#include "base/log.h"
#include "base/secrets.h"
#include "base/utf8.h"
#include "gateway/credential_route.h"
#include "gateway/lava_api.h"
#include "gateway/lava_refusal.h"
#include "gateway/prompt_routing.h"
#include "tools/all_tools.h"
#include "tools/prompt/attempt_stream.h"
#include "tools/prompt/deadline.h"
#include "tools/prompt/format_adapter.h"
#include "tools/prompt/prompt_progress.h"
#include "tools/result_budget.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

namespace tr = translators;
using gateway::Attempt;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxResponseBytes = 16u << 20;
// The attempt record's reason when the target does not serve the model (tools.md 3.2).
constexpr const char* kModelNotServed = "model not served";
constexpr const char* kNotAllowedForKey = "not allowed for the spend key";
// Asking Lava which models the key may use, after it refused one: short, it only adds to a fix.
constexpr std::chrono::milliseconds kKeyModelsBudget{3000};
constexpr std::size_t kKeyModelsShown = 12;
// The error code of an attempt the call's deadline ended (tools.md 3.2).
constexpr const char* kDeadlineCode = "deadline";

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

// The reasoning stays in structuredContent: the text says only how long it is, since it would
// cost the caller's context (translation.md 13.2).
std::string reasoning_note(const Json& completion) {
  const auto choices = completion.find("choices");
  if (choices == completion.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    return "";
  }
  const auto message = (*choices)[0].find("message");
  if (message == (*choices)[0].end() || !message->is_object()) {
    return "";
  }
  const auto reasoning = message->find("reasoning_content");
  if (reasoning == message->end() || !reasoning->is_string()) {
    return "";
  }
  const std::string& text = reasoning->get_ref<const std::string&>();
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size();
       i += std::max<std::size_t>(1, utf8_sequence_length(text, i))) {
    ++characters;
  }
  return " | reasoning: " + std::to_string(characters) + " characters";
}

// How a rate-limited attempt's Retry-After reads in a text block (translation.md 9.2): over the
// 60 s cap it is not worth waiting for, and the text says so.
std::string retry_after_note(const AttemptRecord& record) {
  if (!record.retry_after) {
    return "";
  }
  const std::string seconds =
      std::to_string(static_cast<long long>(record.retry_after->seconds + 0.5));
  return record.retry_after->over_cap
             ? " retry after " + seconds + " s, over the 60 s cap: not worth waiting"
             : " retry in ~" + seconds + " s";
}

// A usage count as the provider gave it (the usage is passed on as it came, so a count may be
// null, a string or missing): "?" unless it is an integer.
std::string count_text(const Json& usage, const char* key) {
  const auto count = usage.find(key);
  return count != usage.end() && count->is_number_integer() ? count->dump() : "?";
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
    line += " | tokens " + count_text(*usage, "prompt_tokens") + " in, " +
            count_text(*usage, "completion_tokens") + " out";
    const Json details = usage->value("completion_tokens_details", Json::object());
    if (details.is_object() && details.contains("reasoning_tokens")) {
      line += " (" + details["reasoning_tokens"].dump() + " reasoning)";
    }
  }
  line += reasoning_note(completion);
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
      if (log[i].retry_after && log[i].retry_after->over_cap) {
        line += retry_after_note(log[i]);  // a shorter wait is no news once another served
      }
    }
    line += ")";
  }
  return line;
}

// One attempt's end: what the fallback rule reads, and the answer when it served.
struct AttemptEnd {
  gateway::AttemptOutcome outcome;
  Json completion;
  std::string request_id;
  std::string lava_refusal;  // the headline when Lava itself refused
  // kServed by the part of a stream that arrived before the call's deadline (translation.md
  // 10.5); `completion` is then cut->completion.
  std::optional<prompt::CutAnswer> cut;
};

AttemptEnd ended(gateway::AttemptOutcome::Kind kind) {
  AttemptEnd end;
  end.outcome.kind = kind;
  return end;
}

void set_error(AttemptRecord& record, Json error) {
  record.json["error"] = error;
  record.error = std::move(error);
}

class PromptRun {
 public:
  PromptRun(const Json& args, RequestContext& context, const ToolDeps& deps,
            const prompt::FormatAdapters& adapters,
            gateway::ForwardCredentialMemory& forward_memory)
      : args_(args),
        context_(context),
        deps_(deps),
        adapters_(adapters),
        forward_memory_(forward_memory) {}

  ToolResult run();

 private:
  ToolResult run_attempts();
  AttemptEnd try_attempt(const Attempt& attempt);
  AttemptEnd exchange(const Attempt& attempt, AttemptRecord& record,
                      std::chrono::steady_clock::time_point started);
  gateway::HttpRequest http_request(const Attempt& attempt, const std::string& target,
                                    const prompt::FormatAdapter& adapter, const Json& body) const;
  Expected<gateway::HttpResponse> send_with_route(const Attempt& attempt,
                                                  const gateway::HttpRequest& request,
                                                  AttemptRecord& record);
  AttemptEnd read_answer(prompt::FormatAdapter& adapter, const Attempt& attempt,
                         const gateway::HttpResponse& response, prompt::AttemptStream& stream,
                         AttemptRecord& record);
  AttemptEnd refused(const prompt::FormatAdapter& adapter, const gateway::HttpResponse& response,
                     AttemptRecord& record) const;
  ToolResult conclude(AttemptEnd end, const Attempt& attempt);
  ToolResult failed_result(const std::string& headline) const;
  ToolResult deadline_result(std::size_t attempts_begun) const;
  ToolResult success(Json completion, const Attempt& attempt, const std::string& request_id,
                     const std::optional<prompt::CutAnswer>& cut);
  void note_deadline_cut(const AttemptEnd& end, AttemptRecord& record) const;
  std::string unlisted_model_note(const std::string& model) const;
  std::string key_models_note() const;
  std::optional<AttemptEnd> cut_by_deadline(prompt::FormatAdapter& adapter, const Attempt& attempt,
                                            const prompt::AttemptStream& stream) const;

  const Json& args_;
  RequestContext& context_;
  const ToolDeps& deps_;
  const prompt::FormatAdapters& adapters_;
  gateway::ForwardCredentialMemory& forward_memory_;
  gateway::Config config_;
  ResultBudget budget_;
  std::vector<Attempt> attempts_;
  std::vector<AttemptRecord> log_;
  std::optional<prompt::CallResources> resources_;
  std::optional<prompt::PromptProgress> progress_;
  std::optional<prompt::CallDeadline> deadline_;
};

long long ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

// What the next progress message says of an attempt that failed: its status or error.
std::string why_failed(const AttemptRecord& record) {
  const Json& json = record.json;
  std::string why = "attempt " + std::to_string(json["attempt"].get<int>()) + " (" +
                    json["model"].get<std::string>() + ") failed";
  if (json.contains("status")) {
    why += ": HTTP " + std::to_string(json["status"].get<int>());
  }
  const std::string message = unwrap_error(record.error).value("message", "");
  if (!message.empty()) {
    why += (json.contains("status") ? ", " : ": ") + std::string(utf8_prefix(message, 160));
  }
  if (json.contains("reason")) {
    why += " (" + json["reason"].get<std::string>() + ")";
  }
  return why;
}

AttemptEnd PromptRun::try_attempt(const Attempt& attempt) {
  const auto started = Clock::now();
  AttemptRecord record;
  record.json = attempt_json(attempt);
  AttemptEnd end = exchange(attempt, record, started);
  note_deadline_cut(end, record);
  record.json["duration_ms"] = ms_between(started, Clock::now());
  log_.push_back(std::move(record));
  return end;
}

// An attempt that timed out once the call's deadline had passed was cut by the deadline, not by
// the upstream: its record says so, and the chain ends.
void PromptRun::note_deadline_cut(const AttemptEnd& end, AttemptRecord& record) const {
  if (end.cut) {
    record.json["cut_by_deadline"] = true;
    return;
  }
  const bool timed_out = end.outcome.kind == gateway::AttemptOutcome::Kind::kNetworkFailure &&
                         unwrap_error(record.error).value("code", Json()) ==
                             std::string(gateway::failure_kind::kTimeout);
  if (!timed_out || !deadline_->reached(Clock::now())) {
    return;
  }
  record.json["cut_by_deadline"] = true;
  set_error(record, openai_error("cut by the call's deadline of " +
                                     std::to_string(deadline_->deadline().count()) +
                                     " ms before any answer arrived",
                                 "network_error", kDeadlineCode));
}

AttemptEnd PromptRun::exchange(const Attempt& attempt, AttemptRecord& record,
                               Clock::time_point started) {
  using Kind = gateway::AttemptOutcome::Kind;
  prompt::FormatAdapter& adapter = adapters_.for_format(attempt.format);
  auto built = adapter.build_request(args_, attempt.model, *resources_);
  if (auto* failure = std::get_if<tr::RequestFailure>(&built)) {
    set_error(record, failure->error);
    return ended(failure->kind == tr::RequestFailure::Kind::kLocalInvalid ? Kind::kInvalidRequest
                                                                          : Kind::kInexpressible);
  }
  // What the target could not take as given, named in the attempt record (translation.md 3.2).
  auto& notes = std::get<tr::TranslatedRequest>(built).notes;
  if (std::string note = unlisted_model_note(attempt.model); !note.empty()) {
    notes.push_back(std::move(note));
  }
  for (const std::string& note : notes) {
    log::info("prompt", "attempt " + std::to_string(attempt.number) + ": " + note);
  }
  if (!notes.empty()) {
    record.json["notes"] = notes;
  }
  // Every attempt streams (translation.md 10); what arrives is progress until the body ends.
  Json& body = std::get<tr::TranslatedRequest>(built).body;
  std::string target = attempt.target;
  adapter.ask_for_stream(body, target);
  prompt::AttemptStream stream(adapter.stream_decoder(),
                               [this](std::size_t characters, std::size_t thinking) {
                                 progress_->received(characters, thinking);
                               });
  gateway::HttpRequest request = http_request(attempt, target, adapter, body);
  request.stream = &stream.body_stream();
  auto response = send_with_route(attempt, request, record);
  if (const auto first_byte = stream.first_byte()) {
    record.json["first_byte_ms"] = ms_between(started, *first_byte);
  }
  if (!response) {
    const std::string kind = gateway::failure_kind_of(response.error());
    if (kind == gateway::failure_kind::kTimeout && stream.streamed() &&
        deadline_->reached(Clock::now())) {
      if (auto cut = cut_by_deadline(adapter, attempt, stream)) {
        return std::move(*cut);  // the text so far, marked as cut (translation.md 10.5)
      }
    }
    std::string message = response.error().message;
    if (stream.streamed()) {  // a stream that broke: nothing of it is kept (10.5)
      message = "the stream failed after " + std::to_string(stream.characters()) +
                " characters of answer: " + message;
    }
    set_error(record, openai_error(std::move(message), "network_error", kind));
    return ended(kind == gateway::failure_kind::kCancelled ? Kind::kCancelled
                                                           : Kind::kNetworkFailure);
  }
  record.json["status"] = response->status;
  if (response->status >= 200 && response->status < 300) {
    return read_answer(adapter, attempt, *response, stream, record);
  }
  return refused(adapter, *response, record);
}

gateway::HttpRequest PromptRun::http_request(const Attempt& attempt, const std::string& target,
                                             const prompt::FormatAdapter& adapter,
                                             const Json& body) const {
  gateway::HttpRequest request;
  request.method = "POST";
  request.url = attempt.unified ? config_.api_origin + "/v1/chat/completions"
                                : gateway::forward_url(config_.api_origin, target);
  request.headers = {{"Content-Type", "application/json"}};  // Authorization: send_with_route
  adapter.add_headers(request.headers);
  request.body = compact_json(body);
  const auto idle = args_.contains("timeout_ms")
                        ? std::chrono::milliseconds(args_["timeout_ms"].get<long long>())
                        : config_.timeout;
  const prompt::AttemptLimits limits = deadline_->attempt_limits(idle, Clock::now());
  request.timeout = limits.total;
  request.idle_timeout = limits.idle;
  request.max_response_bytes = kMaxResponseBytes;
  return request;
}

// Sends `request` with the attempt's credentials in order (gateway/credential_route.h): a
// forward token once more when Lava refused the spend key, remembered for the process when the
// token got past Lava. The record says which credential the answer came with.
Expected<gateway::HttpResponse> PromptRun::send_with_route(const Attempt& attempt,
                                                           const gateway::HttpRequest& request,
                                                           AttemptRecord& record) {
  const auto route = gateway::credentials_for(
      attempt.unified, {!config_.spend_key.empty(), !config_.secret_key.empty()}, forward_memory_);
  Expected<gateway::HttpResponse> response =
      fail(error_code::kInvalidRequest, gateway::kNotLoggedIn);
  for (std::size_t i = 0; i < route.size(); ++i) {
    gateway::HttpRequest sent = request;
    sent.headers.emplace_back("Authorization",
                              "Bearer " + (route[i] == gateway::Credential::kSpendKey
                                               ? config_.spend_key
                                               : gateway::forward_token(config_.secret_key, {})));
    response = deps_.http.send(sent, context_.stop_token());
    record.json["auth"] = gateway::credential_name(route[i]);
    if (!response) {
      break;
    }
    if (i > 0 && response->status != 401 && response->status != 403) {
      forward_memory_.remember_spend_key_refused();
      log::info("prompt",
                "Lava refused the spend key on /v1/forward and took a forward token: forward "
                "uses the token from now on");
    }
    const auto refusal = gateway::classify_lava_refusal(
        response->status, response->body,
        [&](std::string_view name) { return response->header(name); }, config_.app_origin);
    if (i + 1 == route.size() || !gateway::falls_back_to_token(response->status, refusal)) {
      break;
    }
    record.json["spend_key_refused"] = response->status;
  }
  return response;
}

// The provider's whole body of a 2xx answer: rebuilt from its stream, or sent whole.
Expected<Json> answer_body(const gateway::HttpResponse& response, prompt::AttemptStream& stream) {
  if (response.truncated) {
    return fail(error_code::kInternalError,
                "the answer exceeds " + std::to_string(kMaxResponseBytes >> 20) + " MiB");
  }
  if (stream.streamed()) {
    return stream.finish();
  }
  Json body = parse_bounded_json(response.body);
  if (body.is_discarded()) {
    return fail(error_code::kInternalError, "the answer is not JSON");
  }
  return body;
}

// The deadline ended this attempt while it streamed: what arrived, as a served answer marked cut;
// nullopt when no text or whole tool call had arrived.
std::optional<AttemptEnd> PromptRun::cut_by_deadline(prompt::FormatAdapter& adapter,
                                                     const Attempt& attempt,
                                                     const prompt::AttemptStream& stream) const {
  const long long created = static_cast<long long>(std::time(nullptr));
  auto cut = prompt::cut_answer(attempt.format, stream.partial_body(), [&](Json body) {
    return adapter.read_response(std::move(body), args_, attempt.model, created);
  });
  if (!cut) {
    return std::nullopt;
  }
  AttemptEnd served = ended(gateway::AttemptOutcome::Kind::kServed);
  served.completion = cut->completion;
  served.cut = std::move(cut);
  return served;
}

AttemptEnd PromptRun::read_answer(prompt::FormatAdapter& adapter, const Attempt& attempt,
                                  const gateway::HttpResponse& response,
                                  prompt::AttemptStream& stream, AttemptRecord& record) {
  using Kind = gateway::AttemptOutcome::Kind;
  const long long created = static_cast<long long>(std::time(nullptr));
  Expected<Json> body = answer_body(response, stream);
  Expected<Json> completion =
      body ? adapter.read_response(std::move(*body), args_, attempt.model, created)
           : fail(body.error());
  if (completion) {
    AttemptEnd served = ended(Kind::kServed);
    served.completion = std::move(*completion);
    served.request_id = response.header("x-lava-request-id");
    return served;
  }
  const Json& data = completion.error().data;
  set_error(record, data.is_object() && data.contains("error")
                        ? data["error"]
                        : openai_error("the provider's answer could not be read: " +
                                           completion.error().message,
                                       "invalid_response_error"));
  return ended(Kind::kUnreadableAnswer);
}

AttemptEnd PromptRun::refused(const prompt::FormatAdapter& adapter,
                              const gateway::HttpResponse& response, AttemptRecord& record) const {
  const auto refusal = gateway::classify_lava_refusal(
      response.status, response.body, [&](std::string_view name) { return response.header(name); },
      config_.app_origin);
  if (refusal) {  // Lava's own, not the provider's: said so, with the fix
    AttemptEnd end = ended(gateway::AttemptOutcome::Kind::kRefused);
    end.outcome.status = response.status;
    end.outcome.lava_refused = true;
    end.outcome.lava_refusal_per_model = !refusal->stops_chain;
    end.lava_refusal = gateway::describe_refusal(response.status, *refusal);
    if (refusal->kind == gateway::LavaRefusalKind::kNotAllowed) {
      end.lava_refusal += key_models_note();
    }
    set_error(record,
              openai_error(end.lava_refusal, "lava_refusal", std::to_string(response.status)));
    record.json["refused_by"] = "lava";
    if (!refusal->stops_chain) {
      record.json["reason"] = kNotAllowedForKey;
    }
    return end;
  }
  set_error(record, unwrap_error(tr::map_error(adapter.format(), response.status, response.body)));
  const auto header = [&](std::string_view name) {
    return gateway::find_header(response.headers, name);
  };
  record.retry_after = tr::parse_retry_after(header, response.body, std::time(nullptr));
  if (record.retry_after) {
    record.json["retry_after_s"] = record.retry_after->seconds;
    if (record.retry_after->over_cap) {
      record.json["retry_after_over_cap"] = true;  // not worth waiting (translation.md 9.2)
    }
  }
  AttemptEnd end = ended(gateway::AttemptOutcome::Kind::kRefused);
  end.outcome.status = response.status;
  end.outcome.model_not_served = tr::model_not_served(response.status, record.error);
  if (end.outcome.model_not_served) {
    record.json["reason"] = kModelNotServed;
  }
  return end;
}

// A model the key's list (when this process already has it: no request for it here) does not
// name. Only a note: the list may name a model by another id than the caller's, so the attempt
// still goes out and Lava decides.
std::string PromptRun::unlisted_model_note(const std::string& model) const {
  const auto listed = deps_.key_models.kept(config_.api_origin, gateway::model_list_key(config_));
  if (!listed || listed->empty() || gateway::lists_model(*listed, model)) {
    return "";
  }
  return model + " is not among the " + std::to_string(listed->size()) +
         " models Lava lists for this key (GET /v1/models): Lava may refuse it";
}

// After Lava refused a model for the key: the models the key may use, so the fix can be acted
// on at once. Asked within kKeyModelsBudget and the call's deadline; "" when Lava did not say.
std::string PromptRun::key_models_note() const {
  const auto now = Clock::now();
  const auto budget = std::min<Clock::duration>(kKeyModelsBudget, deadline_->remaining(now));
  const auto listed = deps_.key_models.fetch(config_.api_origin, gateway::model_list_key(config_),
                                             now + budget, context_.stop_token());
  if (!listed || listed->empty()) {
    return "";
  }
  std::string note = ". The key may use " + std::to_string(listed->size()) +
                     (listed->size() == 1 ? " model" : " models") + " (GET /v1/models): ";
  const std::size_t shown = std::min(listed->size(), kKeyModelsShown);
  for (std::size_t i = 0; i < shown; ++i) {
    note += (i > 0 ? ", " : "") + (*listed)[i].first;
  }
  return note + (shown < listed->size() ? ", ..." : "");
}

// The call's result once an attempt ended it (the fallback rule did not move on).
ToolResult PromptRun::conclude(AttemptEnd end, const Attempt& attempt) {
  using Kind = gateway::AttemptOutcome::Kind;
  switch (end.outcome.kind) {
    case Kind::kServed:
      return success(std::move(end.completion), attempt, end.request_id, end.cut);
    case Kind::kInvalidRequest:
      return failed_result("The request is invalid (no provider was called)");
    case Kind::kCancelled:
      return ToolResult::error("cancelled");  // never sent: a cancelled call gets no reply
    case Kind::kRefused:
      if (end.outcome.lava_refused) {
        return failed_result(end.lava_refusal +
                             "; no fallback was tried: every attempt would meet the same refusal");
      }
      [[fallthrough]];
    default:
      return failed_result("The provider rejected the request (HTTP " +
                           std::to_string(end.outcome.status) + "); no fallback was tried");
  }
}

ToolResult PromptRun::failed_result(const std::string& headline) const {
  std::ostringstream text;
  text << headline << ".";
  if (!log_.empty()) {
    const AttemptRecord& last = log_.back();
    text << " Last error: "
         << unwrap_error(last.error).value("message", Json("unknown")).get<std::string>();
    if (last.retry_after) {
      text << " (rate limited;" << retry_after_note(last) << ")";
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

// The call's deadline passed before any answer: which attempts ran, which it cut, which never
// began, with the attempt log.
ToolResult PromptRun::deadline_result(std::size_t attempts_begun) const {
  std::string headline = "The call's deadline of " + std::to_string(deadline_->deadline().count()) +
                         " ms passed before any answer";
  if (!log_.empty() && log_.back().json.value("cut_by_deadline", false)) {
    headline += "; it cut attempt " + std::to_string(log_.back().json["attempt"].get<int>()) +
                " of " + std::to_string(attempts_.size());
  }
  if (attempts_begun < attempts_.size()) {
    headline += attempts_begun + 1 == attempts_.size()
                    ? "; attempt " + std::to_string(attempts_.size()) + " was not tried"
                    : "; attempts " + std::to_string(attempts_begun + 1) + " to " +
                          std::to_string(attempts_.size()) + " were not tried";
  }
  return failed_result(headline + " (a longer deadline_ms gives the chain more time)");
}

ToolResult PromptRun::success(Json completion, const Attempt& attempt,
                              const std::string& request_id,
                              const std::optional<prompt::CutAnswer>& cut) {
  std::string summary = summary_line(completion, log_, attempt, attempts_.size());
  if (cut) {  // where every host's model reads it, before the summary
    summary = prompt::cut_note(*cut, deadline_->deadline()) + "\n" + summary;
  }
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
  Json served_by = attempt_json(attempt);
  if (const auto auth = log_.back().json.find("auth"); auth != log_.back().json.end()) {
    served_by["auth"] = *auth;
  }
  Json routing = {{"served_by", std::move(served_by)}, {"attempts", std::move(attempts)}};
  if (!request_id.empty()) {
    routing["request_id"] = request_id;
  }
  if (cut) {
    routing["cut_by_deadline"] = true;
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
  if (config_.spend_key.empty() && config_.secret_key.empty()) {
    return ToolResult::error(gateway::kNotLoggedIn);
  }
  deadline_.emplace(Clock::now(),
                    prompt::call_deadline(args_, config_.deadline, context_.client_name()));
  resources_.emplace(args_, deps_.http, config_.untrusted_peer_policy, context_.stop_token());
  attempts_ = gateway::plan_attempts(args_, deps_.catalog(), config_.api_origin);
  progress_.emplace(context_, attempts_.size());
  ToolResult result = run_attempts();
  progress_->quiet_before_response();
  return result;
}

ToolResult PromptRun::run_attempts() {
  for (const Attempt& attempt : attempts_) {
    if (context_.stop_token().stop_requested()) {
      return ToolResult::error("cancelled");
    }
    if (deadline_->reached(Clock::now())) {
      return deadline_result(log_.size());
    }
    progress_->attempt_started(attempt, log_.empty() ? "" : why_failed(log_.back()));
    AttemptEnd end = try_attempt(attempt);
    if (!gateway::moves_on(end.outcome)) {
      return conclude(std::move(end), attempt);
    }
    if (log_.back().json.value("cut_by_deadline", false)) {
      return deadline_result(log_.size());
    }
  }
  return failed_result(attempts_.size() == 1
                           ? "The attempt failed"
                           : "All " + std::to_string(attempts_.size()) + " attempts failed");
}

}  // namespace

void register_prompt(ToolRegistry& registry, const ToolDeps& deps) {
  auto adapters = std::make_shared<prompt::FormatAdapters>();
  auto forward_memory = std::make_shared<gateway::ForwardCredentialMemory>();
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
          [deps, adapters, forward_memory](const Json& args, RequestContext& context) {
            return PromptRun(args, context, deps, *adapters, *forward_memory).run();
          },
  });
}

}  // namespace lava_mcp::tools
