// Focused translator tests where goldens are awkward: malformed input never throws (mutation and
// truncation loops), round trips across calls (Gemini call map, forced JSON tool), determinism.
#include "translators/translators.h"

#include <doctest/doctest.h>

#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "base/utf8.h"

namespace lava_mcp::translators {
namespace {

using nlohmann::json;

const json kRichRequest = json::parse(R"({
  "model": "m", "fallbacks": [{"url": "u", "model": "m2"}], "stream": true,
  "messages": [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": [
      {"type": "text", "text": "Look"},
      {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
      {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}},
      {"type": "input_audio", "input_audio": {"data": "SUQz", "format": "mp3"}},
      {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBERi0="}}]},
    {"role": "assistant", "content": "Checking.", "tool_calls": [
      {"id": "call_1", "type": "function",
       "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
      {"id": "call_2", "type": "function", "function": {"name": "get_time", "arguments": ""}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
    {"role": "tool", "tool_call_id": "call_2", "content": [{"type": "text", "text": "noon"}]},
    {"role": "user", "content": "thanks"}],
  "tools": [
    {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
      "properties": {"city": {"type": ["string", "null"], "$ref": "#/$defs/City"}},
      "$defs": {"City": {"type": "string"}}}}},
    {"type": "function", "function": {"name": "get_time"}}],
  "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
  "response_format": {"type": "json_schema",
                      "json_schema": {"name": "x", "schema": {"type": "object"}}},
  "stop": ["\n", "END"], "user": "u", "temperature": 1.5, "top_p": 0.5, "n": 1, "seed": 3,
  "max_tokens": 10, "max_completion_tokens": 20, "parallel_tool_calls": false
})");

const std::vector<json> kReplacements = {nullptr,
                                         json(0),
                                         json(-1),
                                         json(1e300),
                                         json("x"),
                                         json(""),
                                         json::array(),
                                         json::object(),
                                         json(true),
                                         json::array({nullptr}),
                                         json{{"type", nullptr}}};

// Calls `visit` with a copy of `root` mutated at every node, for every replacement and also
// with the node removed.
void for_each_mutation(const json& root, const std::function<void(const json&)>& visit) {
  const json flat = root.flatten();
  std::set<std::string> paths;
  for (const auto& [path, value] : flat.items()) {
    json::json_pointer pointer(path);
    while (!pointer.empty()) {  // every ancestor too, so whole objects and arrays get replaced
      paths.insert(pointer.to_string());
      pointer = pointer.parent_pointer();
    }
  }
  for (const std::string& path : paths) {
    const json::json_pointer pointer(path);
    for (const json& replacement : kReplacements) {
      json mutated = root;
      mutated[pointer] = replacement;
      visit(mutated);
    }
    json removed = root;
    json& parent = removed[pointer.parent_pointer()];
    if (parent.is_object()) {
      parent.erase(pointer.back());
    } else if (parent.is_array()) {
      parent.erase(std::stoul(pointer.back()));
    }
    visit(removed);
  }
}

void check_failure_shape(const RequestResult& result) {
  if (const auto* failure = std::get_if<RequestFailure>(&result)) {
    REQUIRE(failure->error.is_object());
    CHECK(failure->error.at("message").is_string());
    CHECK(failure->error.at("type") == "invalid_request_error");
    CHECK((failure->error.at("param").is_null() || failure->error.at("param").is_string()));
  } else {
    CHECK_NOTHROW((void)std::get<TranslatedRequest>(result).body.dump());
  }
}

TEST_CASE("translators: mutated requests never throw and fail with an OpenAI error") {
  const ImageMap images = {{"https://example.com/cat.jpg", {"image/jpeg", "AAAA"}}};
  int runs = 0;
  for_each_mutation(kRichRequest, [&](const json& request) {
    ++runs;
    CHECK_NOTHROW(check_failure_shape(to_anthropic(request, "claude-sonnet-4-5")));
    CHECK_NOTHROW(check_failure_shape(to_anthropic(request, "claude-x")));
    CHECK_NOTHROW(check_failure_shape(to_gemini(request, "gemini-2.0-flash", images)));
    CHECK_NOTHROW(check_failure_shape(to_gemini(request, "gemini-3-pro-preview", images)));
    CHECK_NOTHROW(check_failure_shape(to_openai(request, "gpt-4o")));
    CHECK_NOTHROW((void)image_urls_to_inline(request));
  });
  CHECK(runs > 500);
}

TEST_CASE("translators: truncated request text never throws") {
  const std::string text = kRichRequest.dump();
  for (std::size_t length = 0; length < text.size(); length += 7) {
    const json request = json::parse(text.substr(0, length), nullptr, false);
    CHECK_NOTHROW(check_failure_shape(to_anthropic(request, "claude-x")));
    CHECK_NOTHROW(check_failure_shape(to_gemini(request, "gemini-2.5-flash", {})));
  }
}

TEST_CASE("translators: the rich request translates, and a local 400 names its path") {
  json without_audio = kRichRequest;
  without_audio["messages"][1]["content"].erase(3);  // Anthropic takes no input_audio
  REQUIRE(std::holds_alternative<TranslatedRequest>(to_anthropic(without_audio, "claude-x")));
  const auto audio = to_anthropic(kRichRequest, "claude-x");
  REQUIRE(std::holds_alternative<RequestFailure>(audio));
  CHECK(std::get<RequestFailure>(audio).kind == RequestFailure::Kind::kUnsupported);
  CHECK(std::get<RequestFailure>(audio).error.at("param") == "messages[1].content[3]");
  const ImageMap images = {{"https://example.com/cat.jpg", {"image/jpeg", "AAAA"}}};
  REQUIRE(std::holds_alternative<TranslatedRequest>(
      to_gemini(kRichRequest, "gemini-2.0-flash", images)));
  json bad = kRichRequest;
  bad["messages"][2]["content"] = 42;
  const auto result = to_anthropic(bad, "claude-x");
  REQUIRE(std::holds_alternative<RequestFailure>(result));
  const auto& failure = std::get<RequestFailure>(result);
  CHECK(failure.kind == RequestFailure::Kind::kLocalInvalid);
  CHECK(failure.error.at("param") == "messages[2].content");
}

const json kAnthropicAnswer = json::parse(R"({
  "id": "msg_1", "type": "message", "model": "claude-x", "stop_reason": "tool_use",
  "content": [{"type": "text", "text": "hi"},
              {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"a": 1}}],
  "usage": {"input_tokens": 3, "output_tokens": 4, "cache_read_input_tokens": 1}})");
const json kGeminiAnswer = json::parse(R"({
  "candidates": [{"content": {"parts": [
                    {"text": "hi"},
                    {"functionCall": {"name": "f", "args": {"a": 1}}, "thoughtSignature": "s"}]},
                  "finishReason": "STOP", "index": 0}],
  "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 4},
  "modelVersion": "gemini-x"})");
const json kOpenAIAnswer = json::parse(R"({
  "id": "c", "object": "chat.completion", "created": 1, "model": "m",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": null,
    "tool_calls": [{"id": "t", "type": "function", "function": {"name": "f", "arguments": ""}}]},
    "finish_reason": "tool_calls"}],
  "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}})");

