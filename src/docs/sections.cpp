#include "docs/sections.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
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
  const auto ends_with = [&term](std::string_view suffix) {
    return term.size() >= suffix.size() &&
           std::string_view(term).substr(term.size() - suffix.size()) == suffix;
  };
  if (term.size() > 4 && ends_with("ies")) {
    term.replace(term.size() - 3, 3, "y");
  } else if (term.size() > 4 &&
             (ends_with("sses") || ends_with("xes") || ends_with("ches") || ends_with("shes"))) {
    term.resize(term.size() - 2);
  } else if (term.size() > 3 && ends_with("s") && !ends_with("ss") && !ends_with("us") &&
             !ends_with("is")) {
    term.pop_back();
  }
  return term;
}

struct Terms {
  std::unordered_map<std::string, int> counts;
  int length = 0;
};

void add_terms(std::string_view text, int weight, Terms& terms) {
  for (std::string& term : topic_terms(text)) {
    terms.counts[std::move(term)] += weight;
    terms.length += weight;
  }
}

std::string_view next_line(std::string_view text, std::size_t& pos) {
  const std::size_t end = text.find('\n', pos);
  const std::string_view line =
      text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
  pos = end == std::string_view::npos ? text.size() : end + 1;
  return line;
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
  return std::string(trim_end(body.substr(std::min(start, body.size()))));
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
    std::vector<Terms> docs(sections.size());
    double total_length = 0;
    for (std::size_t i = 0; i < sections.size(); ++i) {
      add_terms(sections[i].heading, kHeadingWeight, docs[i]);
      add_terms(sections[i].text, 1, docs[i]);
      total_length += docs[i].length;
    }
    const double n = static_cast<double>(sections.size());
    const double average = std::max(total_length / n, 1.0);
    std::vector<double> scores(sections.size(), 0.0);
    for (const std::string& term : query) {
      double containing = 0;
      for (const Terms& doc : docs) {
        containing += doc.counts.count(term) > 0 ? 1 : 0;
      }
      if (containing == 0) {
        continue;
      }
      const double idf = std::log(1.0 + (n - containing + 0.5) / (containing + 0.5));
      for (std::size_t i = 0; i < docs.size(); ++i) {
        const auto it = docs[i].counts.find(term);
        if (it == docs[i].counts.end()) {
          continue;
        }
        const double tf = it->second;
        const double norm = kK1 * (1 - kB + kB * docs[i].length / average);
        scores[i] += idf * tf * (kK1 + 1) / (tf + norm);
      }
    }
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
    end = utf8_safe_length(text, max_chars);
  }
  return Cut{std::string(trim_end(text.substr(0, end))), true};
}

}  // namespace lava_mcp::docs
