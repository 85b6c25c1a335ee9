#include "translators/stream_decoder.h"

#include "base/bounded_json.h"
#include "base/json_reader.h"
#include "translators/common.h"

namespace lava_mcp::translators {

Expected<void> StreamDecoder::read(std::string_view data) {
  if (!error_.is_null() || (ended_ && !reads_after_end())) {
    return {};
  }
  if (in_place_ && template_.armed && read_repeat(data)) {
    return {};
  }
  template_.armed = false;  // only an unbroken run of repeats follows an in-place event
  if (is_end_marker(data)) {
    ended_ = true;
    return {};
  }
  repeat_ = {};
  if (in_place_ && read_in_place(data)) {
    arm_template(data);
    return {};
  }
  nlohmann::json event = parse_bounded_json(data);
  if (event.is_discarded() || !event.is_object()) {
    return fail(detail::invalid_response("stream", "an event of the stream is not a JSON object"));
  }
  if (detail::object_member(event, "error") != nullptr) {
    error_ = std::move(event);
    ended_ = true;
    return {};
  }
  return read_event(event);
}

// Replacing one JSON string token by another leaves every other token where it was: the event
// reads as the template's event with only that string changed.
bool StreamDecoder::read_repeat(std::string_view data) {
  const std::string& before = template_.before;
  const std::string& after = template_.after;
  if (data.size() <= before.size() + after.size() || data.substr(0, before.size()) != before ||
      data.substr(data.size() - after.size()) != after) {
    return false;
  }
  std::size_t at = before.size();
  piece_.clear();
  if (!read_json_string(data, at, piece_) || at != data.size() - after.size()) {
    return false;
  }
  count(piece_, repeat_.counted);
  repeat_.target->append(piece_);
  return true;
}

void StreamDecoder::arm_template(std::string_view data) {
  const JsonCursor::Token token = repeat_.token;
  if (repeat_.target == nullptr || token.end <= token.begin || token.end > data.size()) {
    return;  // the reader named no string
  }
  template_.before.assign(data.substr(0, token.begin));
  template_.after.assign(data.substr(token.end));
  template_.armed = true;
}

}  // namespace lava_mcp::translators