void check_completion_or_error(const Expected<json>& result) {
  if (result) {
    CHECK(result->at("object") == "chat.completion");
    CHECK(result->at("choices").is_array());
    CHECK_NOTHROW((void)result->dump());
  } else {
    CHECK(result.error().data.at("error").at("message").is_string());
  }
}

TEST_CASE("translators: mutated responses never throw") {
  const json request = {{"model", "m"},
                        {"messages", json::array({{{"role", "user"}, {"content", "hi"}}})},
                        {"response_format", {{"type", "json_object"}}}};
  for_each_mutation(kAnthropicAnswer, [&](const json& body) {
    CHECK_NOTHROW(check_completion_or_error(from_anthropic(body, request, 5)));
  });
  for_each_mutation(kGeminiAnswer, [&](const json& body) {
    GeminiCallMap calls;
    CHECK_NOTHROW(check_completion_or_error(from_gemini(body, "g", 5, &calls)));
  });
  for_each_mutation(kOpenAIAnswer, [&](const json& body) {
    CHECK_NOTHROW(check_completion_or_error(from_openai(body, 5, "m")));
  });
  for_each_mutation(request, [&](const json& mutated_request) {
    CHECK_NOTHROW(check_completion_or_error(from_anthropic(kAnthropicAnswer, mutated_request, 5)));
  });
}

TEST_CASE("translators: usage always adds up") {
  for (const auto& result : {from_anthropic(kAnthropicAnswer, json::object(), 1),
                             from_gemini(kGeminiAnswer, "g", 1), from_openai(kOpenAIAnswer, 1)}) {
    REQUIRE(result);
    const json& usage = result->at("usage");
    CHECK(usage.at("total_tokens").get<long long>() ==
          usage.at("prompt_tokens").get<long long>() +
              usage.at("completion_tokens").get<long long>());
  }
}

