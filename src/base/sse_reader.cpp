#include "base/sse_reader.h"

#include <cstring>

namespace lava_mcp {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kLongestFieldName = 5;  // "retry"
constexpr std::size_t kMaxRetryDigits = 15;   // beyond, not a delay worth honouring

bool is_line_end(char c) { return c == '\n' || c == '\r'; }

// Where the first LF or CR is (the size when none): two memchr passes, the second only over
// what precedes the first LF, are far faster than one byte loop testing both.
std::size_t line_end(std::string_view text) {
  const void* lf = std::memchr(text.data(), '\n', text.size());
  const std::size_t before_lf =
      lf == nullptr ? text.size()
                    : static_cast<std::size_t>(static_cast<const char*>(lf) - text.data());
  const void* cr = std::memchr(text.data(), '\r', before_lf);
  return cr == nullptr ? before_lf
                       : static_cast<std::size_t>(static_cast<const char*>(cr) - text.data());
}

}  // namespace

SseReader::Field SseReader::field_named(std::string_view name) {
  if (name == "data") {
    return Field::kData;
  }
  if (name == "event") {
    return Field::kEvent;
  }
  if (name == "id") {
    return Field::kId;
  }
  return name == "retry" ? Field::kRetry : Field::kNone;
}

bool SseReader::feed(std::string_view chunk, const Sink& sink) {
  if (failed()) {
    return false;
  }
  if (at_stream_start_) {
    while (!chunk.empty() && bom_matched_ < kByteOrderMark.size() &&
           chunk.front() == kByteOrderMark[bom_matched_]) {
      ++bom_matched_;
      chunk.remove_prefix(1);
    }
    if (chunk.empty() && bom_matched_ < kByteOrderMark.size()) {
      return true;  // not yet known whether the stream starts with a byte-order mark
    }
    at_stream_start_ = false;
    if (bom_matched_ < kByteOrderMark.size()) {
      consume(kByteOrderMark.substr(0, bom_matched_), sink);  // not a mark: content
    }
  }
  consume(chunk, sink);
  return !failed();
}

bool SseReader::finish(const Sink& sink) {
  if (at_stream_start_) {
    at_stream_start_ = false;
    consume(kByteOrderMark.substr(0, bom_matched_), sink);
  }
  if (!failed() && state_ == State::kName) {
    field_ = field_named(name_);
    begin_value();  // may fail: a bare "data" line joins the event with one more byte
  }
  if (failed()) {
    return false;
  }
  if (state_ == State::kName || state_ == State::kSpace || state_ == State::kValue) {
    end_line();
  }
  dispatch(sink);
  state_ = State::kLineStart;
  return true;
}

void SseReader::consume(std::string_view chunk, const Sink& sink) {
  std::size_t i = 0;
  while (i < chunk.size() && !failed()) {
    const char c = chunk[i];
    switch (state_) {
      case State::kAfterCr:
        state_ = State::kLineStart;
        i += c == '\n' ? 1 : 0;  // CRLF is one line end, even across chunks
        break;
      case State::kLineStart:
        if (is_line_end(c)) {
          dispatch(sink);  // a blank line ends the event
          state_ = c == '\r' ? State::kAfterCr : State::kLineStart;
          ++i;
        } else if (c == ':') {
          field_ = Field::kComment;
          state_ = State::kValue;
          grow_line(1);
          ++i;
        } else if (const std::size_t taken = take_common_field(chunk.substr(i)); taken > 0) {
          i += taken;
        } else {
          name_.clear();
          state_ = State::kName;
        }
        break;
      case State::kName:
        if (c == ':' || is_line_end(c)) {
          field_ = field_named(name_);
          begin_value();
          state_ = State::kSpace;
          if (c == ':') {
            grow_line(1);
            ++i;
          }
        } else {
          if (name_.size() <= kLongestFieldName) {
            name_.push_back(c);  // a longer name is an unknown field whatever follows
          }
          grow_line(1);
          ++i;
        }
        break;
      case State::kSpace:
        state_ = State::kValue;
        if (c == ' ') {
          grow_line(1);
          ++i;
        }
        break;
      case State::kValue:
        i += read_value(chunk.substr(i));
        if (i < chunk.size() && !failed()) {
          end_line();
          state_ = chunk[i] == '\r' ? State::kAfterCr : State::kLineStart;
          ++i;
        }
        break;
    }
  }
}

