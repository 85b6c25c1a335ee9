#include "translators/stream_decoder.h"

#include "base/bounded_json.h"
#include "translators/common.h"

namespace lava_mcp::translators {

Expected<void> StreamDecoder::read(std::string_view data) {
  if (!error_.is_null() || (ended_ && !reads_after_end())) {
    return {};
  }
  if (is_end_marker(data)) {
    ended_ = true;
    return {};
  }
  if (in_place_ && read_in_place(data)) {
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

}  // namespace lava_mcp::translators
