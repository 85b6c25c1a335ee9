// Stream decoders against recorded streams (tests/golden/stream/<format>/): each
// <case>.sse, read through the SSE reader and the format's decoder and then the format's
// from_* reader, must give <case>.expected.json (UPDATE_GOLDENS=1 rewrites it); when a
// <case>.whole.json is there, the whole response read by from_* directly must give
// byte-identical output (the differential test); and the stream cut in two at every byte offset
// must read the same (the property test).
#include "translators/stream_decoder.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "base/sse_reader.h"
#include "support/json_mutants.h"
#include "translators/translators.h"

namespace lava_mcp::translators {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kRoot = fs::path(LAVA_MCP_GOLDEN_DIR) / "stream";
constexpr long long kCreated = 1700000000;
const json kRequest = {{"model", "m"}, {"messages", {{{"role", "user"}, {"content", "hi"}}}}};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Format format_of(const std::string& name) {
  return name == "anthropic" ? Format::kAnthropic
         : name == "gemini"  ? Format::kGemini
                             : Format::kOpenAI;
}

std::unique_ptr<StreamDecoder> decoder_for(Format format) {
  switch (format) {
    case Format::kAnthropic:
      return make_anthropic_stream_decoder();
    case Format::kGemini:
      return make_gemini_stream_decoder();
    case Format::kOpenAI:
      break;
  }
  return make_openai_stream_decoder();
}

// What the prompt tool would make of a whole response: the completion, or the attempt's error.
json read_whole(Format format, const json& body) {
  Expected<json> completion = [&]() -> Expected<json> {
    switch (format) {
      case Format::kAnthropic:
        return from_anthropic(body, kRequest, kCreated, "m");
      case Format::kGemini:
        return from_gemini(body, "m", kCreated);
      case Format::kOpenAI:
        break;
    }
    return from_openai(body, kCreated, "m");
  }();
  if (completion) {
    return *completion;
  }
  return {{"failed", completion.error().data.is_null() ? json(completion.error().message)
                                                       : completion.error().data}};
}

// The stream fed in the given pieces; `whole`: every event through the full parse.
json read_stream(Format format, const std::vector<std::string_view>& pieces, bool whole = false) {
  SseReader reader;
  auto decoder = decoder_for(format);
  if (whole) {
    decoder->read_everything_whole();
  }
  std::string problem;
  const auto sink = [&](const SseEvent& event) {
    if (problem.empty()) {
      if (auto read = decoder->read(event.data); !read) {
        problem = read.error().message;
      }
    }
  };
  for (const std::string_view piece : pieces) {
    reader.feed(piece, sink);
  }
  reader.finish(sink);
  if (reader.failed()) {
    return {{"unreadable", reader.error()}};
  }
  if (!problem.empty()) {
    return {{"unreadable", problem}};
  }
  if (!decoder->ended()) {
    return {{"cut", "the stream ended before its terminal event"},
            {"received_bytes", decoder->received_bytes()}};
  }
  return read_whole(format, decoder->whole_body());
}

TEST_CASE("stream decoders: recorded streams, whole responses, and every split") {
  int cases = 0;
  int differential = 0;
  for (const auto& format_dir : fs::directory_iterator(kRoot)) {
    const Format format = format_of(format_dir.path().filename().string());
    for (const auto& entry : fs::directory_iterator(format_dir.path())) {
      if (entry.path().extension() != ".sse") {
        continue;
      }
      ++cases;
      const std::string name =
          format_dir.path().filename().string() + "/" + entry.path().stem().string();
      CAPTURE(name);
      const std::string stream = read_file(entry.path());
      const json result = read_stream(format, {stream});
      fs::path expected_path = entry.path();
      expected_path.replace_extension(".expected.json");
      const char* update = std::getenv("UPDATE_GOLDENS");
      if (update != nullptr && std::string(update) == "1") {
        std::ofstream(expected_path, std::ios::binary) << result.dump(2) << "\n";
      }
      REQUIRE(fs::exists(expected_path));
      CHECK(result.dump(2) == json::parse(read_file(expected_path)).dump(2));
      CHECK(read_stream(format, {stream}, true).dump() == result.dump());  // read_in_place

      fs::path whole_path = entry.path();
      whole_path.replace_extension(".whole.json");
      if (fs::exists(whole_path)) {
        ++differential;
        CHECK(read_whole(format, json::parse(read_file(whole_path))).dump() == result.dump());
      }
      const std::string once = result.dump();
      for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        const std::string_view all(stream);
        if (read_stream(format, {all.substr(0, cut), all.substr(cut)}).dump() != once) {
          FAIL_CHECK("a split at byte " << cut << " reads differently");
          break;
        }
      }
    }
  }
  CHECK(cases >= 17);
  CHECK(differential >= 6);
}

