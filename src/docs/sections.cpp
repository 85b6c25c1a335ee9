#include "docs/sections.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <unordered_set>

#include "base/bm25.h"
#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

constexpr int kHeadingWeight = 3;

bool is_stop_word(std::string_view term) {
  static constexpr std::string_view kStopWords[] = {
      "a",   "an",   "and",  "are", "as",   "at",  "be",    "by",   "can", "do", "doe",
      "for", "from", "how",  "i",   "in",   "is",  "it",    "my",   "of",  "on", "or",
      "the", "thi",  "that", "to",  "this", "use", "using", "what", "with"};
  return std::find(std::begin(kStopWords), std::end(kStopWords), term) != std::end(kStopWords);
}

// "libraries" -> "library", "classes" -> "class", "keys" -> "key"; "status", "access" stay.
std::string stem(std::string term) {
  if (term.size() > 4 && term.ends_with("ies")) {
    term.replace(term.size() - 3, 3, "y");
  } else if (term.size() > 4 && (term.ends_with("sses") || term.ends_with("xes") ||
                                 term.ends_with("ches") || term.ends_with("shes"))) {
    term.resize(term.size() - 2);
  } else if (term.size() > 3 && term.ends_with("s") && !term.ends_with("ss") &&
             !term.ends_with("us") && !term.ends_with("is")) {
    term.pop_back();
  }
  return term;
}

void add_terms(std::string_view text, int weight, Bm25Document& terms) {
  for (std::string& term : topic_terms(text)) {
    terms.add(std::move(term), weight);
  }
}

// Drops leading blank lines and trailing whitespace, keeping the first line's indentation.
std::string trim_body(std::string_view body) {
  std::size_t start = 0;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t line_start = pos;
    if (!is_blank(next_line(body, pos))) {
      start = line_start;
      break;
    }
    start = pos;
  }
  return std::string(trim_space_end(body.substr(std::min(start, body.size()))));
}

}  // namespace

std::vector<std::string> topic_terms(std::string_view text) {
  std::vector<std::string> terms;
  std::string current;
  const auto finish = [&] {
    if (!current.empty()) {
      std::string term = stem(std::move(current));
      if (!is_stop_word(term)) {
        terms.push_back(std::move(term));
      }
      current.clear();
    }
  };
  for (char c : text) {
    // Bytes of multi-byte UTF-8 characters are word characters, so non-ASCII words stay whole.
    if (is_ascii_alnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      current += to_lower_ascii(c);
    } else {
      finish();
    }
  }
  finish();
  return terms;
}

std::vector<Section> split_sections(std::string_view text) {
  std::vector<Section> sections;
  Section current;
  std::size_t body_start = 0;
  std::optional<Fence> fence;
  std::size_t pos = 0;
  const auto close = [&](std::size_t body_end) {
    current.text = trim_body(text.substr(body_start, body_end - body_start));
    if (current.level > 0 || !current.text.empty()) {
      sections.push_back(std::move(current));
    }
    current = Section{};
  };
  while (pos < text.size()) {
    const std::size_t line_start = pos;
    const std::string_view line = next_line(text, pos);
    if (fence) {
      if (closes_fence(line, *fence)) {
        fence.reset();
      }
      continue;
    }
    if (auto opening = opening_fence(line)) {
      fence = opening;
      continue;
    }
    std::string_view heading;
    if (const int level = atx_heading(line, &heading); level > 0) {
      close(line_start);
      current.level = level;
      current.heading = std::string(heading);
      body_start = pos;
    }
  }
  close(text.size());
  return sections;
}

std::string render_section(const Section& section) {
  std::string out;
  if (section.level > 0) {
    out.append(static_cast<std::size_t>(std::clamp(section.level, 1, 6)), '#');
    out += ' ';
    out += section.heading;
  }
  if (!section.text.empty()) {
    if (!out.empty()) {
      out += "\n\n";
    }
    out += section.text;
  }
  return out;
}

std::string select_for_topic(const std::vector<Section>& sections, std::string_view topic) {
  std::vector<std::size_t> order(sections.size());
  std::iota(order.begin(), order.end(), 0);

  std::vector<std::string> query = topic_terms(topic);
  std::sort(query.begin(), query.end());
  query.erase(std::unique(query.begin(), query.end()), query.end());

  if (!query.empty() && !sections.empty()) {
    std::vector<Bm25Document> docs(sections.size());
    for (std::size_t i = 0; i < sections.size(); ++i) {
      add_terms(sections[i].heading, kHeadingWeight, docs[i]);
      add_terms(sections[i].text, 1, docs[i]);
    }
    const std::vector<double> scores = bm25_scores(docs, query);
    std::stable_sort(order.begin(), order.end(),
                     [&scores](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  }

  std::string out;
  for (std::size_t index : order) {
    const std::string rendered = render_section(sections[index]);
    if (rendered.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += "\n\n";
    }
    out += rendered;
  }
  return out;
}

Cut cut_at_boundary(std::string_view text, std::size_t max_chars) {
  if (text.size() <= max_chars) {
    return Cut{std::string(text), false};
  }
  // Boundaries count only in the last 40% of the budget.
  const std::size_t floor = max_chars - max_chars * 2 / 5;
  std::size_t heading = 0;
  std::size_t paragraph = 0;
  std::size_t newline = 0;
  std::optional<Fence> fence;
  std::size_t pos = 0;
  while (pos <= max_chars && pos < text.size()) {
    const std::size_t line_start = pos;
    const std::string_view line = next_line(text, pos);
    const bool ended = pos <= text.size() && pos > line_start + line.size();  // had a '\n'
    if (fence) {
      if (closes_fence(line, *fence)) {
        fence.reset();
      }
    } else if (opening_fence(line)) {
      fence = opening_fence(line);
    } else if (line_start > 0 && atx_heading(line) > 0) {
      heading = line_start;
    }
    if (line_start > 0 && is_blank(line)) {
      paragraph = line_start;
    }
    if (ended && pos <= max_chars) {
      newline = pos;
    }
  }
  std::size_t end = 0;
  if (heading >= floor && heading > 0) {
    end = heading;
  } else if (paragraph >= floor && paragraph > 0) {
    end = paragraph;
  } else if (newline >= floor && newline > 0) {
    end = newline;
  } else {
    end = utf8_prefix(text, max_chars).size();
  }
  return Cut{std::string(trim_space_end(text.substr(0, end))), true};
}

}  // namespace lava_mcp::docs
