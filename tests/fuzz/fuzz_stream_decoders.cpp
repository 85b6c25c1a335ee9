// fuzz_stream_decoders: the stream decoders of the three provider formats
// (src/translators/stream_decoder.h), each event's data as a line of the input.
// Input: byte 0 picks the format, the rest is one event's data per line.
// Invariants:
//  - reading the hot events in place (read_in_place, and the repeats of the last one read around
//    their string) gives exactly what the full parse of every event gives: the same accepted
//    and refused events, the same whole body, the same end and the same counts;
//  - nothing throws, and the whole body always dumps as JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "translators/stream_decoder.h"

namespace {

using lava_fuzz::no_throw;
using lava_fuzz::show;
namespace tr = lava_mcp::translators;

std::unique_ptr<tr::StreamDecoder> decoder_for(std::uint8_t seed) {
  switch (seed % 3) {
    case 0:
      return tr::make_openai_stream_decoder();
    case 1:
      return tr::make_anthropic_stream_decoder();
    default:
      return tr::make_gemini_stream_decoder();
  }
}

// What a decoder made of the events: which were refused, and where it ended up.
std::string reading(std::uint8_t seed, std::string_view events, bool whole) {
  auto decoder = decoder_for(seed);
  if (whole) {
    decoder->read_everything_whole();
  }
  std::string refused;
  std::size_t start = 0;
  while (start <= events.size()) {
    const std::size_t end = std::min(events.find('\n', start), events.size());
    refused += decoder->read(events.substr(start, end - start)) ? '.' : 'x';
    start = end + 1;
  }
  return refused + " " + decoder->whole_body().dump() + " " +
         (decoder->ended() ? "ended" : "open") + " " + std::to_string(decoder->received_bytes()) +
         " " + std::to_string(decoder->received_characters()) + " " +
         std::to_string(decoder->thinking_characters());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t seed = bytes[0];
  const std::string_view events(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  const std::string in_place = no_throw("in place", [&] { return reading(seed, events, false); });
  const std::string whole = no_throw("whole", [&] { return reading(seed, events, true); });
  FUZZ_CHECK(in_place == whole, "reading in place differs on " + show(events) +
                                    "\nin place: " + show(in_place) + "\nwhole:    " + show(whole));
  return 0;
}