// Progress counts the answer and the thinking apart (issue 17): each format's reasoning text.
TEST_CASE("stream decoders: thinking is counted apart from the answer, in characters") {
  struct Case {
    std::unique_ptr<StreamDecoder> decoder;
    std::vector<std::string> events;
  };
  Case cases[] = {
      {make_openai_stream_decoder(),
       {R"({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Ünïcode"}}]})",
        R"({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi!"}}]})"}},
      {make_anthropic_stream_decoder(),
       {R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"usage":{"input_tokens":1,"output_tokens":1}}})",
        R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Ünïcode"}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig"}})",
        R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})",
        R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi!"}})"}},
      {make_gemini_stream_decoder(),
       {R"({"candidates":[{"index":0,"content":{"role":"model","parts":[{"text":"Ünïcode","thought":true}]}}]})",
        R"({"candidates":[{"index":0,"content":{"role":"model","parts":[{"text":"Hi!"}]}}]})"}}};
  for (Case& c : cases) {
    CAPTURE(c.decoder->terminal_event());
    for (const std::string& event : c.events) {
      REQUIRE(c.decoder->read(event));
    }
    CHECK(c.decoder->thinking_characters() == 7);
    CHECK(c.decoder->received_characters() == 3);
  }
}

// The in-place reading of text deltas (read_in_place) must read each event as the full parse
// does, and leave every other shape to it: duplicates (the last wins), a changed field, escapes,
// a delta for no open block.
TEST_CASE("stream decoders: events read in place read as the full parse reads them") {
  auto openai = make_openai_stream_decoder();
  const std::string head =
      R"({"id":"c1","object":"chat.completion.chunk","created":7,"model":"m1",)";
  REQUIRE(
      openai->read(head + R"("choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"));
  REQUIRE(openai->read(
      head + R"("choices":[{"index":0,"delta":{"content":"a\n\u00e9"},"finish_reason":null}]})"));
  REQUIRE(openai->read(head + R"("choices":[{"index":0,"delta":{"content":"x","content":"b"}}]})"));
  REQUIRE(
      openai->read(head + R"("choices":[{"index":1,"delta":{"content":"d"},"logprobs":null}]})"));
  REQUIRE(openai->read(
      R"({"id":"c1","object":"chat.completion.chunk","created":7,"model":"m2","choices":[{"index":0,"delta":{"content":"c"}}]})"));
  const json openai_body = openai->whole_body();
  CHECK(openai_body["model"] == "m2");  // a changed field goes the full way
  CHECK(openai_body["choices"][0]["message"]["content"] == "a\n\u00e9bc");
  CHECK(openai_body["choices"][1]["message"]["content"] == "d");
  CHECK(openai_body["choices"][1].contains("logprobs"));  // a null logprobs marks the choice
  CHECK(openai->received_characters() == 6);

  auto anthropic = make_anthropic_stream_decoder();
  REQUIRE(anthropic->read(
      R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"usage":{"input_tokens":1,"output_tokens":1}}})"));
  CHECK_FALSE(anthropic->read(
      R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"no block"}})"));
}