TEST_CASE(
    "translators: map_error: garbage, truncated and invalid UTF-8 bodies give a usable error") {
  const std::string anthropic =
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})";
  for (std::size_t length = 0; length <= anthropic.size(); ++length) {
    json mapped;
    REQUIRE_NOTHROW(mapped = map_error(Format::kAnthropic, 529, anthropic.substr(0, length)));
    CHECK(mapped.at("error").at("message").is_string());
    CHECK_FALSE(mapped.at("error").at("message").get<std::string>().empty());
    CHECK_NOTHROW((void)mapped.dump());
  }
  const json mapped = map_error(Format::kOpenAI, 500, std::string("bad \xff\xfe bytes \xc3"));
  CHECK(mapped.at("error").at("message") == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes \xEF\xBF\xBD");
  CHECK(mapped.at("error").at("type") == "api_error");
}

TEST_CASE("translators: usage sums saturate instead of overflowing") {
  constexpr long long kMax = std::numeric_limits<long long>::max();
  json anthropic = kAnthropicAnswer;
  anthropic["usage"] = {{"input_tokens", kMax},
                        {"output_tokens", kMax},
                        {"cache_read_input_tokens", kMax},
                        {"cache_creation_input_tokens", kMax}};
  json gemini = kGeminiAnswer;
  gemini["usageMetadata"] = {{"promptTokenCount", kMax},
                             {"toolUsePromptTokenCount", kMax},
                             {"candidatesTokenCount", kMax},
                             {"thoughtsTokenCount", kMax}};
  json openai = kOpenAIAnswer;
  openai["usage"] = {{"prompt_tokens", kMax}, {"completion_tokens", kMax}};
  json unsigned_counts = kAnthropicAnswer;  // above LLONG_MAX: clamped, not wrapped negative
  unsigned_counts["usage"] = {{"input_tokens", std::numeric_limits<unsigned long long>::max()}};
  for (const auto& result :
       {from_anthropic(anthropic, json::object(), 1), from_gemini(gemini, "g", 1),
        from_openai(openai, 1), from_anthropic(unsigned_counts, json::object(), 1)}) {
    REQUIRE(result);
    CAPTURE(result->at("usage").dump());
    CHECK(result->at("usage").at("prompt_tokens") == kMax);
    CHECK(result->at("usage").at("total_tokens") == kMax);
  }
}

TEST_CASE("translators: map_error's message is strict UTF-8 whatever the body") {
  // Overlong NUL, a surrogate, a code point above U+10FFFF, a cut sequence.
  const std::string garbage = "bad \xC0\x80 \xED\xA0\x80 \xF5\x80\x80\x80 \xE2\x82";
  for (const Format format : {Format::kOpenAI, Format::kAnthropic, Format::kGemini}) {
    const json mapped = map_error(format, 502, garbage);
    const std::string& message = mapped.at("error").at("message").get_ref<const std::string&>();
    CHECK(is_valid_utf8(message));
    CHECK(message.find("bad") != std::string::npos);
  }
}

TEST_CASE("translators: retry_after: strange headers give no value, never an exception") {
  for (const std::string value :
       {"", " ", "1e3", "+3", "3s", "NaN", "Thu, 32 Jan 2026 00:00:00 GMT",
        "Thu, 01 Foo 2026 00:00:00 GMT", "Thu, 01 Jan 2026 25:00:00 GMT", "Thu Jan 1 00:00 2026",
        "Thu,", "1.", ".5"}) {
    const auto header = [&value](std::string_view name) -> std::optional<std::string> {
      return name == "retry-after" ? std::optional<std::string>(value) : std::nullopt;
    };
    std::optional<RetryAfter> parsed;
    REQUIRE_NOTHROW(parsed = parse_retry_after(header, "", 0));
    CHECK_MESSAGE(!parsed, "value: '" << value << "'");
  }
  CHECK_FALSE(parse_retry_after(
      nullptr,
      "{\"error\":{\"details\":[{\"@type\":\"google.rpc.RetryInfo\",\"retryDelay\":\"x\"}]}}", 0));
}

