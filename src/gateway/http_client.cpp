#include "gateway/http_client.h"

#include <strings.h>

#include <nlohmann/json.hpp>

namespace lava_mcp::gateway {

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

std::string failure_kind_of(const Error& error) {
  if (error.data.is_object()) {
    const auto kind = error.data.find("kind");
    if (kind != error.data.end() && kind->is_string()) {
      return kind->get<std::string>();
    }
  }
  return "";
}

}  // namespace lava_mcp::gateway
