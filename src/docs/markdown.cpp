#include "docs/markdown.h"

#include <optional>
#include <vector>

#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

// Where the body starts after a closed front matter block, or 0 when there is none.
std::size_t front_matter_end(std::string_view text) {
  std::size_t pos = 0;
  const std::string_view first = trim_space_end(next_line(text, pos));
  if (first != "---" && first != "+++") {
    return 0;
  }
  while (pos < text.size()) {
    const std::string_view line = trim_space_end(next_line(text, pos));
    if (line == first || (first == "---" && line == "...")) {
      return pos;
    }
  }
  return 0;
}

class CommentStripper {
 public:
  explicit CommentStripper(std::string_view text) : text_(text) {}

  // `line` (at offset `offset` of the text) without its HTML comments; `in_comment` carries a
  // comment across lines. Code spans are left alone.
  std::string strip(std::string_view line, std::size_t offset, bool& in_comment) {
    std::string out;
    std::size_t i = 0;
    if (in_comment) {
      const std::size_t close = line.find("-->");
      if (close == std::string_view::npos) {
        return out;
      }
      in_comment = false;
      i = close + 3;
    }
    while (i < line.size()) {
      const char c = line[i];
      if (c == '`') {
        std::size_t run = 0;
        while (i + run < line.size() && line[i + run] == '`') {
          ++run;
        }
        const std::size_t close = find_backtick_run(line, i + run, run);
        const std::size_t end = close == std::string_view::npos ? i + run : close + run;
        out.append(line, i, end - i);
        i = end;
        continue;
      }
      if (c == '<' && line.substr(i, 4) == "<!--") {
        const std::size_t close = line.find("-->", i + 4);
        if (close != std::string_view::npos) {
          i = close + 3;
          if (!out.empty() && out.back() == ' ' && i < line.size() && line[i] == ' ') {
            ++i;  // "a <!-- x --> b" reads "a b"
          }
          continue;
        }
        if (closer_exists(offset + i + 4)) {
          in_comment = true;
          return out;
        }
      }
      out += c;
      ++i;
    }
    return out;
  }

 private:
  static std::size_t find_backtick_run(std::string_view line, std::size_t from, std::size_t run) {
    std::size_t i = from;
    while (i < line.size()) {
      if (line[i] != '`') {
        ++i;
        continue;
      }
      std::size_t length = 0;
      while (i + length < line.size() && line[i + length] == '`') {
        ++length;
      }
      if (length == run) {
        return i;
      }
      i += length;
    }
    return std::string_view::npos;
  }

  // Whether "-->" occurs at or after `from`; remembers the answer so the scan stays linear.
  bool closer_exists(std::size_t from) {
    if (last_closer_ != std::string_view::npos && last_closer_ >= from) {
      return true;
    }
    if (no_closer_after_ <= from) {
      return false;
    }
    last_closer_ = text_.find("-->", from);
    if (last_closer_ == std::string_view::npos) {
      no_closer_after_ = from;
      return false;
    }
    return true;
  }

  std::string_view text_;
  std::size_t last_closer_ = std::string_view::npos;
  std::size_t no_closer_after_ = std::string_view::npos;
};

}  // namespace

std::string markdown_passthrough(std::string_view input) {
  const std::string cleaned = clean_text(input);
  const std::string_view text(cleaned);
  std::size_t pos = front_matter_end(text);
  CommentStripper stripper(text);
  std::optional<Fence> fence;
  bool in_comment = false;
  int blank_run = 0;
  std::string out;
  out.reserve(text.size());
  auto emit = [&](std::string_view line) {
    if (is_blank(line) && !fence) {
      if (out.empty() || blank_run > 0) {
        return;
      }
      ++blank_run;
      out += '\n';
      return;
    }
    blank_run = 0;
    out.append(line);
    out += '\n';
  };
  while (pos < text.size()) {
    const std::size_t offset = pos;
    const std::string_view line = next_line(text, pos);
    if (fence) {
      emit(line);
      if (closes_fence(line, *fence)) {
        fence.reset();
      }
      continue;
    }
    if (!in_comment) {
      if (auto opening = opening_fence(line)) {
        fence = opening;
        blank_run = 0;
        out.append(line);
        out += '\n';
        continue;
      }
    }
    const bool was_blank = is_blank(line);
    const std::string stripped = stripper.strip(line, offset, in_comment);
    if (!was_blank && is_blank(stripped)) {
      continue;  // a line that held only a comment leaves nothing behind
    }
    emit(stripped);
  }
  return std::string(trim_space_end(out));
}

}  // namespace lava_mcp::docs