TEST_CASE(
    "translators: gemini call map: from_gemini records calls, to_gemini re-attaches signature and "
    "id") {
  const json answer = json::parse(R"({"candidates": [{"content": {"parts": [
      {"functionCall": {"id": "g1", "name": "f", "args": {}}, "thoughtSignature": "sig-1"},
      {"functionCall": {"name": "f", "args": {"x": 2}}}]}, "finishReason": "STOP"}]})");
  GeminiCallMap calls;
  const auto completion = from_gemini(answer, "gemini-3-pro-preview", 100, &calls);
  REQUIRE(completion);
  const json& tool_calls = completion->at("choices")[0].at("message").at("tool_calls");
  REQUIRE(tool_calls.size() == 2);
  const std::string derived = tool_calls[1].at("id").get<std::string>();
  CHECK(calls.at("g1").issued_id);
  CHECK(calls.at("g1").thought_signature == "sig-1");
  CHECK_FALSE(calls.at(derived).issued_id);

  // The client replays the assistant message without extra_content: the map supplies it.
  json message = completion->at("choices")[0].at("message");
  for (json& call : message["tool_calls"]) call.erase("extra_content");
  const json request = {
      {"model", "m"},
      {"messages", json::array({{{"role", "user"}, {"content", "go"}},
                                message,
                                {{"role", "tool"}, {"tool_call_id", "g1"}, {"content", "a"}},
                                {{"role", "tool"}, {"tool_call_id", derived}, {"content", "b"}}})}};
  const auto translated = to_gemini(request, "gemini-3-pro-preview", {}, calls);
  REQUIRE(std::holds_alternative<TranslatedRequest>(translated));
  const json& contents = std::get<TranslatedRequest>(translated).body.at("contents");
  const json& model_parts = contents[1].at("parts");
  CHECK(model_parts[0].at("thoughtSignature") == "sig-1");
  CHECK(model_parts[0].at("functionCall").at("id") == "g1");
  CHECK_FALSE(model_parts[1].contains("thoughtSignature"));
  CHECK_FALSE(model_parts[1].at("functionCall").contains("id"));
  CHECK(contents[2].at("parts")[0].at("functionResponse").at("id") == "g1");
  CHECK_FALSE(contents[2].at("parts")[1].at("functionResponse").contains("id"));
}

TEST_CASE(
    "translators: from_gemini: derived ids are deterministic per response and differ across "
    "responses") {
  const json answer =
      json::parse(R"({"candidates": [{"content": {"parts": [{"functionCall": {"name": "f"}}]}}]})");
  const auto first = from_gemini(answer, "g", 100);
  const auto again = from_gemini(answer, "g", 100);
  const auto later = from_gemini(answer, "g", 101);
  REQUIRE((first && again && later));
  CHECK(*first == *again);
  CHECK(first->at("id") != later->at("id"));
  const std::string id = first->at("id").get<std::string>();
  CHECK(id.rfind("chatcmpl-", 0) == 0);
  CHECK(id.size() == 9 + 24);
}

TEST_CASE("translators: anthropic JSON mode round trip: forced tool out, content back") {
  const json request = {{"model", "m"},
                        {"messages", json::array({{{"role", "user"}, {"content", "city?"}}})},
                        {"response_format", {{"type", "json_object"}}}};
  const auto translated = to_anthropic(request, "claude-3-5-haiku-20241022");
  REQUIRE(std::holds_alternative<TranslatedRequest>(translated));
  const json& body = std::get<TranslatedRequest>(translated).body;
  CHECK(body.at("tool_choice") == json{{"type", "tool"}, {"name", "json_response"}});
  const json answer = {{"id", "msg_1"},
                       {"type", "message"},
                       {"stop_reason", "tool_use"},
                       {"content", json::array({{{"type", "tool_use"},
                                                 {"id", "t"},
                                                 {"name", "json_response"},
                                                 {"input", {{"city", "Paris"}}}}})}};
  const auto completion = from_anthropic(answer, request, 1);
  REQUIRE(completion);
  const json& choice = completion->at("choices")[0];
  CHECK(choice.at("message").at("content") == R"({"city":"Paris"})");
  CHECK_FALSE(choice.at("message").contains("tool_calls"));
  CHECK(choice.at("finish_reason") == "stop");
}

TEST_CASE("translators: format names") {
  CHECK(format_name(Format::kOpenAI) == "openai");
  CHECK(format_name(Format::kAnthropic) == "anthropic");
  CHECK(format_name(Format::kGemini) == "gemini");
}

}  // namespace
}  // namespace lava_mcp::translators
