#include <map>
#include <string>

#include "base/bounded_json.h"
#include "base/json_access.h"
#include "base/json_cursor.h"
#include "translators/common.h"
#include "translators/stream_decoder.h"

namespace lava_mcp::translators {
namespace {

using nlohmann::json;

struct BlockParts {
  json block;                // from content_block_start, its deltas applied
  std::string partial_json;  // a tool_use block's input, in fragments
};

class AnthropicStreamDecoder final : public StreamDecoder {
 public:
  const char* terminal_event() const override { return "message_stop"; }

  // A content_block_delta of text (or thinking) for an open block: read_event would append the
  // piece to the block. Or an event that is nothing but its type (and index): ping,
  // content_block_stop, message_stop, whose only effect is the end.
  bool read_in_place(std::string_view data) override {
    if (message_.is_null()) {
      return false;
    }
    JsonCursor cursor(data);
    std::string type;
    long long index = -1;
    Piece piece;
    int members = 0;
    const bool read = cursor.each_member_once([&](const std::string& key) {
      ++members;
      return key == "type"    ? cursor.string(type)
             : key == "index" ? cursor.integer(index)
                              : key == "delta" && read_piece(cursor, piece);
    });
    if (!read || !cursor.at_end()) {
      return false;
    }
    if (type != "content_block_delta") {
      return members == (index >= 0 ? 2 : 1) && read_bare(type);
    }
    // Each member once: three are the type, the index and the delta.
    const auto found = blocks_.find(index);
    if (members != 3 || found == blocks_.end()) {
      return false;
    }
    std::string& field = append_counted(found->second.block[piece.key], piece.text, piece.counted);
    appended_at(piece.token, field, piece.counted);
    return true;
  }

  Expected<void> read_event(const json& event) override {
    const std::string* type = detail::string_member(event, "type");
    if (type == nullptr) {
      return fail(detail::invalid_response("stream", "expected an event with a type"));
    }
    if (*type == "message_start") {
      return read_start(event);
    }
    if (message_.is_null()) {
      if (*type == "ping") {
        return {};
      }
      return fail(detail::invalid_response("stream", "expected message_start before " + *type));
    }
    if (*type == "content_block_start") {
      return read_block_start(event);
    }
    if (*type == "content_block_delta") {
      return read_block_delta(event);
    }
    if (*type == "message_delta") {
      read_message_delta(event);
    } else if (*type == "message_stop") {
      ended_ = true;
    }
    return {};  // ping, content_block_stop and event types added later carry nothing to keep
  }

  json rebuilt_body() const override {
    json body = message_.is_null() ? json::object() : message_;
    json content = json::array();
    for (const auto& [index, parts] : blocks_) {
      json block = parts.block;
      if (string_or_empty(block, "type") == "tool_use") {
        block["input"] = tool_input(parts.partial_json);
      }
      content.push_back(std::move(block));
    }
    body["content"] = std::move(content);
    return body;
  }

 private:
  Expected<void> read_start(const json& event) {
    if (!message_.is_null()) {
      return {};  // a duplicate message_start is ignored (translation.md 10.1)
    }
    const json* message = detail::object_member(event, "message");
    if (message == nullptr) {
      return fail(detail::invalid_response("stream", "expected message_start with a message"));
    }
    message_ = *message;
    return {};
  }

  Expected<void> read_block_start(const json& event) {
    const json* index = detail::member(event, "index");
    const json* block = detail::object_member(event, "content_block");
    if (index == nullptr || !index->is_number_integer() || block == nullptr) {
      return fail(detail::invalid_response("stream",
                                           "expected content_block_start with index "
                                           "and content_block"));
    }
    BlockParts& parts = blocks_[index->get<long long>()];
    parts.block = *block;
    if (string_or_empty(parts.block, "type") == "tool_use") {
      parts.block.erase("input");  // the fragments bring it
    }
    return {};
  }

  Expected<void> read_block_delta(const json& event) {
    const json* index = detail::member(event, "index");
    const json* delta = detail::object_member(event, "delta");
    const auto found = index != nullptr && index->is_number_integer()
                           ? blocks_.find(index->get<long long>())
                           : blocks_.end();
    if (delta == nullptr || found == blocks_.end()) {
      return fail(detail::invalid_response("stream", "a content_block_delta names no open block"));
    }
    BlockParts& parts = found->second;
    const std::string_view delta_type = string_or_empty(*delta, "type");
    if (delta_type == "input_json_delta") {
      if (const std::string* fragment = detail::string_member(*delta, "partial_json")) {
        parts.partial_json += *fragment;
        count_received(*fragment);
      }
    } else if (delta_type == "text_delta") {
      append(parts.block, "text", *delta, Counted::kAnswer);
    } else if (delta_type == "thinking_delta") {
      append(parts.block, "thinking", *delta, Counted::kThinking);
    } else if (delta_type == "signature_delta") {
      append(parts.block, "signature", *delta, Counted::kNot);
    }
    return {};
  }

  struct Piece {
    const char* key = "";
    std::string text;
    Counted counted = Counted::kNot;
    JsonCursor::Token token;  // the text's string in the event
  };

  // An event that is only its type (and index): ping, content_block_stop, message_stop.
  bool read_bare(const std::string& type) {
    if (type == "message_stop") {
      ended_ = true;
      return true;
    }
    return type == "ping" || type == "content_block_stop";
  }

  // {"type": "text_delta", "text": "..."} or {"type": "thinking_delta", "thinking": "..."}.
  static bool read_piece(JsonCursor& cursor, Piece& piece) {
    std::string key;
    std::string type;
    std::string name;
    int members = 0;
    if (!cursor.open_object()) {
      return false;
    }
    while (cursor.next_key(key)) {
      ++members;
      if (!(key == "type" ? cursor.string(type)
                          : (name = key, cursor.string(piece.text, piece.token)))) {
        return false;
      }
    }
    if (cursor.failed() || members != 2) {
      return false;
    }
    if (type == "text_delta" && name == "text") {
      piece.key = "text";
      piece.counted = Counted::kAnswer;
      return true;
    }
    if (type == "thinking_delta" && name == "thinking") {
      piece.key = "thinking";
      piece.counted = Counted::kThinking;
      return true;
    }
    return false;
  }

  void append(json& block, const char* key, const json& delta, Counted counted) {
    if (const std::string* piece = detail::string_member(delta, key)) {
      append_counted(block[key], *piece, counted);
    }
  }

  // stop_reason and stop_sequence; usage counts are cumulative and may restate the input's.
  void read_message_delta(const json& event) {
    if (const json* delta = detail::object_member(event, "delta")) {
      for (const char* key : {"stop_reason", "stop_sequence"}) {
        if (const json* value = detail::member(*delta, key)) {
          message_[key] = *value;
        }
      }
    }
    if (const json* usage = detail::object_member(event, "usage")) {
      json& kept = message_["usage"];
      if (!kept.is_object()) {
        kept = json::object();
      }
      for (const auto& [key, value] : usage->items()) {
        if (!value.is_null()) {
          kept[key] = value;
        }
      }
    }
  }

  // A tool's input from its fragments: none is a no-arg call ({}); fragments that do not join
  // into an object are kept as text, which from_anthropic refuses by name.
  static json tool_input(const std::string& partial_json) {
    if (partial_json.empty()) {
      return json::object();
    }
    json input = parse_bounded_json(partial_json);
    return input.is_discarded() ? json(partial_json) : input;
  }

  json message_;
  std::map<long long, BlockParts> blocks_;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_anthropic_stream_decoder() {
  return std::make_unique<AnthropicStreamDecoder>();
}

}  // namespace lava_mcp::translators
