// Okapi BM25 (k1 = 1.2, b = 0.75) over weighted term counts: the one relevance formula behind
// search's provider ranking and get_provider_docs' section order. Pure: no I/O, no globals.
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace lava_mcp {

// One document as BM25 sees it: each term's weighted count, and their sum as its length.
struct Bm25Document {
  std::unordered_map<std::string, double> weights;
  double length = 0;

  void add(std::string term, double weight) {
    weights[std::move(term)] += weight;
    length += weight;
  }
};

// One score per document, in the documents' order, for the distinct terms of a query. A term
// no document holds adds nothing; an empty collection gives no scores.
std::vector<double> bm25_scores(std::span<const Bm25Document> documents,
                                std::span<const std::string> query_terms);

}  // namespace lava_mcp
