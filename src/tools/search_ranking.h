// BM25-style ranking of catalog providers for the search tool. Pure: no I/O, no globals.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/catalog.h"

namespace lava_mcp::tools {

struct SearchHit {
  const gateway::Provider* provider;
  double score;  // BM25F relevance, rounded to 3 decimals
  bool exact;    // the query is the provider's id or name, or one of its model ids
};

// Lower-cased words of `text` (letters and digits; bytes >= 0x80 count as letters), plural "s"
// stripped, stop words dropped; a hyphenated word is also kept whole ("gpt-4o").
std::vector<std::string> tokenize(std::string_view text);

// Providers matching `query` (and `category` when not empty, case-insensitive), best first:
// exact matches, then score, then id. At most `limit`; providers scoring 0 are left out.
std::vector<SearchHit> rank_providers(std::span<const gateway::Provider> providers,
                                      std::string_view query, std::string_view category,
                                      std::size_t limit);

}  // namespace lava_mcp::tools
