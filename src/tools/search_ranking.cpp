#include "tools/search_ranking.h"

#include <algorithm>
#include <cmath>

#include "base/bm25.h"
#include "base/text_basics.h"

namespace lava_mcp::tools {
namespace {

// Words that say nothing about which provider is meant.
constexpr std::string_view kStopWords[] = {
    "a",  "an", "and", "api", "for", "how",  "i",    "in",   "is",   "me", "my", "of",
    "on", "or", "the", "to",  "use", "want", "with", "need", "that", "do", "can"};

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

void add_term(std::string word, std::vector<std::string>& out) {
  if (word.size() > 3 && word.back() == 's' && word[word.size() - 2] != 's') {
    word.pop_back();
  }
  if (std::find(std::begin(kStopWords), std::end(kStopWords), word) == std::end(kStopWords)) {
    out.push_back(std::move(word));
  }
}

// One document: weighted term frequencies over the provider's fields.
Bm25Document index_provider(const gateway::Provider& p) {
  Bm25Document doc;
  const auto add_field = [&doc](std::string_view text, double weight) {
    for (std::string& term : tokenize(text)) {
      doc.add(std::move(term), weight);
    }
  };
  add_field(p.id, 3.0);
  add_field(p.name, 3.0);
  add_field(p.category, 1.5);
  for (const auto& tag : p.tags) {
    add_field(tag, 2.0);
  }
  for (const auto& model : p.models) {
    add_field(model, 1.5);
  }
  for (const auto& model : p.deprecated_models) {
    add_field(model.id, 0.5);  // findable, but never an exact match that ranks the provider first
  }
  add_field(p.description, 1.0);
  return doc;
}

bool is_exact(const gateway::Provider& p, const std::string& query) {
  if (query == ascii_lower(p.id) || query == ascii_lower(p.name)) {
    return true;
  }
  return std::any_of(p.models.begin(), p.models.end(),
                     [&](const std::string& model) { return ascii_lower(model) == query; });
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  const std::string lowered = ascii_lower(text);
  std::string word;
  std::string compound;  // word-hyphen-word, kept whole as well
  bool compound_has_hyphen = false;
  const auto flush_compound = [&] {
    if (compound_has_hyphen && !compound.empty() && compound.back() != '-') {
      out.push_back(compound);
    }
    compound.clear();
    compound_has_hyphen = false;
  };
  for (const char ch : lowered) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_word_byte(c)) {
      word.push_back(ch);
      compound.push_back(ch);
      continue;
    }
    if (!word.empty()) {
      add_term(std::move(word), out);
      word.clear();
    }
    if ((c == '-' || c == '.') && !compound.empty() && compound.back() != '-') {
      compound.push_back('-');
      compound_has_hyphen = true;
    } else {
      flush_compound();
    }
  }
  if (!word.empty()) {
    add_term(std::move(word), out);
  }
  flush_compound();
  return out;
}

std::vector<SearchHit> rank_providers(std::span<const gateway::Provider> providers,
                                      std::string_view query, std::string_view category,
                                      std::size_t limit) {
  const std::string wanted_category = ascii_lower(trim_space(category));
  std::vector<const gateway::Provider*> pool;
  for (const auto& provider : providers) {
    if (wanted_category.empty() || ascii_lower(provider.category) == wanted_category) {
      pool.push_back(&provider);
    }
  }
  std::vector<Bm25Document> docs;
  docs.reserve(pool.size());
  for (const auto* provider : pool) {
    docs.push_back(index_provider(*provider));
  }
  std::vector<std::string> terms = tokenize(query);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());

  const std::vector<double> scores = bm25_scores(docs, terms);
  const std::string normalized_query = ascii_lower(trim_space(query));
  std::vector<SearchHit> hits;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const double score = scores[i];
    const bool exact = is_exact(*pool[i], normalized_query);
    if (score > 0 || exact) {
      hits.push_back(SearchHit{pool[i], std::round(score * 1000.0) / 1000.0, exact});
    }
  }
  std::sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    if (a.exact != b.exact) {
      return a.exact;
    }
    if (a.score != b.score) {
      return a.score > b.score;
    }
    return a.provider->id < b.provider->id;
  });
  if (hits.size() > limit) {
    hits.resize(limit);
  }
  return hits;
}

}  // namespace lava_mcp::tools
