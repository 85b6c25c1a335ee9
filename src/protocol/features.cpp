#include "protocol/features.h"

#include <algorithm>

namespace lava_mcp::protocol {

const Revision* find_revision(std::string_view version) {
  const auto it = std::find_if(kRevisions.begin(), kRevisions.end(), [&](const Revision& revision) {
    return revision.version == version;
  });
  return it == kRevisions.end() ? nullptr : &*it;
}

const Features& features_for(std::string_view version) {
  const Revision* revision = find_revision(version);
  return (revision != nullptr ? *revision : kRevisions[0]).features;
}

}  // namespace lava_mcp::protocol
