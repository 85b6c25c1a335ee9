#include "base/json_writer.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "base/hex.h"
#include "base/json_bytes.h"
#include "base/utf8.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;

std::string nlohmann_dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The escape JSON requires for `c`, or nullptr when `c` is written as it is (the same choices
// as nlohmann: short forms where JSON has one, \u00xx with lowercase hex for other controls).
const char* short_escape(unsigned char c) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\b':
      return "\\b";
    case '\t':
      return "\\t";
    case '\n':
      return "\\n";
    case '\f':
      return "\\f";
    case '\r':
      return "\\r";
    default:
      return nullptr;
  }
}

// nlohmann::json::dump copies each string one code point at a time through a UTF-8 decoder and
// a 512-byte buffer, and reaches every value through its iterators. Here strings are scanned
// eight bytes at a time for the few characters JSON must escape, calling `escape(at, c)` for
// each in order; only bytes above 0x7F are decoded, to check them as UTF-8. False (part of the
// calls made) when `text` is not valid UTF-8.
template <typename Escape>
bool for_each_escape(std::string_view text, Escape escape) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (const std::size_t n = std::min(sizeof(std::uint64_t), text.size() - i);
        json_bytes::all_plain(json_bytes::load(text.data() + i, n))) {  // most text
      i += n;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        return false;
      }
      i += length;
      continue;
    }
    if (c < 0x20 || c == '"' || c == '\\') {
      escape(i, c);
    }
    ++i;
  }
  return true;
}

// Copied in runs between the escapes. False, having written part of it, when `text` is not
// valid UTF-8.
bool append_valid_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t run = 0;
  const bool valid = for_each_escape(text, [&](std::size_t at, unsigned char c) {
    out.append(text, run, at - run);
    if (const char* escape = short_escape(c)) {
      out += escape;
    } else {
      out += "\\u00";
      append_hex_byte(out, c);
    }
    run = at + 1;
  });
  if (!valid) {
    return false;
  }
  out.append(text, run);
  out += '"';
  return true;
}

void append_string(std::string& out, const std::string& text) {
  const std::size_t start = out.size();
  if (!append_valid_string(out, text)) {
    // nlohmann's replacement rules for broken sequences are its own; rare enough to hand over.
    out.resize(start);
    out += nlohmann_dump(Json(text));
  }
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

}  // namespace

void append_compact_json(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
      append_integer(out, value.get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      append_integer(out, value.get<std::uint64_t>());
      return;
    case Json::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      return;
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& element : value.get_ref<const Json::array_t&>()) {
        if (!first) {
          out += ',';
        }
        first = false;
        append_compact_json(out, element);
      }
      out += ']';
      return;
    }
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const Json::object_t&>()) {
        if (!first) {
          out += ',';
        }
        first = false;
        append_string(out, key);
        out += ':';
        append_compact_json(out, member);
      }
      out += '}';
      return;
    }
    default:  // floats (nlohmann's shortest round-trip form), binary, discarded: as nlohmann does
      out += nlohmann_dump(value);
      return;
  }
}

std::string compact_json(const Json& value) {
  std::string out;
  append_compact_json(out, value);
  return out;
}

namespace {

// What append_string would write, counted: the text and its quotes, and the extra characters
// of each escape; a string that is not valid UTF-8 is written, since its replacements are
// nlohmann's.
std::size_t string_size(const std::string& text) {
  std::size_t size = text.size() + 2;
  const bool valid = for_each_escape(
      text, [&](std::size_t, unsigned char c) { size += json_escaped_length(c) - 1; });
  if (!valid) {
    std::string out;
    append_string(out, text);
    return out.size();
  }
  return size;
}

}  // namespace

std::size_t compact_json_size(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return string_size(value.get_ref<const std::string&>());
    case Json::value_t::array: {
      const auto& elements = value.get_ref<const Json::array_t&>();
      std::size_t size = elements.empty() ? 2 : 1 + elements.size();  // brackets and commas
      for (const Json& element : elements) {
        size += compact_json_size(element);
      }
      return size;
    }
    case Json::value_t::object: {
      const auto& members = value.get_ref<const Json::object_t&>();
      std::size_t size = members.empty() ? 2 : 1 + 2 * members.size();  // braces, colons, commas
      for (const auto& [key, member] : members) {
        size += string_size(key) + compact_json_size(member);
      }
      return size;
    }
    default:  // a scalar: a few bytes, written
      return compact_json(value).size();
  }
}

}  // namespace lava_mcp
