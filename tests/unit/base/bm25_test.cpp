#include "base/bm25.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

namespace lava_mcp {
namespace {

Bm25Document document(std::initializer_list<std::pair<const char*, double>> terms) {
  Bm25Document doc;
  for (const auto& [term, weight] : terms) {
    doc.add(term, weight);
  }
  return doc;
}

TEST_CASE("bm25: a rarer term outweighs a common one") {
  const std::vector<Bm25Document> docs = {
      document({{"cache", 1}, {"key", 1}}),
      document({{"cache", 1}, {"stream", 1}}),
      document({{"other", 2}}),
  };
  const std::vector<std::string> query = {"cache", "stream"};
  const std::vector<double> scores = bm25_scores(docs, query);
  REQUIRE(scores.size() == 3);
  CHECK(scores[2] == 0.0);  // neither term
  CHECK(scores[0] > 0.0);
  CHECK(scores[1] > scores[0]);  // and "stream", in one document of three
}

TEST_CASE("bm25: at the same length, more occurrences score higher") {
  const std::vector<Bm25Document> docs = {document({{"x", 3}, {"y", 1}}),
                                          document({{"x", 1}, {"y", 3}}), document({{"z", 4}})};
  const std::vector<double> scores = bm25_scores(docs, std::vector<std::string>{"x"});
  CHECK(scores[0] > scores[1]);
}

TEST_CASE("bm25: the same counts in a longer document score lower") {
  const std::vector<Bm25Document> docs = {
      document({{"token", 1}, {"a", 1}}),
      document({{"token", 1}, {"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}, {"e", 1}}),
      document({{"other", 1}}),
  };
  const std::vector<std::string> query = {"token"};
  const std::vector<double> scores = bm25_scores(docs, query);
  CHECK(scores[0] > scores[1]);
  CHECK(scores[1] > 0.0);
}

TEST_CASE("bm25: the formula's value for one term (k1 = 1.2, b = 0.75)") {
  const std::vector<Bm25Document> docs = {document({{"x", 2}}), document({{"y", 2}})};
  const std::vector<std::string> query = {"x"};
  // idf = ln(1 + (2 - 1 + 0.5) / (1 + 0.5)) = ln 2; tf = 2 at the average length: norm = 1.2.
  const double expected = std::log(2.0) * 2 * 2.2 / (2 + 1.2);
  CHECK(bm25_scores(docs, query)[0] == doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("bm25: no documents, no terms, or terms nobody holds") {
  CHECK(bm25_scores({}, std::vector<std::string>{"x"}).empty());
  const std::vector<Bm25Document> docs = {document({{"x", 1}})};
  CHECK(bm25_scores(docs, {}) == std::vector<double>{0.0});
  CHECK(bm25_scores(docs, std::vector<std::string>{"nobody"}) == std::vector<double>{0.0});
}

}  // namespace
}  // namespace lava_mcp
