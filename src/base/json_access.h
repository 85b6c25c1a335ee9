// Reading members of JSON that came from outside (providers, clients, files on disk), where a
// member may have any type: nlohmann's value(key, default) throws when it has another type.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace lava_mcp {

// The string member `key` of `value`, or "" when `value` is no object, or the member is absent
// or not a string.
inline std::string_view string_or_empty(const nlohmann::json& value, std::string_view key) {
  if (!value.is_object()) {
    return {};
  }
  const auto found = value.find(key);
  return found != value.end() && found->is_string()
             ? std::string_view(found->get_ref<const std::string&>())
             : std::string_view();
}

}  // namespace lava_mcp
