// The fake providers' streams: each whole answer cut into the events its provider streams
// (translation.md 10, 10.1, 10.2), so a decoder that reads them rebuilds the same answer.
#include <string>
#include <vector>

#include "support/fake_providers.h"

namespace lava_mcp::testing {
namespace {

using Json = nlohmann::json;

// "Hello from Claude" -> "Hello", " from", " Claude": a piece per word, spaces kept.
std::vector<std::string> pieces(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start + 1);
    end = end == std::string::npos ? text.size() : end;
    out.push_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

std::string data(const Json& event) { return "data: " + event.dump() + "\n\n"; }
std::string named(const std::string& type, const Json& event) {
  return "event: " + type + "\n" + data(event);
}

std::vector<std::string> openai_events(const Json& answer, bool include_usage) {
  std::vector<std::string> events;
  const auto chunk = [&](Json delta, Json finish) {
    events.push_back(data(
        {{"id", answer["id"]},
         {"object", "chat.completion.chunk"},
         {"created", answer["created"]},
         {"model", answer["model"]},
         {"choices",
          {{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", std::move(finish)}}}}}));
  };
  const Json& choice = answer["choices"][0];
  const Json& message = choice["message"];
  chunk({{"role", "assistant"}, {"content", ""}}, nullptr);
  if (message["content"].is_string()) {
    for (const auto& piece : pieces(message["content"])) chunk({{"content", piece}}, nullptr);
  }
  int index = 0;
  for (const auto& call : message.value("tool_calls", Json::array())) {
    chunk({{"tool_calls",
            {{{"index", index},
              {"id", call["id"]},
              {"type", "function"},
              {"function", {{"name", call["function"]["name"]}, {"arguments", ""}}}}}}},
          nullptr);
    for (const auto& piece : pieces(call["function"]["arguments"])) {
      chunk({{"tool_calls", {{{"index", index}, {"function", {{"arguments", piece}}}}}}}, nullptr);
    }
    ++index;
  }
  chunk(Json::object(), choice["finish_reason"]);
  if (include_usage) {
    events.push_back(data({{"id", answer["id"]},
                           {"object", "chat.completion.chunk"},
                           {"created", answer["created"]},
                           {"model", answer["model"]},
                           {"choices", Json::array()},
                           {"usage", answer["usage"]}}));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

void anthropic_block(std::vector<std::string>& events, int index, const Json& block) {
  const std::string type = block["type"];
  const auto delta = [&](Json body) {
    events.push_back(
        named("content_block_delta",
              {{"type", "content_block_delta"}, {"index", index}, {"delta", std::move(body)}}));
  };
  Json start = block;
  if (type == "text") start["text"] = "";
  if (type == "thinking") start["thinking"] = "", start["signature"] = "";
  if (type == "tool_use") start["input"] = Json::object();
  events.push_back(
      named("content_block_start",
            {{"type", "content_block_start"}, {"index", index}, {"content_block", start}}));
  if (type == "text") {
    for (const auto& piece : pieces(block["text"])) {
      delta({{"type", "text_delta"}, {"text", piece}});
    }
  } else if (type == "thinking") {
    delta({{"type", "thinking_delta"}, {"thinking", block["thinking"]}});
    delta({{"type", "signature_delta"}, {"signature", block["signature"]}});
  } else if (type == "tool_use") {
    const std::string input = block["input"].dump();
    const std::size_t half = input.size() / 2;
    delta({{"type", "input_json_delta"}, {"partial_json", input.substr(0, half)}});
    delta({{"type", "input_json_delta"}, {"partial_json", input.substr(half)}});
  }
  events.push_back(named("content_block_stop", {{"type", "content_block_stop"}, {"index", index}}));
}

std::vector<std::string> anthropic_events(const Json& answer) {
  std::vector<std::string> events;
  Json start = answer;
  start["content"] = Json::array();
  start["stop_reason"] = nullptr;
  start["usage"]["output_tokens"] = 1;  // message_start's usage is provisional
  events.push_back(named("message_start", {{"type", "message_start"}, {"message", start}}));
  events.push_back(named("ping", {{"type", "ping"}}));
  int index = 0;
  for (const auto& block : answer["content"]) anthropic_block(events, index++, block);
  events.push_back(
      named("message_delta",
            {{"type", "message_delta"},
             {"delta", {{"stop_reason", answer["stop_reason"]}, {"stop_sequence", nullptr}}},
             {"usage", {{"output_tokens", answer["usage"]["output_tokens"]}}}}));
  events.push_back(named("message_stop", {{"type", "message_stop"}}));
  return events;
}

// A chunk per piece of each part, candidate by candidate; each candidate's finishReason rides on
// its last chunk, the usage on the very last (Gemini sends no [DONE]).
std::vector<std::string> gemini_events(const Json& answer) {
  std::vector<Json> chunks;
  for (const auto& candidate : answer["candidates"]) {
    const std::size_t first = chunks.size();
    for (const auto& part : candidate["content"]["parts"]) {
      std::vector<Json> split;
      if (part.contains("text")) {
        for (const auto& piece : pieces(part["text"])) {
          Json one = part;
          one["text"] = piece;
          split.push_back(one);
        }
      } else {
        split.push_back(part);
      }
      for (auto& one : split) {
        chunks.push_back({{"candidates",
                           {{{"content", {{"role", "model"}, {"parts", {one}}}},
                             {"index", candidate["index"]}}}},
                          {"modelVersion", answer["modelVersion"]},
                          {"responseId", answer["responseId"]}});
      }
    }
    if (chunks.size() == first) {  // no parts at all: one chunk carries the end
      chunks.push_back({{"candidates", {{{"index", candidate["index"]}}}}});
    }
    chunks.back()["candidates"][0]["finishReason"] = candidate["finishReason"];
  }
  chunks.back()["usageMetadata"] = answer["usageMetadata"];
  std::vector<std::string> events;
  for (const auto& chunk : chunks) events.push_back(data(chunk));
  return events;
}

}  // namespace

bool wants_stream(Provider provider, const Json& body, const std::string& target) {
  if (provider == Provider::kGemini) {
    return target.find(":streamGenerateContent") != std::string::npos;
  }
  return body.is_object() && body.value("stream", false) == true;
}

std::vector<std::string> stream_events(Provider provider, const Json& answer, bool include_usage) {
  switch (provider) {
    case Provider::kAnthropic:
      return anthropic_events(answer);
    case Provider::kGemini:
      return gemini_events(answer);
    default:
      return openai_events(answer, include_usage);
  }
}

}  // namespace lava_mcp::testing