// Both ways of reading `events` agree after every event: in place (with repeats of the last
// in-place event read around its string) and every event through the full parse.
void check_reads_alike(Format format, const std::vector<std::string>& events) {
  auto fast = decoder_for(format);
  auto whole = decoder_for(format);
  whole->read_everything_whole();
  for (const std::string& event : events) {
    CAPTURE(event);
    const bool read = static_cast<bool>(fast->read(event));
    CHECK(read == static_cast<bool>(whole->read(event)));
    CHECK(fast->whole_body().dump() == whole->whole_body().dump());
  }
  CHECK(fast->received_characters() == whole->received_characters());
  CHECK(fast->thinking_characters() == whole->thinking_characters());
  CHECK(fast->ended() == whole->ended());
}

// Events that repeat the last in-place one but for its string: escapes, an empty string, a
// middle that is more than one string, strings that do not read, and a run broken by another
// event, after which the old shape must not count as a repeat.
std::vector<std::string> around(const std::string& before, const std::string& after) {
  return {before + R"("a")" + after,
          before + R"("b\"c\\")" + after,
          before + R"("")" + after,
          before + R"("\u00e9\ud83d\ude00 \n")" + after,
          before + R"("x","content":"dup","text":"dup")" + after,
          before + R"("bad\x")" + after,
          before + "\"raw\x01\"" + after,
          before + "\"\xff\"" + after,
          before + R"("unclosed)" + after,
          before + R"("d")" + after};
}

TEST_CASE("stream decoders: the fixed events of a short answer read in place as in full") {
  const std::string head =
      R"({"id":"c1","object":"chat.completion.chunk","created":7,"model":"m1",)";
  const auto choice = [&](const std::string& members) {
    return head + R"("choices":[{)" + members + "}]}";
  };
  const auto usage = [&](const std::string& value) {
    return head + R"("choices":[],"usage":)" + value + "}";
  };
  check_reads_alike(
      Format::kOpenAI,
      {choice(R"("index":0,"delta":{"role":"assistant","content":""},"finish_reason":null)"),
       choice(R"("index":0,"delta":{"content":"Hi"},"finish_reason":null)"),
       choice(R"("index":0,"delta":{},"finish_reason":"stop","logprobs":null)"),
       choice(R"("finish_reason":"length","delta":{"content":"x"},"index":1)"),
       choice(R"("index":1,"delta":{"content":"y"},"finish_reason":"length")"),
       choice(R"("index":2,"delta":{},"finish_reason":"")"),
       choice(R"("index":3,"delta":{},"finish_reason":7)"),
       choice(R"("index":4,"delta":{})"),
       choice(R"("index":5,"delta":{},"finish_reason":"stop","finish_reason":"length")"),
       usage(R"({"completion_tokens":3,"prompt_tokens":9,"total_tokens":12,)"
             R"("prompt_tokens_details":{"cached_tokens":0,"audio_tokens":2}})"),
       usage(R"({"prompt_tokens":-1})"),
       usage(R"({"prompt_tokens":1.5})"),
       usage(R"({"prompt_tokens":"9"})"),
       usage(R"({"a":{"b":{"c":1}}})"),
       usage(R"({"x":1,"x":2})"),
       usage(R"({})"),
       usage("null"),
       head +
           R"("choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"total_tokens":5}})",
       head + R"("choices":[]})",
       "[DONE]"});

  check_reads_alike(
      Format::kAnthropic,
      {R"({"type":"ping"})",
       R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"usage":{"input_tokens":1,"output_tokens":1}}})",
       R"({"type":"ping"})", R"({"type":"ping","type":"ping"})", R"({"type":"ping","extra":1})",
       R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}})",
       R"({"type":"content_block_delta","index":0,"index":0})",
       R"({"type":"content_block_delta","index":0,"type":"content_block_delta"})",
       R"({"type":"content_block_delta","delta":{"type":"text_delta","text":"b"},"delta":{"type":"text_delta","text":"c"}})",
       R"({"index":0,"type":"content_block_stop"})", R"({"type":"content_block_stop","index":-1})",
       R"({"type":"content_block_stop","index":"0"})",
       R"({"type":"content_block_stop","index":0,"index":1})", R"({"type":"mystery_event"})",
       R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}})",
       R"({"type":"message_stop","index":0})",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}})"});
  check_reads_alike(
      Format::kAnthropic,
      {R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"usage":{"input_tokens":1,"output_tokens":1}}})",
       R"({"type":"message_stop"})", R"({"type":"ping"})"});
}

