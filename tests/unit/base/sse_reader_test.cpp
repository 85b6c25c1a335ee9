#include "base/sse_reader.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace lava_mcp {
namespace {

struct Seen {
  std::string type;
  std::string data;
  std::string id;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> read_in_chunks(std::string_view stream, std::size_t chunk, SseLimits limits = {},
                                 std::string* error = nullptr) {
  SseReader reader(limits);
  std::vector<Seen> seen;
  const auto sink = [&](const SseEvent& event) {
    seen.push_back({std::string(event.type), std::string(event.data), std::string(event.id)});
  };
  bool ok = true;
  for (std::size_t at = 0; at < stream.size() && ok; at += chunk) {
    ok = reader.feed(stream.substr(at, chunk), sink);
  }
  ok = ok && reader.finish(sink);
  if (error != nullptr) {
    *error = reader.error();
  }
  CHECK(ok == !reader.failed());
  return seen;
}

// Every chunk size from one byte to the whole stream reads the same events.
std::vector<Seen> read_every_way(std::string_view stream) {
  const auto whole = read_in_chunks(stream, stream.size() + 1);
  for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
    CAPTURE(chunk);
    CHECK(read_in_chunks(stream, chunk) == whole);
  }
  return whole;
}

TEST_CASE("sse: fields, comments, multi-line data, and every line end") {
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    CAPTURE(eol.size());
    const std::string stream = ": a comment" + eol + "event: delta" + eol + "data: {\"a\":1}" +
                               eol + "data:second line" + eol + "id: 7" + eol + "retry: 1500" +
                               eol + "unknown: ignored" + eol + eol + "data" + eol + eol +
                               "data:  two spaces" + eol + "id" + eol + eol;
    const auto events = read_every_way(stream);
    REQUIRE(events.size() == 3);
    CHECK(events[0] == Seen{"delta", "{\"a\":1}\nsecond line", "7"});
    CHECK(events[1] == Seen{"message", "", "7"});            // "data" alone is an empty line
    CHECK(events[2] == Seen{"message", " two spaces", ""});  // one space is dropped; id reset
  }
}

TEST_CASE("sse: a CR at a chunk's end and an LF at the next one's start are one line end") {
  SseReader reader;
  std::vector<std::string> data;
  const auto sink = [&](const SseEvent& event) { data.emplace_back(event.data); };
  CHECK(reader.feed("data: a\r", sink));
  CHECK(reader.feed("\n\r", sink));
  CHECK(data == std::vector<std::string>{"a"});  // the second CR is the blank line
  CHECK(reader.feed("\ndata: b\r\r", sink));     // that LF belongs to the CR before it
  CHECK(data == std::vector<std::string>{"a", "b"});
}

TEST_CASE("sse: an event without data, a leading byte-order mark, and the retry field") {
  SseReader reader;
  int events = 0;
  const auto sink = [&](const SseEvent&) { ++events; };
  CHECK(reader.feed("\xEF\xBB", sink));
  CHECK(
      reader.feed("\xBF"
                  "event: ping\n\nretry: 12x\n\n",
                  sink));
  CHECK(events == 0);  // an event without data is not dispatched
  CHECK(reader.retry_ms() == -1);
  CHECK(reader.feed("retry: 250\n", sink));
  CHECK(reader.retry_ms() == 250);
  // A stream that starts like a mark but is not one keeps those bytes.
  const auto not_a_mark = read_in_chunks(
      "\xEF"
      "data: x\n\n",
      1);
  REQUIRE(not_a_mark.empty());  // "\xEF" "data" is an unknown field name
  const auto events_after_mark = read_every_way(
      "\xEF\xBB\xBF"
      "data: x\n\n");
  CHECK(events_after_mark == std::vector<Seen>{{"message", "x", ""}});
}

TEST_CASE("sse: the last event is dispatched without its blank line, and cut lines ended") {
  CHECK(read_every_way("data: a\n\ndata: b\n") ==
        std::vector<Seen>{{"message", "a", ""}, {"message", "b", ""}});
  CHECK(read_every_way("event: x\ndata: cut") == std::vector<Seen>{{"x", "cut", ""}});
  CHECK(read_every_way("data") == std::vector<Seen>{{"message", "", ""}});
  CHECK(read_every_way(": only a comment").empty());
}

TEST_CASE("sse: a line or an event over the limit fails the reader, and it stays failed") {
  const SseLimits limits{.max_line_bytes = 16, .max_event_bytes = 20};
  std::string error;
  CHECK(read_in_chunks("data: 0123456789\n\n", 3, limits, &error).size() == 1);  // 16: the limit
  CHECK(read_in_chunks("data: 0123456789A\n\n", 3, limits, &error).empty());
  CHECK(error == "the event stream is malformed: a line is longer than 16 bytes");
  CHECK(read_in_chunks(": a comment that never ends ...", 5, limits, &error).empty());
  CHECK(error.find("a line is longer") != std::string::npos);
  CHECK(read_in_chunks("data: 0123456789\ndata: 0123456789\n\n", 4, limits, &error).empty());
  CHECK(error == "the event stream is malformed: an event is longer than 20 bytes");

  // A bare "data" at the end of the stream adds the joining LF that breaks the limit: no event.
  CHECK(read_in_chunks("data:0123456789\ndata:012345678\ndata", 64, limits, &error).empty());
  CHECK(error == "the event stream is malformed: an event is longer than 20 bytes");

  SseReader reader(limits);
  int events = 0;
  const auto sink = [&](const SseEvent&) { ++events; };
  CHECK_FALSE(reader.feed("data: 0123456789ABCDEF\n\n", sink));
  CHECK_FALSE(reader.feed("data: ok\n\n", sink));
  CHECK_FALSE(reader.finish(sink));
  CHECK(events == 0);
}

TEST_CASE("sse: an id with a NUL is ignored, and the last id carries over to later events") {
  const auto events = read_every_way(std::string("id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n", 32));
  CHECK(events == std::vector<Seen>{{"message", "a", "1"}, {"message", "b", "1"}});
}

}  // namespace
}  // namespace lava_mcp
