#include "tools/result_budget.h"

#include <algorithm>
#include <string_view>

#include "base/json_writer.h"
#include "base/utf8.h"

namespace lava_mcp::tools {
namespace {

constexpr std::string_view kStructuredReader = "claude-code";  // clientInfo.name (README)
constexpr std::string_view kSeparator = "\n\n";

std::size_t json_string_chars(std::string_view text) {
  std::size_t chars = 2;  // the quotes
  for (const char c : text) {
    chars += json_escaped_length(static_cast<unsigned char>(c));
  }
  return chars;
}

// The longest prefix of `text` that takes at most `room` characters as a JSON string, never
// splitting a UTF-8 sequence.
std::string_view prefix_within(std::string_view text, std::size_t room) {
  std::size_t used = 2;
  std::size_t end = 0;
  while (end < text.size() &&
         used + json_escaped_length(static_cast<unsigned char>(text[end])) <= room) {
    used += json_escaped_length(static_cast<unsigned char>(text[end]));
    ++end;
  }
  return utf8_prefix(text, end);
}

std::size_t room_left(std::size_t budget, std::size_t used) {
  return used < budget ? budget - used : 0;
}

std::string cut_note(const Payload& payload, std::size_t kept, PayloadSide side) {
  return "[cut: " + payload.what + " is " + std::to_string(payload.text.size()) + " characters; " +
         (side == PayloadSide::kStructured ? "structuredContent carries" : "this result carries") +
         " the first " + std::to_string(kept) + " to stay within the host's result limit. " +
         payload.how_to_get_more + "]";
}

std::string& head_text(ToolResult& result) {
  return result.content.at(0).at("text").get_ref<std::string&>();
}

// Appends to the first text block, a blank line after what is there already.
void append_text(ToolResult& result, std::string_view more) {
  std::string& text = head_text(result);
  if (!text.empty()) {
    text += kSeparator;
  }
  text += more;
}

// "/choices/0/message/content" as a reader writes it: "choices[0].message.content".
std::string display_path(std::string_view pointer) {
  std::string out;
  std::size_t start = 1;
  while (start <= pointer.size()) {
    const std::size_t end = std::min(pointer.find('/', start), pointer.size());
    const std::string_view part = pointer.substr(start, end - start);
    const bool index =
        !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
    out += index ? "[" + std::string(part) + "]" : (out.empty() ? "" : ".") + std::string(part);
    start = end + 1;
  }
  return out;
}

Json& slot(ToolResult& result, const std::string& pointer) {
  return result.structured[Json::json_pointer(pointer)];
}

// The payload in the text block only: whole when it fits, else cut with a note.
Placed place_in_text(ToolResult& result, const Payload& payload, const ResultBudget& budget) {
  if (result.structured.is_object() && !payload.key.empty()) {
    result.structured["payload_in"] = "content";
  }
  const std::size_t fixed = result_chars(result) + 2 * kSeparator.size();
  if (fixed + json_string_chars(payload.text) - 2 <= budget.chars) {
    append_text(result, payload.text);
    return {false, payload.text.size()};
  }
  const std::size_t note_chars =
      json_string_chars(cut_note(payload, payload.text.size(), budget.side));
  const auto kept = prefix_within(payload.text, room_left(budget.chars, fixed + note_chars));
  append_text(result, std::string(kept) + std::string(kSeparator) +
                          cut_note(payload, kept.size(), PayloadSide::kText));
  return {true, kept.size()};
}

// The payload in structuredContent only; the text says where it is, or that it was cut.
Placed place_in_structured(ToolResult& result, const Payload& payload, const ResultBudget& budget) {
  const std::size_t head_size = head_text(result).size();
  append_text(result, "The whole of " + payload.what + " (" + std::to_string(payload.text.size()) +
                          " characters) is in structuredContent." + display_path(payload.key) +
                          ".");
  const std::size_t fixed = result_chars(result) + payload.key.size() + 4;  // ,"key":
  const std::size_t whole =
      payload.value.is_null() ? json_string_chars(payload.text) : compact_json_size(payload.value);
  if (fixed + whole <= budget.chars) {
    slot(result, payload.key) = payload.value.is_null() ? Json(payload.text) : payload.value;
    return {false, payload.text.size()};
  }
  head_text(result).resize(head_size);
  const std::string key = payload.cut_key.empty() ? payload.key : payload.cut_key;
  const std::string note = cut_note(payload, payload.text.size(), PayloadSide::kStructured);
  const std::size_t used =
      result_chars(result) + kSeparator.size() + json_string_chars(note) + key.size() + 4;
  const auto kept = prefix_within(payload.text, room_left(budget.chars, used));
  append_text(result, cut_note(payload, kept.size(), PayloadSide::kStructured));
  slot(result, key) = std::string(kept);
  return {true, kept.size()};
}

}  // namespace

ResultBudget result_budget(const RequestContext& context, std::size_t tokens) {
  ResultBudget budget;
  budget.chars = tokens * kCharsPerToken;
  const bool reads_structured =
      context.features().structured_content && context.client_name() == kStructuredReader;
  budget.side = reads_structured ? PayloadSide::kStructured : PayloadSide::kText;
  return budget;
}

std::size_t result_chars(const ToolResult& result) {
  std::size_t chars = compact_json_size(result.content);
  if (!result.structured.is_null()) {
    chars += compact_json_size(result.structured);
  }
  return chars;
}

Placed place_payload(ToolResult& result, Payload payload, const ResultBudget& budget) {
  const bool structured_home = !payload.key.empty() && result.structured.is_object();
  if (structured_home && !payload.readable) {
    return place_in_structured(result, payload, budget);
  }
  const std::size_t text_chars = json_string_chars(payload.text);
  if (structured_home && text_chars <= budget.chars / 4) {
    // Small enough to carry twice: every host sees it, whichever side it reads.
    const std::size_t value_chars =
        payload.value.is_null() ? text_chars : compact_json_size(payload.value);
    if (result_chars(result) + text_chars + value_chars + payload.key.size() + 8 <= budget.chars) {
      append_text(result, payload.text);
      const std::size_t size = payload.text.size();
      slot(result, payload.key) =
          payload.value.is_null() ? Json(std::move(payload.text)) : std::move(payload.value);
      return {false, size};
    }
  }
  // An isError result reaches Claude Code's model as its text alone (anthropics/claude-code
  // #86032): the error body must be read there, whatever the host reads otherwise.
  if (structured_home && budget.side == PayloadSide::kStructured && !result.is_error) {
    return place_in_structured(result, payload, budget);
  }
  return place_in_text(result, payload, budget);
}

}  // namespace lava_mcp::tools
