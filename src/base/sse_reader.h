// An incremental reader of server-sent events (the WHATWG "text/event-stream" format), for
// providers' streamed answers. Pure: bytes in, events out, no I/O.
//
// Chunks may split the stream anywhere, a CR at the end of one chunk included. Lines end in LF,
// CRLF or CR; lines starting with ':' are comments; the fields are event, data (several data
// lines join with LF), id and retry; other fields are ignored. Each byte of a field's value is
// copied once, from the chunk into the event being assembled; nothing else is buffered. A line
// and an event are bounded: past either limit the reader fails, and stays failed.
//
// One deliberate difference from the browser algorithm: at the end of the stream, an event
// whose blank line never came is still dispatched (some providers end that way). Whether the
// stream was complete is for the caller's format to say (its terminal event).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace lava_mcp {

struct SseEvent {
  std::string_view type;  // "message" when the event named none
  std::string_view data;
  std::string_view id;  // the last event id seen so far in the stream
};

struct SseLimits {
  std::size_t max_line_bytes = 1u << 20;    // one line, its end excluded
  std::size_t max_event_bytes = 16u << 20;  // one event's type and data together
};

class SseReader {
 public:
  using Sink = std::function<void(const SseEvent&)>;

  explicit SseReader(SseLimits limits = {}) : limits_(limits) {}

  // Reads the next chunk, calling `sink` for each event it completes. False once the reader has
  // failed (now or earlier): the rest of the stream is not read.
  bool feed(std::string_view chunk, const Sink& sink);
  // The end of the stream: a pending line is ended and a pending event dispatched.
  bool finish(const Sink& sink);

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  // The reconnection time the stream last asked for (retry:), in ms; -1 if none.
  long long retry_ms() const { return retry_ms_; }
  std::size_t events() const { return events_; }

 private:
  enum class Field { kNone, kData, kEvent, kId, kRetry, kComment };
  enum class State { kLineStart, kName, kSpace, kValue, kAfterCr };
  static Field field_named(std::string_view name);

  void consume(std::string_view chunk, const Sink& sink);
  std::size_t take_common_field(std::string_view rest);
  std::size_t read_value(std::string_view rest);
  void begin_value();
  void end_line();
  void dispatch(const Sink& sink);
  void fail(std::string message);
  bool grow_line(std::size_t bytes);

  SseLimits limits_;
  State state_ = State::kLineStart;
  Field field_ = Field::kNone;
  std::string name_;  // the field name so far; names longer than "retry" are unknown fields
  std::size_t line_bytes_ = 0;
  std::size_t retry_digits_ = 0;
  std::size_t bom_matched_ = 0;  // bytes of a leading byte-order mark matched so far
  bool at_stream_start_ = true;

  std::string type_;
  std::string data_;
  bool has_data_ = false;
  std::string id_;          // the last event id, kept across events
  std::string pending_id_;  // the id line being read
  bool id_has_nul_ = false;
  long long pending_retry_ = 0;
  bool retry_valid_ = false;  // only ASCII digits so far
  long long retry_ms_ = -1;

  std::size_t events_ = 0;
  std::string error_;
};

}  // namespace lava_mcp
