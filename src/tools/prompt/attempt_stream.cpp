#include "tools/prompt/attempt_stream.h"

#include "base/text_basics.h"

namespace lava_mcp::tools::prompt {

AttemptStream::AttemptStream(std::unique_ptr<translators::StreamDecoder> decoder, OnText on_text)
    : decoder_(std::move(decoder)), on_text_(std::move(on_text)) {
  body_stream_.on_head = [this](const gateway::HttpResponse& head) { return on_head(head); };
  body_stream_.on_chunk = [this](std::string_view chunk) { return on_chunk(chunk); };
  sink_ = [this](const SseEvent& event) { read_event(event); };
}

bool AttemptStream::on_head(const gateway::HttpResponse& head) {
  if (!first_byte_) {
    first_byte_ = std::chrono::steady_clock::now();
  }
  // A JSON answer to a stream request (an endpoint that cannot stream) is read whole.
  const std::string type = ascii_lower(head.header("content-type"));
  streamed_ = head.status >= 200 && head.status < 300 && type.rfind("text/event-stream", 0) == 0;
  return streamed_;
}

void AttemptStream::read_event(const SseEvent& event) {
  if (!failure_.empty() || event.data.empty()) {
    return;  // an event without data (a bare "event: ping") carries nothing
  }
  if (auto read = decoder_->read(event.data); !read) {
    failure_ = "the stream could not be read: " + read.error().message;
  }
}

bool AttemptStream::on_chunk(std::string_view chunk) {
  if (!reader_.feed(chunk, sink_)) {
    failure_ = "the stream could not be read: " + reader_.error();
  }
  if (!failure_.empty()) {
    return false;
  }
  const std::size_t characters = decoder_->received_characters();
  const std::size_t thinking = decoder_->thinking_characters();
  if (characters + thinking > reported_ && !decoder_->ended() && on_text_) {
    reported_ = characters + thinking;
    on_text_(characters, thinking);
  }
  return true;
}

Expected<Json> AttemptStream::finish() {
  if (failure_.empty() && !reader_.finish(sink_)) {
    failure_ = "the stream could not be read: " + reader_.error();
  }
  if (!failure_.empty()) {
    return fail(error_code::kInternalError, failure_);
  }
  if (!decoder_->ended()) {
    return fail(error_code::kInternalError,
                std::string("the stream ended without its terminal event (") +
                    decoder_->terminal_event() + ") after " + std::to_string(characters()) +
                    " characters of answer: a cut answer, not a success");
  }
  return decoder_->whole_body();
}

}  // namespace lava_mcp::tools::prompt
