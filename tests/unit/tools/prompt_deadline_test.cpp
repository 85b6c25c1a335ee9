// The prompt tool's deadline arithmetic and the marking of an answer the deadline cut, on
// partial completions the stream decoders build from prefixes of recorded streams.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/sse_reader.h"
#include "tools/prompt/deadline.h"
#include "tools/prompt/format_adapter.h"
#include "translators/stream_decoder.h"

namespace lava_mcp::tools::prompt {
namespace {

namespace fs = std::filesystem;
namespace tr = translators;
using namespace std::chrono_literals;

const SteadyTime kStart{std::chrono::hours(1)};

TEST_CASE("deadline: the host's default, then LAVA_MCP_DEADLINE_MS, then deadline_ms") {
  CHECK(host_default_deadline("claude-code") == 300000ms);
  CHECK(host_default_deadline("") == 55000ms);
  CHECK(host_default_deadline("mcp-inspector") == 55000ms);
  CHECK(host_default_deadline("Claude Code") == 55000ms);  // only the exact name

  const Json none = Json::object();
  CHECK(call_deadline(none, std::nullopt, "claude-code") == 300000ms);
  CHECK(call_deadline(none, 9000ms, "claude-code") == 9000ms);
  CHECK(call_deadline(none, 0ms, "") == 0ms);
  CHECK(call_deadline({{"deadline_ms", 1200}}, 9000ms, "claude-code") == 1200ms);
  CHECK(call_deadline({{"deadline_ms", 0}}, 9000ms, "") == 0ms);
}

TEST_CASE("deadline: each attempt gets what is left as its total, the idle limit within it") {
  const CallDeadline deadline(kStart, 10000ms);
  CHECK_FALSE(deadline.reached(kStart));
  CHECK_FALSE(deadline.reached(kStart + 9899ms));
  CHECK(deadline.reached(kStart + 9900ms));  // within the slack: the attempt's timeout fired
  CHECK(deadline.remaining(kStart + 3000ms) == 7000ms);

  const AttemptLimits long_idle = deadline.attempt_limits(60000ms, kStart + 3000ms);
  CHECK(long_idle.total == 7000ms);
  CHECK(long_idle.idle == 7000ms);  // never past the deadline
  const AttemptLimits short_idle = deadline.attempt_limits(2000ms, kStart + 3000ms);
  CHECK(short_idle.total == 7000ms);
  CHECK(short_idle.idle == 2000ms);

  CHECK(deadline.reached(kStart + 10000ms));
  CHECK(deadline.remaining(kStart + 10000ms) == 0ms);
  CHECK(deadline.remaining(kStart + 25000ms) == 0ms);  // never negative
}

TEST_CASE("deadline: none (0) leaves the idle limit and the longest attempt") {
  const CallDeadline none(kStart, 0ms);
  CHECK_FALSE(none.reached(kStart + std::chrono::hours(5)));
  const AttemptLimits limits = none.attempt_limits(60000ms, kStart + std::chrono::hours(5));
  CHECK(limits.idle == 60000ms);
  CHECK(limits.total == kLongestAttempt);
}

std::string recorded(const std::string& format, const std::string& name) {
  std::ifstream in(fs::path(LAVA_MCP_GOLDEN_DIR) / "stream" / format / (name + ".sse"),
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  REQUIRE_FALSE(text.str().empty());
  return text.str();
}

// The stream up to (not including) the data of the event that holds `marker`, as the deadline would
// leave it: read by the SSE reader and the format's decoder, then cut by cut_answer with the real
// adapter's reader.
std::optional<CutAnswer> cut_before(tr::Format format, const std::string& stream,
                                    const std::string& marker) {
  const std::size_t at = stream.find(marker);
  REQUIRE(at != std::string::npos);
  // From the data line on (the recordings end lines with \n or \r\n): an event: line left
  // before it names an event without data, which is never dispatched.
  const std::string prefix = stream.substr(0, stream.rfind("data:", at));
  auto decoder = format == tr::Format::kAnthropic ? tr::make_anthropic_stream_decoder()
                 : format == tr::Format::kGemini  ? tr::make_gemini_stream_decoder()
                                                  : tr::make_openai_stream_decoder();
  SseReader reader;
  reader.feed(prefix, [&](const SseEvent& event) { REQUIRE(decoder->read(event.data)); });
  reader.finish([&](const SseEvent& event) { REQUIRE(decoder->read(event.data)); });
  REQUIRE_FALSE(decoder->ended());  // a cut stream, as the deadline leaves it
  const FormatAdapters adapters;
  const Json args = {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
  return cut_answer(format, decoder->whole_body(), [&](Json body) {
    return adapters.for_format(format).read_response(std::move(body), args, "m", 1700000000);
  });
}

const Json& message_of(const CutAnswer& cut) { return cut.completion["choices"][0]["message"]; }

TEST_CASE("cut answer: Anthropic text and a whole tool call kept, the unfinished one dropped") {
  const std::string stream = recorded("anthropic", "text_and_two_tool_uses");
  // Inside the first tool's arguments: {"city": "Pa has arrived, ris"} has not.
  const auto mid_tool = cut_before(tr::Format::kAnthropic, stream, R"(ris\"})");
  REQUIRE(mid_tool);
  CHECK(message_of(*mid_tool)["content"] == "Let me check both.");
  CHECK_FALSE(message_of(*mid_tool).contains("tool_calls"));
  CHECK(mid_tool->dropped_tool_calls == 1);
  CHECK(mid_tool->completion["choices"][0]["finish_reason"] == "deadline");
  const std::string note = cut_note(*mid_tool, 55000ms);
  CHECK(note.find("deadline of 55000 ms") != std::string::npos);
  CHECK(note.find("incomplete") != std::string::npos);
  CHECK(note.find("1 unfinished tool call was dropped") != std::string::npos);

  // After the first tool's last fragment: it is whole and kept.
  const auto after_tool = cut_before(tr::Format::kAnthropic, stream, "toolu_02");
  REQUIRE(after_tool);
  REQUIRE(message_of(*after_tool)["tool_calls"].size() == 1);
  CHECK(message_of(*after_tool)["tool_calls"][0]["function"]["arguments"] == R"({"city":"Paris"})");
  CHECK(after_tool->dropped_tool_calls == 0);
  CHECK(cut_note(*after_tool, 1000ms).find("dropped") == std::string::npos);
}

TEST_CASE("cut answer: content blocks of any shape are kept or dropped, never a throw") {
  const Json body = {{"content",
                      {{{"type", 5}},
                       {{"type", nullptr}, {"input", "{"}},
                       "not a block",
                       {{"type", "tool_use"}, {"id", "t"}, {"name", "f"}, {"input", "{\"a\""}},
                       {{"type", "text"}, {"text", "kept"}}}}};
  Json given;
  const auto read = [&](Json cut) -> Expected<Json> {
    given = std::move(cut);
    return fail(Error{error_code::kInternalError, "read"});
  };
  CHECK_FALSE(cut_answer(tr::Format::kAnthropic, body, read));
  REQUIRE(given["content"].is_array());
  CHECK(given["content"].size() == 4);  // only the unfinished tool_use is dropped
  CHECK(given["content"][2] == "not a block");
}

TEST_CASE("cut answer: nothing of an answer before the deadline is no answer") {
  const std::string anthropic = recorded("anthropic", "text_and_two_tool_uses");
  CHECK_FALSE(cut_before(tr::Format::kAnthropic, anthropic, "Let me check"));
  const std::string openai = recorded("openai", "two_tool_calls_one_without_arguments");
  // Only the first fragment (name, no arguments yet): dropped, so nothing is left.
  CHECK_FALSE(cut_before(tr::Format::kOpenAI, openai, R"(\"city\":)"));
}

TEST_CASE("cut answer: OpenAI indexed deltas, whole arguments kept, unfinished dropped") {
  const std::string stream = recorded("openai", "two_tool_calls_one_without_arguments");
  const auto mid = cut_before(tr::Format::kOpenAI, stream, R"(\"Paris\"})");
  CHECK_FALSE(mid);  // {"city": alone is no whole call, and there is no text
  const auto second_started = cut_before(tr::Format::kOpenAI, stream, R"("finish_reason":"tool)");
  REQUIRE(second_started);
  // call_b came with "" so far: not known to be whole, dropped; call_a is whole.
  REQUIRE(message_of(*second_started)["tool_calls"].size() == 1);
  CHECK(message_of(*second_started)["tool_calls"][0]["id"] == "call_a");
  CHECK(second_started->dropped_tool_calls == 1);
  CHECK(second_started->completion["choices"][0]["finish_reason"] == "deadline");
}

TEST_CASE("cut answer: Gemini text so far, marked") {
  const std::string stream = recorded("gemini", "text_parts_merged_without_done");
  const auto cut = cut_before(tr::Format::kGemini, stream, R"("ld!")");
  REQUIRE(cut);
  CHECK(message_of(*cut)["content"] == "Hello, wor");
  CHECK(cut->dropped_tool_calls == 0);
  CHECK(cut->completion["choices"][0]["finish_reason"] == "deadline");
}

}  // namespace
}  // namespace lava_mcp::tools::prompt
