// fuzz_framing: the stdio transport's read path. The input is
//   byte 0      line cap: < 0xF0 -> a small cap (1..240 bytes); >= 0xF0 -> production 16 MiB
//   byte 1      split seed: 0 -> one feed() call; else fuzzer-chosen chunk boundaries
//   bytes 2..   the byte stream read from stdin
// Invariants:
//  - LineFramer's frames do not depend on how the stream is split into reads, and equal an
//    independent reference framing (split on LF, one trailing CR stripped, blank lines skipped,
//    lines longer than the cap -> one kOversized frame).
//  - decode_message never throws; parse errors are exactly the lines nlohmann rejects and the
//    lines holding a NUL byte; ids are null, strings or integers.
//  - Every encode_* of a decoded message is one line of valid UTF-8 JSON and decodes back to the
//    same message (request, notification, result and error round trips); raw (possibly invalid
//    UTF-8) text in encode_error/encode_notification is replaced, never thrown on.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_util.h"
#include "transport/jsonrpc.h"
#include "transport/line_framer.h"

namespace {

using lava_fuzz::dump_replace;
using lava_fuzz::is_one_line;
using lava_fuzz::is_valid_utf8;
using lava_fuzz::show;
using lava_mcp::Error;
using namespace lava_mcp::transport;

constexpr std::size_t kProductionCap = 16u << 20;  // stdio_transport.h kMaxLineBytes

std::vector<Frame> reference_frames(std::string_view stream, std::size_t cap) {
  std::vector<Frame> out;
  std::size_t pos = 0;
  while (pos < stream.size()) {
    const std::size_t newline = stream.find('\n', pos);
    std::string_view line = stream.substr(
        pos, newline == std::string_view::npos ? std::string_view::npos : newline - pos);
    pos = newline == std::string_view::npos ? stream.size() : newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > cap) {
      out.push_back(Frame{Frame::Kind::kOversized, {}});
    } else if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      out.push_back(Frame{Frame::Kind::kLine, std::string(line)});
    }
  }
  return out;
}

std::string describe(const std::vector<Frame>& frames) {
  std::string out;
  for (const Frame& frame : frames) {
    out +=
        frame.kind == Frame::Kind::kOversized ? "  <oversized>\n" : "  " + show(frame.text) + "\n";
  }
  return out;
}

std::vector<Frame> frame_in_chunks(std::string_view stream, std::size_t cap, std::uint8_t seed) {
  LineFramer framer(cap);
  std::vector<Frame> frames;
  if (seed == 0) {
    framer.feed(stream, frames);
  } else {
    lava_fuzz::SplitMix rng(seed);
    const std::uint64_t max_chunk = 1 + seed % 37;
    while (!stream.empty()) {
      const std::size_t n = rng.next() % (max_chunk + 1);  // 0: an empty read is a no-op
      const std::size_t take = n < stream.size() ? n : stream.size();
      framer.feed(stream.substr(0, take), frames);
      stream.remove_prefix(take);
    }
  }
  framer.finish(frames);
  return frames;
}

// `text` is one line of valid UTF-8 JSON with "jsonrpc":"2.0".
void check_encoded(std::string_view text) {
  FUZZ_CHECK(is_one_line(text), "encoded message is not one line: " + show(text));
  FUZZ_CHECK(is_valid_utf8(text), "encoded message is not valid UTF-8: " + show(text));
  const Json parsed = Json::parse(text, nullptr, false);
  FUZZ_CHECK(!parsed.is_discarded(), "encoded message is not JSON: " + show(text));
  const std::string* version = lava_fuzz::string_at(parsed, "jsonrpc");
  FUZZ_CHECK(version != nullptr && *version == "2.0",
             "encoded message lacks jsonrpc 2.0: " + show(text));
}

bool valid_id(const Json& id) { return id.is_string() || id.is_number_integer(); }

Incoming decode(std::string_view line) {
  return lava_fuzz::no_throw("decode_message", [&] { return decode_message(line); });
}

void expect_response(std::string_view encoded, const Json& id, bool ok, const Json& result,
                     const Error& error) {
  const Incoming back = decode(encoded);
  const auto* response = std::get_if<Response>(&back);
  FUZZ_CHECK(response != nullptr, "encoded response does not decode as one: " + show(encoded));
  FUZZ_CHECK(response->id == id, "response id changed: " + show(encoded));
  FUZZ_CHECK(response->ok == ok, "response ok flag changed: " + show(encoded));
  if (ok) {
    FUZZ_CHECK(dump_replace(response->result) == dump_replace(result),
               "result changed in round trip: " + show(encoded));
  } else {
    FUZZ_CHECK(response->error.code == error.code, "error code changed: " + show(encoded));
    FUZZ_CHECK(response->error.message == error.message, "error message changed: " + show(encoded));
    FUZZ_CHECK(dump_replace(response->error.data) == dump_replace(error.data),
               "error data changed: " + show(encoded));
  }
}

