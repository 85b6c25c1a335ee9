// Stream decoders: one per provider format, each reading the events of a streamed answer (the
// data of each server-sent event, in order) and rebuilding the whole-response body the provider
// would have sent without streaming, so that from_openai / from_anthropic / from_gemini read
// both paths alike (translation.md 10.5: the same chat.completion either way). An error event
// rebuilds to its error body, which those readers turn into a failed attempt.
//
// Thinking (Anthropic thinking blocks, Gemini thought parts, OpenAI reasoning_content) is kept
// in the rebuilt body where the provider puts it, never folded into the answer's text.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "base/json_cursor.h"

namespace lava_mcp::translators {

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;

  // One event's data. An error when the stream cannot be read on (data that is not a JSON
  // object, an event out of place); events after the terminal one are ignored. A provider's error
  // event ends the stream, and the whole body is then that error.
  Expected<void> read(std::string_view data);
  // The provider's whole response that the events so far amount to.
  nlohmann::json whole_body() const { return error_.is_null() ? rebuilt_body() : error_; }

  // True once the format's terminal event came (or a provider's error event): a stream that
  // ends before it was cut.
  bool ended() const { return ended_; }
  // Bytes, and characters (UTF-8 code points), of answer text and tool-call arguments received
  // so far (for progress).
  std::size_t received_bytes() const { return received_bytes_; }
  std::size_t received_characters() const { return received_characters_; }
  // Characters of thinking (reasoning text) received so far, counted apart from the answer.
  std::size_t thinking_characters() const { return thinking_characters_; }
  // Every event through the full parse: the oracle of the differential tests of read_in_place.
  void read_everything_whole() { in_place_ = false; }
  // What ends a whole stream of this format, as an error message names it ("message_stop").
  virtual const char* terminal_event() const = 0;

 protected:
  virtual Expected<void> read_event(const nlohmann::json& event) = 0;
  virtual nlohmann::json rebuilt_body() const = 0;
  // The format's hot event (a text delta) read in place, without a document: true when `data`
  // was that event and has been read, exactly as read_event would have read it; false leaves
  // it to the full parse. The decoders' fast path (bench/README.md, streaming).
  virtual bool read_in_place(std::string_view /*data*/) { return false; }
  // What a piece of text counts as in the progress figures.
  enum class Counted { kAnswer, kThinking, kNot };
  // Called by read_in_place on success: the piece it appended to `target` was the string `token`
  // of the event. The events that follow and are byte for byte that one but for that string are
  // then read without the decoder (read_repeat): read_event would append their piece to the same
  // place, since whatever else they say is the same, and so is every state the in-place read
  // checked (only such repeats come between).
  void appended_at(JsonCursor::Token token, std::string& target, Counted counted) {
    repeat_ = {token, &target, counted};
  }
  // A terminal marker that is not JSON (OpenAI's [DONE]).
  virtual bool is_end_marker(std::string_view /*data*/) const { return false; }
  // Whether events after the terminal one still count (Gemini's last chunks may add usage).
  virtual bool reads_after_end() const { return false; }

  void count_received(std::string_view text) {
    received_bytes_ += text.size();
    received_characters_ += code_points(text);
  }
  void count_thinking(std::string_view text) { thinking_characters_ += code_points(text); }
  void count(std::string_view text, Counted counted) {
    if (counted == Counted::kAnswer) {
      count_received(text);
    } else if (counted == Counted::kThinking) {
      count_thinking(text);
    }
  }
  // A piece counted and appended to a string field of the rebuilt body (made a string first if
  // it is not one); in place, so a long answer stays linear.
  std::string& append_counted(nlohmann::json& field, std::string_view piece, Counted counted) {
    count(piece, counted);
    if (!field.is_string()) {
      field = "";
    }
    return field.get_ref<std::string&>() += piece;
  }

  bool ended_ = false;

 private:
  std::size_t received_bytes_ = 0;
  std::size_t received_characters_ = 0;
  std::size_t thinking_characters_ = 0;
  bool in_place_ = true;

  // The last in-place event around its piece's string, while only repeats of it have followed.
  struct Template {
    std::string before;
    std::string after;
    bool armed = false;
  };
  struct Repeat {
    JsonCursor::Token token;
    std::string* target = nullptr;
    Counted counted = Counted::kNot;
  };
  bool read_repeat(std::string_view data);
  void arm_template(std::string_view data);
  Template template_;
  Repeat repeat_;
  std::string piece_;  // a repeat's piece, its buffer kept from event to event

  static std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char byte : text) {
      count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80 ? 1 : 0;
    }
    return count;
  }

  nlohmann::json error_;
};

// Chunks of chat.completion.chunk, then [DONE] (translation.md 10).
std::unique_ptr<StreamDecoder> make_openai_stream_decoder();
// message_start ... message_stop (10.1).
std::unique_ptr<StreamDecoder> make_anthropic_stream_decoder();
// Whole GenerateContentResponse chunks; the stream ends with the body (10.2).
std::unique_ptr<StreamDecoder> make_gemini_stream_decoder();

}  // namespace lava_mcp::translators
