#include "base/bm25.h"

#include <algorithm>
#include <cmath>

namespace lava_mcp {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

}  // namespace

std::vector<double> bm25_scores(std::span<const Bm25Document> documents,
                                std::span<const std::string> query_terms) {
  std::vector<double> scores(documents.size(), 0.0);
  if (documents.empty()) {
    return scores;
  }
  double total_length = 0;
  for (const Bm25Document& document : documents) {
    total_length += document.length;
  }
  const double n = static_cast<double>(documents.size());
  const double average_length = std::max(total_length / n, 1.0);
  for (const std::string& term : query_terms) {
    double containing = 0;
    for (const Bm25Document& document : documents) {
      containing += document.weights.count(term) > 0 ? 1 : 0;
    }
    if (containing == 0) {
      continue;
    }
    const double idf = std::log(1.0 + (n - containing + 0.5) / (containing + 0.5));
    for (std::size_t i = 0; i < documents.size(); ++i) {
      const auto found = documents[i].weights.find(term);
      if (found == documents[i].weights.end()) {
        continue;
      }
      const double tf = found->second;
      const double norm = kK1 * (1.0 - kB + kB * documents[i].length / average_length);
      scores[i] += idf * tf * (kK1 + 1.0) / (tf + norm);
    }
  }
  return scores;
}

}  // namespace lava_mcp
