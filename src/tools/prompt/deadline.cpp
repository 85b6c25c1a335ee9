#include "tools/prompt/deadline.h"

#include <algorithm>

#include "base/bounded_json.h"

namespace lava_mcp::tools::prompt {
namespace {

namespace tr = translators;

bool is_whole_object(const Json& arguments) {
  if (!arguments.is_string()) {
    return false;
  }
  const Json parsed = parse_bounded_json(arguments.get_ref<const std::string&>());
  return !parsed.is_discarded() && parsed.is_object();
}

// Erases the elements of `array` that `incomplete` says are unfinished; returns how many.
template <typename Predicate>
std::size_t erase_incomplete(Json& array, Predicate incomplete) {
  if (!array.is_array()) {
    return 0;
  }
  const std::size_t before = array.size();
  Json kept = Json::array();
  for (Json& element : array) {
    if (!incomplete(element)) {
      kept.push_back(std::move(element));
    }
  }
  array = std::move(kept);
  return before - array.size();
}

// Anthropic: a tool_use block whose input_json_delta fragments did not join into an object
// (the decoder then keeps them as text).
std::size_t drop_anthropic(Json& body) {
  const auto content = body.find("content");
  if (content == body.end()) {
    return 0;
  }
  return erase_incomplete(*content, [](const Json& block) {
    const auto type = block.find("type");  // end() when the block is not an object
    return type != block.end() && *type == "tool_use" &&
           !(block.contains("input") && block["input"].is_object());
  });
}

// OpenAI-compatible: indexed deltas whose concatenated arguments are not yet a whole object.
std::size_t drop_openai(Json& body) {
  std::size_t dropped = 0;
  const auto choices = body.find("choices");
  if (choices == body.end() || !choices->is_array()) {
    return 0;
  }
  for (Json& choice : *choices) {
    if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object()) {
      continue;
    }
    Json& message = choice["message"];
    const auto calls = message.find("tool_calls");
    if (calls == message.end()) {
      continue;
    }
    dropped += erase_incomplete(*calls, [](const Json& call) {
      return !call.is_object() || !call.contains("function") || !call["function"].is_object() ||
             !is_whole_object(call["function"].value("arguments", Json()));
    });
    if (calls->empty()) {
      message.erase("tool_calls");
    }
  }
  return dropped;
}

bool has_answer(const Json& completion) {
  const auto choices = completion.find("choices");
  if (choices == completion.end() || !choices->is_array()) {
    return false;
  }
  return std::any_of(choices->begin(), choices->end(), [](const Json& choice) {
    const Json message = choice.is_object() ? choice.value("message", Json::object()) : Json();
    if (!message.is_object()) {
      return false;
    }
    const Json content = message.value("content", Json());
    const Json calls = message.value("tool_calls", Json());
    return (content.is_string() && !content.get_ref<const std::string&>().empty()) ||
           (calls.is_array() && !calls.empty());
  });
}

}  // namespace

Milliseconds host_default_deadline(std::string_view client_name) {
  return client_name == kClaudeCodeClient ? kClaudeCodeDeadline : kSdkHostDeadline;
}

Milliseconds call_deadline(const Json& args, std::optional<Milliseconds> configured,
                           std::string_view client_name) {
  if (const auto given = args.find("deadline_ms");
      given != args.end() && given->is_number_integer()) {
    return Milliseconds(given->get<long long>());
  }
  return configured.value_or(host_default_deadline(client_name));
}

Milliseconds CallDeadline::remaining(SteadyTime now) const {
  if (deadline_.count() <= 0) {
    return kLongestAttempt;
  }
  const auto left = std::chrono::duration_cast<Milliseconds>(start_ + deadline_ - now);
  return std::max(left, Milliseconds(0));
}

AttemptLimits CallDeadline::attempt_limits(Milliseconds idle, SteadyTime now) const {
  const Milliseconds total = remaining(now);
  return {std::min(idle, total), total};
}

std::optional<CutAnswer> cut_answer(tr::Format format, Json body,
                                    const std::function<Expected<Json>(Json)>& read) {
  CutAnswer cut;
  if (format == tr::Format::kAnthropic) {
    cut.dropped_tool_calls = drop_anthropic(body);
  } else if (format == tr::Format::kOpenAI) {
    cut.dropped_tool_calls = drop_openai(body);
  }  // Gemini sends each functionCall whole: none is ever half there
  Expected<Json> completion = read(std::move(body));
  if (!completion || !has_answer(*completion)) {
    return std::nullopt;
  }
  cut.completion = std::move(*completion);
  for (Json& choice : cut.completion["choices"]) {
    if (choice.is_object()) {
      choice["finish_reason"] = kCutFinishReason;
    }
  }
  return cut;
}

std::string cut_note(const CutAnswer& cut, Milliseconds deadline) {
  std::string note = "[cut: the call's deadline of " + std::to_string(deadline.count()) +
                     " ms came while the answer was arriving; the answer is incomplete";
  if (cut.dropped_tool_calls > 0) {
    note += ", and " + std::to_string(cut.dropped_tool_calls) +
            (cut.dropped_tool_calls == 1 ? " unfinished tool call was"
                                         : " unfinished tool calls were") +
            " dropped";
  }
  return note + ". A longer deadline_ms, or a shorter answer (max_tokens), gets a whole one]";
}

}  // namespace lava_mcp::tools::prompt
