#include "docs/text_util.h"

#include <cstdint>

#include "base/utf8.h"

namespace lava_mcp::docs {

std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    i = 3;
  }
  while (i < text.size()) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      if (c == '\r') {
        out += '\n';
        i += (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
        continue;
      }
      if (c == '\f') {
        out += ' ';
      } else if (c == '\t' || c == '\n' || (u >= 0x20 && u != 0x7F)) {
        out += c;
      }
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text, i, length);
      i += length;
    }
  }
  return out;
}

bool is_blank(std::string_view text) { return trim_space(text).empty(); }

std::string_view next_line(std::string_view text, std::size_t& pos) {
  const std::size_t end = text.find('\n', pos);
  const std::string_view line =
      text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
  pos = end == std::string_view::npos ? text.size() : end + 1;
  return line;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (is_ascii_space(c)) {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

std::optional<Fence> opening_fence(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') {
    ++i;
  }
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) {
    return std::nullopt;
  }
  Fence fence{line[i], 0};
  while (i < line.size() && line[i] == fence.marker) {
    ++fence.length;
    ++i;
  }
  if (fence.length < 3) {
    return std::nullopt;
  }
  // CommonMark: a backtick fence's info string may not contain backticks.
  if (fence.marker == '`' && line.substr(i).find('`') != std::string_view::npos) {
    return std::nullopt;
  }
  return fence;
}

bool closes_fence(std::string_view line, const Fence& fence) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') {
    ++i;
  }
  std::size_t run = 0;
  while (i < line.size() && line[i] == fence.marker) {
    ++run;
    ++i;
  }
  return run >= fence.length && is_blank(line.substr(i));
}

int atx_heading(std::string_view line, std::string_view* text) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') {
    ++i;
  }
  int level = 0;
  while (i < line.size() && line[i] == '#' && level < 7) {
    ++level;
    ++i;
  }
  if (level == 0 || level > 6 || (i < line.size() && line[i] != ' ' && line[i] != '\t')) {
    return 0;
  }
  if (text != nullptr) {
    std::string_view rest = trim_space(line.substr(i));
    // An optional closing run of '#' preceded by a space (or making up the whole text).
    std::size_t end = rest.size();
    while (end > 0 && rest[end - 1] == '#') {
      --end;
    }
    if (end == 0) {
      rest = {};
    } else if (end < rest.size() && (rest[end - 1] == ' ' || rest[end - 1] == '\t')) {
      rest = trim_space(rest.substr(0, end));
    }
    *text = rest;
  }
  return level;
}

}  // namespace lava_mcp::docs
