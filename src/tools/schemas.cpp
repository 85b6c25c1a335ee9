#include "tools/schemas.h"

#include <cstdlib>
#include <map>
#include <string>

#include "base/log.h"

namespace lava_mcp::tools {
namespace {

std::map<std::string, nlohmann::json, std::less<>> parse_all() {
  std::map<std::string, nlohmann::json, std::less<>> parsed;
  for (const EmbeddedFile& file : schema_files()) {
    auto value = nlohmann::json::parse(file.text, nullptr, false);
    if (value.is_discarded()) {
      log::error("schemas", "embedded schema is not valid JSON: " + std::string(file.name));
      std::abort();
    }
    parsed.emplace(std::string(file.name), std::move(value));
  }
  return parsed;
}

}  // namespace

const nlohmann::json& schema(std::string_view file_name) {
  static const auto parsed = parse_all();
  const auto it = parsed.find(file_name);
  if (it == parsed.end()) {
    log::error("schemas", "no embedded schema named " + std::string(file_name));
    std::abort();
  }
  return it->second;
}

}  // namespace lava_mcp::tools
