#include "tools/search_ranking.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace lava_mcp::tools {
namespace {

// Providers alike in every field the ranking reads but the id (each id one token of the same
// length), listed against the order the tie-break must give.
std::vector<gateway::Provider> twins() {
  std::vector<gateway::Provider> providers;
  for (const char* id : {"zz", "mm", "aa", "qq"}) {
    gateway::Provider provider;
    provider.id = id;
    provider.name = "Twin Speech";
    provider.category = "audio";
    provider.tags = {"voice"};
    provider.description = "Text to speech voices.";
    providers.push_back(std::move(provider));
  }
  return providers;
}

std::vector<std::string> ids(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (const SearchHit& hit : hits) {
    out.push_back(hit.provider->id);
  }
  return out;
}

TEST_CASE("ranking: equal scores are ordered by id, ascending, whatever the catalog order") {
  const std::vector<gateway::Provider> providers = twins();
  const std::vector<SearchHit> hits = rank_providers(providers, "speech voice", "", 10);
  REQUIRE(hits.size() == 4);
  for (const SearchHit& hit : hits) {
    CHECK(hit.score == hits.front().score);
    CHECK_FALSE(hit.exact);
  }
  CHECK(ids(hits) == std::vector<std::string>{"aa", "mm", "qq", "zz"});
  // The limit keeps the first ids, not the first listed.
  CHECK(ids(rank_providers(providers, "speech voice", "", 2)) ==
        std::vector<std::string>{"aa", "mm"});
}

TEST_CASE("ranking: exact name matches tie too, and are ordered by id") {
  const std::vector<gateway::Provider> providers = twins();
  const std::vector<SearchHit> hits = rank_providers(providers, "twin speech", "", 10);
  REQUIRE(hits.size() == 4);
  CHECK(hits.front().exact);
  CHECK(ids(hits) == std::vector<std::string>{"aa", "mm", "qq", "zz"});
}

}  // namespace
}  // namespace lava_mcp::tools