// "data: " and "event: " start nearly every line: taken at once, to the same effect as the
// name, the colon and the space taken one by one through kName and kSpace.
std::size_t SseReader::take_common_field(std::string_view rest) {
  constexpr std::string_view kData = "data: ";
  constexpr std::string_view kEvent = "event: ";
  const bool data = rest.substr(0, kData.size()) == kData;
  if (!data && rest.substr(0, kEvent.size()) != kEvent) {
    return 0;
  }
  field_ = data ? Field::kData : Field::kEvent;
  const std::size_t taken = data ? kData.size() : kEvent.size();
  if (grow_line(taken)) {
    begin_value();
  }
  state_ = State::kValue;
  return taken;
}

std::size_t SseReader::read_value(std::string_view rest) {
  const std::size_t n = line_end(rest);
  const std::string_view value = rest.substr(0, n);
  if (!grow_line(n)) {
    return n;
  }
  switch (field_) {
    case Field::kData:
    case Field::kEvent:
      if (type_.size() + data_.size() + n > limits_.max_event_bytes) {
        fail("an event is longer than " + std::to_string(limits_.max_event_bytes) + " bytes");
        return n;
      }
      (field_ == Field::kData ? data_ : type_).append(value);
      break;
    case Field::kId:
      id_has_nul_ = id_has_nul_ || value.find('\0') != std::string_view::npos;
      pending_id_.append(value);
      break;
    case Field::kRetry:
      for (const char c : value) {
        retry_valid_ = retry_valid_ && c >= '0' && c <= '9' && ++retry_digits_ <= kMaxRetryDigits;
        if (retry_valid_) {
          pending_retry_ = pending_retry_ * 10 + (c - '0');
        }
      }
      break;
    case Field::kNone:
    case Field::kComment:
      break;
  }
  return n;
}

void SseReader::begin_value() {
  switch (field_) {
    case Field::kData:
      if (has_data_) {
        if (type_.size() + data_.size() + 1 > limits_.max_event_bytes) {
          fail("an event is longer than " + std::to_string(limits_.max_event_bytes) + " bytes");
          return;
        }
        data_.push_back('\n');  // data lines of one event join with LF
      }
      has_data_ = true;
      break;
    case Field::kEvent:
      type_.clear();
      break;
    case Field::kId:
      pending_id_.clear();
      id_has_nul_ = false;
      break;
    case Field::kRetry:
      pending_retry_ = 0;
      retry_digits_ = 0;
      retry_valid_ = true;
      break;
    case Field::kNone:
    case Field::kComment:
      break;
  }
}

void SseReader::end_line() {
  if (field_ == Field::kId && !id_has_nul_) {
    id_.swap(pending_id_);
  } else if (field_ == Field::kRetry && retry_valid_ && retry_digits_ > 0) {
    retry_ms_ = pending_retry_;
  }
  field_ = Field::kNone;
  line_bytes_ = 0;
}

void SseReader::dispatch(const Sink& sink) {
  if (has_data_) {
    ++events_;
    sink(SseEvent{type_.empty() ? std::string_view("message") : std::string_view(type_), data_,
                  id_});
  }
  data_.clear();
  type_.clear();
  has_data_ = false;
}

bool SseReader::grow_line(std::size_t bytes) {
  line_bytes_ += bytes;
  if (line_bytes_ > limits_.max_line_bytes) {
    fail("a line is longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
    return false;
  }
  return true;
}

void SseReader::fail(std::string message) {
  if (error_.empty()) {
    error_ = "the event stream is malformed: " + std::move(message);
  }
}

}  // namespace lava_mcp
