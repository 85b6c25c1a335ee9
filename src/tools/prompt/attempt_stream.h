// One attempt's answer as it arrives (translation.md 10.5): the response's bytes go through the
// SSE reader into the format's stream decoder, which rebuilds the provider's whole body. A
// provider that answers a stream request with a whole body (JSON from an endpoint that cannot
// stream, an error status) is left to be read whole, as before.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/expected.h"
#include "base/json.h"
#include "base/sse_reader.h"
#include "gateway/http_client.h"
#include "translators/stream_decoder.h"

namespace lava_mcp::tools::prompt {

class AttemptStream {
 public:
  // `on_text` is called with the characters of answer and of thinking received so far, each
  // time more arrive and the stream has not yet ended (no progress for the chunk that completes
  // it).
  using OnText = std::function<void(std::size_t characters, std::size_t thinking_characters)>;
  AttemptStream(std::unique_ptr<translators::StreamDecoder> decoder, OnText on_text);
  AttemptStream(const AttemptStream&) = delete;
  AttemptStream& operator=(const AttemptStream&) = delete;

  // What the HTTP client calls; valid as long as this object.
  const gateway::BodyStream& body_stream() const { return body_stream_; }

  // After the exchange: whether the body came as a stream (a 2xx text/event-stream).
  bool streamed() const { return streamed_; }
  // When the first body byte arrived (headers alone do not count), if one did.
  std::optional<std::chrono::steady_clock::time_point> first_byte() const { return first_byte_; }
  std::size_t characters() const { return decoder_->received_characters(); }

  // The provider's whole body that the complete stream amounts to, or why it is not an answer
  // (unreadable events, a line or event past its limit, no terminal event).
  Expected<Json> finish();
  // Why the reader stopped the transfer early ("" when it did not).
  const std::string& failure() const { return failure_; }
  // The body the events so far amount to, complete or not: what a caller's deadline keeps of a
  // cut answer (tools.md 3.2).
  Json partial_body() const { return decoder_->whole_body(); }

 private:
  bool on_head(const gateway::HttpResponse& head);
  bool on_chunk(std::string_view chunk);
  void read_event(const SseEvent& event);

  std::unique_ptr<translators::StreamDecoder> decoder_;
  OnText on_text_;
  gateway::BodyStream body_stream_;
  SseReader reader_;
  SseReader::Sink sink_;
  bool streamed_ = false;
  std::optional<std::chrono::steady_clock::time_point> first_byte_;
  std::size_t reported_ = 0;
  std::string failure_;
};

}  // namespace lava_mcp::tools::prompt