TEST_CASE("stream decoders: repeats of an in-place event read as the full parse reads them") {
  const std::string head =
      R"({"id":"c1","object":"chat.completion.chunk","created":7,"model":"m1",)";
  std::vector<std::string> openai = {
      head + R"("choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})"};
  for (const char* field : {"content", "reasoning_content"}) {
    for (std::string& event :
         around(head + R"("choices":[{"index":0,"delta":{")" + field + R"(":)", "}}]}")) {
      openai.push_back(std::move(event));
    }
  }
  // A changed model between: the old shape then restores it, which a repeat would not.
  openai.push_back(
      R"({"id":"c1","object":"chat.completion.chunk","created":7,"model":"m2","choices":[{"index":0,"delta":{"content":"y"}}]})");
  openai.push_back(head + R"("choices":[{"index":0,"delta":{"reasoning_content":"e"}}]})");
  openai.push_back(head + R"("choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})");
  openai.push_back("[DONE]");
  check_reads_alike(Format::kOpenAI, openai);

  std::vector<std::string> anthropic = {
      R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"usage":{"input_tokens":1,"output_tokens":1}}})",
      R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})",
      R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})"};
  for (const auto& [index, type, key] :
       {std::tuple{"0", "thinking_delta", "thinking"}, std::tuple{"1", "text_delta", "text"}}) {
    const std::string before = std::string(R"({"type":"content_block_delta","index":)") + index +
                               R"(,"delta":{"type":")" + type + R"(",")" + key + R"(":)";
    for (std::string& event : around(before, "}}")) {
      anthropic.push_back(std::move(event));
    }
  }
  anthropic.push_back(R"({"type":"ping"})");
  anthropic.push_back(
      R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"f"}})");
  anthropic.push_back(
      R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}})");
  anthropic.push_back(R"({"type":"message_stop"})");
  check_reads_alike(Format::kAnthropic, anthropic);

  const std::string text_before = R"({"candidates":[{"content":{"parts":[{"text":)";
  const std::string text_after = R"(}],"role":"model"},"index":0}],"modelVersion":"g1"})";
  std::vector<std::string> gemini = around(text_before, text_after);
  gemini.push_back(
      R"({"candidates":[{"content":{"parts":[{"text":"t","thought":true}],"role":"model"},"index":0}]})");
  for (std::string& event : around(text_before, text_after)) {
    gemini.push_back(std::move(event));
  }
  gemini.push_back(
      R"({"candidates":[{"content":{"parts":[{"text":"g"}],"role":"model"},"index":1}],"responseId":"r"})");
  gemini.push_back(
      R"({"candidates":[{"content":{"parts":[{"text":"end"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3}})");
  check_reads_alike(Format::kGemini, gemini);
}

// The structured counterpart of fuzz_stream_decoders: each event of every recorded stream
// changed in every one-item way, the rest of the stream as recorded.
TEST_CASE("stream decoders: every one-item change of a recorded event reads in place as in full") {
  std::size_t mutants = 0;
  for (const auto& format_dir : fs::directory_iterator(kRoot)) {
    const Format format = format_of(format_dir.path().filename().string());
    for (const auto& entry : fs::directory_iterator(format_dir.path())) {
      if (entry.path().extension() != ".sse") {
        continue;
      }
      std::vector<std::string> events;
      SseReader reader;
      const auto keep = [&](const SseEvent& event) { events.emplace_back(event.data); };
      reader.feed(read_file(entry.path()), keep);
      reader.finish(keep);
      for (std::size_t i = 0; i < events.size(); ++i) {
        const auto event = nlohmann::ordered_json::parse(events[i], nullptr, false);
        std::vector<std::string> changed = events;
        testing::each_mutant(event, [&](std::string mutant) {
          ++mutants;
          changed[i] = std::move(mutant);
          CAPTURE(entry.path().filename().string());
          check_reads_alike(format, changed);
        });
      }
    }
  }
  CHECK(mutants > 10000 / testing::kNearMissStride);
}

}  // namespace
}  // namespace lava_mcp::translators
