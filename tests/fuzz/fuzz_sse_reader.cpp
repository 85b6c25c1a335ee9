// fuzz_sse_reader: the incremental server-sent-events reader (src/base/sse_reader.h).
// Input: byte 0 seeds the chunking (and picks tight or roomy limits), the rest is the stream.
// Invariants:
//  - with roomy limits, the events (type, data, id) and the final retry are exactly those of a
//    plain reference reader written here from the WHATWG algorithm over the whole stream;
//  - with tight limits, the reader fails iff the reference meets a line or an event over them,
//    and the events it gave before failing are a prefix of the reference's;
//  - any chunking gives the same events as a single chunk;
//  - nothing throws, and a failed reader stays failed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/sse_reader.h"
#include "fuzz_util.h"

namespace {

using lava_fuzz::no_throw;
using lava_fuzz::show;

struct Seen {
  std::string type, data, id;
  bool operator==(const Seen&) const = default;
};

struct Reading {
  std::vector<Seen> events;
  long long retry = -1;
  bool failed = false;
};

// The reference: whole stream, split into lines first, no limits but noting where they break.
Reading reference(std::string_view stream, const lava_mcp::SseLimits& limits) {
  if (stream.substr(0, 3) == "\xEF\xBB\xBF") {
    stream.remove_prefix(3);
  }
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    if (stream[i] == '\r' || stream[i] == '\n') {
      lines.push_back(stream.substr(start, i - start));
      if (stream[i] == '\r' && i + 1 < stream.size() && stream[i + 1] == '\n') {
        ++i;
      }
      start = i + 1;
    }
  }
  if (start < stream.size()) {
    lines.push_back(stream.substr(start));
  }
  Reading out;
  std::string type, data, id;
  bool has_data = false;
  const auto dispatch = [&] {
    if (has_data) {
      out.events.push_back({type.empty() ? "message" : type, data, id});
    }
    type.clear();
    data.clear();
    has_data = false;
  };
  for (const std::string_view line : lines) {
    if (line.size() > limits.max_line_bytes) {
      out.failed = true;
      return out;
    }
    if (line.empty()) {
      dispatch();
      continue;
    }
    if (line[0] == ':') {
      continue;
    }
    const std::size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') {
      value.remove_prefix(1);
    }
    if (name == "data") {
      data += has_data ? "\n" : "";
      data += value;
      has_data = true;
    } else if (name == "event") {
      type = value;
    } else if (name == "id" && value.find('\0') == std::string_view::npos) {
      id = value;
    } else if (name == "retry" && !value.empty() && value.size() <= 15 &&
               value.find_first_not_of("0123456789") == std::string_view::npos) {
      out.retry = std::stoll(std::string(value));
    }
    if (type.size() + data.size() > limits.max_event_bytes) {
      out.failed = true;
      return out;
    }
  }
  dispatch();
  return out;
}

Reading read(std::string_view stream, const lava_mcp::SseLimits& limits, uint8_t seed) {
  lava_mcp::SseReader reader(limits);
  Reading out;
  const auto sink = [&](const lava_mcp::SseEvent& event) {
    out.events.push_back({std::string(event.type), std::string(event.data), std::string(event.id)});
  };
  std::size_t at = 0;
  std::size_t step = seed == 0 ? stream.size() + 1 : 1;
  bool ok = true;
  while (at < stream.size() && ok) {
    ok = reader.feed(stream.substr(at, step), sink);
    at += step;
    step = seed == 0 ? step : 1 + (step * 7 + seed) % 13;  // uneven chunks, 1 to 13 bytes
  }
  ok = ok && reader.finish(sink);
  FUZZ_CHECK(ok == !reader.failed(), "feed/finish and failed() disagree");
  if (reader.failed()) {
    const std::size_t before = out.events.size();
    FUZZ_CHECK(!reader.feed("data: more\n\n", sink) && out.events.size() == before,
               "a failed reader read on");
  }
  out.retry = reader.retry_ms();
  out.failed = reader.failed();
  return out;
}

bool is_prefix(const std::vector<Seen>& part, const std::vector<Seen>& whole) {
  return part.size() <= whole.size() && std::equal(part.begin(), part.end(), whole.begin());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const uint8_t seed = bytes[0];
  const std::string_view stream(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  const lava_mcp::SseLimits limits =
      (seed & 0x80) != 0 ? lava_mcp::SseLimits{.max_line_bytes = 24, .max_event_bytes = 40}
                         : lava_mcp::SseLimits{};
  const Reading expected = no_throw("reference", [&] { return reference(stream, limits); });
  const Reading whole = no_throw("SseReader, one chunk", [&] { return read(stream, limits, 0); });
  const Reading chunked = no_throw("SseReader, chunks", [&] { return read(stream, limits, seed); });
  FUZZ_CHECK(chunked.events == whole.events && chunked.failed == whole.failed,
             "chunking changed the events of " + show(stream));
  FUZZ_CHECK(whole.failed == expected.failed,
             "failure differs from the reference on " + show(stream));
  if (whole.failed) {
    FUZZ_CHECK(is_prefix(whole.events, expected.events),
               "events before the failure are not the reference's on " + show(stream));
  } else {
    FUZZ_CHECK(whole.events == expected.events && whole.retry == expected.retry,
               "events differ from the reference on " + show(stream));
  }
  return 0;
}
