#include "protocol/features.h"

#include <algorithm>

namespace lava_mcp::protocol {

const Revision* find_revision(std::string_view version, Era era) {
  const auto it = std::find_if(kRevisions.begin(), kRevisions.end(), [&](const Revision& row) {
    return row.version == version && row.era == era;
  });
  return it == kRevisions.end() ? nullptr : &*it;
}

const Features& features_for(std::string_view version) {
  const auto it = std::find_if(kRevisions.begin(), kRevisions.end(),
                               [&](const Revision& row) { return row.version == version; });
  return (it == kRevisions.end() ? kBaseline : *it).features;
}

}  // namespace lava_mcp::protocol
