// The benchmark's SSE decoding throughput (issue 16 item 8): a streamed answer of 1,000 tokens in
// 200 events per provider format, as the fake providers send it, read the way an attempt reads
// it (network-sized chunks into the SseReader, each event's data into the format's stream
// decoder, the whole body rebuilt at the end), against a plain memory scan of the same bytes
// (counting its newlines: the rate at which this machine can merely look at them).
// Prints one JSON line: {"bytes_per_stream":B,"scan_mb_s":S,"formats":{"openai":{"mb_s":R},...}}.
//
//   sse_decode [SECONDS_PER_FIGURE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/sse_reader.h"
#include "translators/stream_decoder.h"

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using lava_mcp::SseEvent;
using lava_mcp::SseReader;
namespace tr = lava_mcp::translators;

constexpr int kEvents = 200;
constexpr std::size_t kChunk = 16 * 1024;  // what one read from a socket typically gives

// Five tokens of English text per event, about 1,000 tokens in all.
std::string piece(int i) { return " the quick brown fox" + std::to_string(i % 10); }

std::string data_line(const Json& event) { return "data: " + event.dump() + "\n\n"; }

std::string openai_stream() {
  const auto chunk = [](Json delta, Json finish) {
    return data_line({{"id", "chatcmpl-1"},
                      {"object", "chat.completion.chunk"},
                      {"created", 1700000000},
                      {"model", "gpt-4o-mini"},
                      {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}});
  };
  std::string out = chunk({{"role", "assistant"}, {"content", ""}}, nullptr);
  for (int i = 0; i < kEvents; ++i) out += chunk({{"content", piece(i)}}, nullptr);
  out += chunk(Json::object(), "stop");
  out += data_line({{"id", "chatcmpl-1"},
                    {"object", "chat.completion.chunk"},
                    {"choices", Json::array()},
                    {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 1000}}}});
  return out + "data: [DONE]\n\n";
}

std::string anthropic_stream() {
  const auto named = [](const char* name, const Json& event) {
    return std::string("event: ") + name + "\n" + data_line(event);
  };
  std::string out =
      named("message_start", {{"type", "message_start"},
                              {"message",
                               {{"id", "msg_1"},
                                {"type", "message"},
                                {"role", "assistant"},
                                {"model", "claude-haiku-4-5"},
                                {"content", Json::array()},
                                {"stop_reason", nullptr},
                                {"usage", {{"input_tokens", 10}, {"output_tokens", 1}}}}}});
  out += named("content_block_start", {{"type", "content_block_start"},
                                       {"index", 0},
                                       {"content_block", {{"type", "text"}, {"text", ""}}}});
  for (int i = 0; i < kEvents; ++i) {
    out += named("content_block_delta", {{"type", "content_block_delta"},
                                         {"index", 0},
                                         {"delta", {{"type", "text_delta"}, {"text", piece(i)}}}});
  }
  out += named("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
  out += named("message_delta", {{"type", "message_delta"},
                                 {"delta", {{"stop_reason", "end_turn"}}},
                                 {"usage", {{"output_tokens", 1000}}}});
  return out + named("message_stop", {{"type", "message_stop"}});
}

std::string gemini_stream() {
  std::string out;
  for (int i = 0; i < kEvents; ++i) {
    Json candidate = {{"index", 0},
                      {"content", {{"role", "model"}, {"parts", {{{"text", piece(i)}}}}}}};
    if (i + 1 == kEvents) candidate["finishReason"] = "STOP";
    Json chunk = {{"candidates", {candidate}}, {"modelVersion", "gemini-2.5-flash"}};
    if (i + 1 == kEvents) {
      chunk["usageMetadata"] = {{"promptTokenCount", 10}, {"candidatesTokenCount", 1000}};
    }
    out += data_line(chunk);
  }
  return out;
}

// One attempt's reading of a whole stream; the rebuilt body's size keeps the work observable.
std::size_t decode(const std::string& stream, tr::StreamDecoder& decoder) {
  SseReader reader;
  const SseReader::Sink sink = [&](const SseEvent& event) {
    if (!event.data.empty() && !decoder.read(event.data)) std::abort();
  };
  for (std::size_t at = 0; at < stream.size(); at += kChunk) {
    if (!reader.feed(std::string_view(stream).substr(at, kChunk), sink)) std::abort();
  }
  if (!reader.finish(sink) || !decoder.ended()) std::abort();
  return decoder.whole_body().size();
}

// Every byte looked at once (the compiler vectorises the count).
std::size_t scan(const std::string& stream) {
  return static_cast<std::size_t>(std::count(stream.begin(), stream.end(), '\n'));
}

// MB/s of `work` over `bytes` bytes, repeated for about `seconds`.
template <typename Work>
double rate(std::size_t bytes, double seconds, Work work) {
  std::size_t sink = 0;
  std::size_t rounds = 0;
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < until) {
    for (int i = 0; i < 16; ++i, ++rounds) sink += work();
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (sink == 0) std::abort();
  return static_cast<double>(bytes) * static_cast<double>(rounds) / elapsed / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  struct Format {
    const char* name;
    std::string stream;
    std::unique_ptr<tr::StreamDecoder> (*make)();
  };
  const Format formats[] = {{"openai", openai_stream(), tr::make_openai_stream_decoder},
                            {"anthropic", anthropic_stream(), tr::make_anthropic_stream_decoder},
                            {"gemini", gemini_stream(), tr::make_gemini_stream_decoder}};
  Json out = {{"events_per_stream", kEvents}, {"formats", Json::object()}};
  double scan_total = 0;
  for (const Format& format : formats) {
    const std::string& stream = format.stream;
    const double decoded = rate(stream.size(), seconds, [&] {
      auto decoder = format.make();
      return decode(stream, *decoder);
    });
    const double scanned = rate(stream.size(), seconds, [&] { return scan(stream); });
    scan_total += scanned;
    out["formats"][format.name] = {
        {"bytes_per_stream", stream.size()}, {"mb_s", decoded}, {"scan_mb_s", scanned}};
  }
  out["scan_mb_s"] = scan_total / 3;
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