void check_line(const std::string& line) {
  const Incoming incoming = decode(line);

  // Raw bytes (maybe invalid UTF-8) as an error message and as a method name.
  const Error raw_error{-1, line, nullptr};
  const std::string raw = encode_error(nullptr, raw_error);
  check_encoded(raw);
  if (is_valid_utf8(line)) {
    Json parsed = Json::parse(raw);
    FUZZ_CHECK(parsed["error"]["message"] == line, "valid UTF-8 message not kept: " + show(raw));
  }
  check_encoded(encode_notification(line, nullptr));

  if (const auto* request = std::get_if<Request>(&incoming)) {
    FUZZ_CHECK(valid_id(request->id), "request id is not a string or integer");
    FUZZ_CHECK(
        request->params.is_null() || request->params.is_object() || request->params.is_array(),
        "request params not object/array/null: " + show(line));
    const std::string encoded = encode_request(request->id, request->method, request->params);
    check_encoded(encoded);
    const Incoming back = decode(encoded);
    const auto* again = std::get_if<Request>(&back);
    FUZZ_CHECK(again != nullptr, "encoded request does not decode as one: " + show(encoded));
    FUZZ_CHECK(again->id == request->id && again->method == request->method &&
                   dump_replace(again->params) == dump_replace(request->params),
               "request changed in round trip: " + show(encoded));
    const std::string result = encode_result(request->id, request->params);
    check_encoded(result);
    expect_response(result, request->id, true, request->params, {});
  } else if (const auto* notification = std::get_if<Notification>(&incoming)) {
    const std::string encoded = encode_notification(notification->method, notification->params);
    check_encoded(encoded);
    const Incoming back = decode(encoded);
    const auto* again = std::get_if<Notification>(&back);
    FUZZ_CHECK(again != nullptr, "encoded notification does not decode as one: " + show(encoded));
    FUZZ_CHECK(again->method == notification->method &&
                   dump_replace(again->params) == dump_replace(notification->params),
               "notification changed in round trip: " + show(encoded));
  } else if (const auto* response = std::get_if<Response>(&incoming)) {
    FUZZ_CHECK(valid_id(response->id), "response id is not a string or integer");
    const std::string encoded = response->ok ? encode_result(response->id, response->result)
                                             : encode_error(response->id, response->error);
    check_encoded(encoded);
    expect_response(encoded, response->id, response->ok, response->result, response->error);
  } else {
    const auto& failure = std::get<DecodeFailure>(incoming);
    FUZZ_CHECK(failure.id.is_null() || valid_id(failure.id),
               "failure id is not null/string/integer");
    // Parse errors: what nlohmann rejects, plus any line with a NUL byte (nlohmann would stop
    // reading there and accept "{...}\0garbage").
    const bool parse_error =
        line.find('\0') != std::string::npos || Json::parse(line, nullptr, false).is_discarded();
    FUZZ_CHECK((failure.error.code == lava_mcp::error_code::kParseError) == parse_error,
               "parse error code does not match the expected verdict: " + show(line));
    FUZZ_CHECK(parse_error || failure.error.code == lava_mcp::error_code::kInvalidRequest,
               "unexpected failure code " + std::to_string(failure.error.code));
    const std::string encoded = encode_error(failure.id, failure.error);
    check_encoded(encoded);
    if (!failure.id.is_null()) {
      expect_response(encoded, failure.id, false, nullptr, failure.error);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t cap = data[0] >= 0xF0 ? kProductionCap : std::size_t{1} + data[0];
  const std::uint8_t seed = data[1];
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  const std::vector<Frame> expected = reference_frames(stream, cap);
  const std::vector<Frame> frames = frame_in_chunks(stream, cap, seed);
  bool same = frames.size() == expected.size();
  for (std::size_t i = 0; same && i < frames.size(); ++i) {
    same = frames[i].kind == expected[i].kind && frames[i].text == expected[i].text;
  }
  FUZZ_CHECK(same, "cap " + std::to_string(cap) + ", seed " + std::to_string(seed) +
                       "\nframer gave:\n" + describe(frames) + "reference:\n" + describe(expected));

  for (const Frame& frame : frames) {
    if (frame.kind == Frame::Kind::kLine) {
      FUZZ_CHECK(frame.text.find('\n') == std::string::npos, "frame holds a LF");
      check_line(frame.text);
    }
  }
  return 0;
}
