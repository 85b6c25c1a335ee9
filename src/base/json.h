// The JSON type used across lava-mcp; headers that only need the name include json_fwd.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace lava_mcp {
using Json = nlohmann::json;
}  // namespace lava_mcp
