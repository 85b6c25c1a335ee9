#include "protocol/log_levels.h"

#include <algorithm>
#include <string>

namespace lava_mcp::protocol {

std::optional<int> parse_log_level(const nlohmann::json& value) {
  if (!value.is_string()) {
    return std::nullopt;
  }
  const auto it =
      std::find(kLogLevelNames.begin(), kLogLevelNames.end(), value.get_ref<const std::string&>());
  if (it == kLogLevelNames.end()) {
    return std::nullopt;
  }
  return static_cast<int>(it - kLogLevelNames.begin());
}

}  // namespace lava_mcp::protocol
