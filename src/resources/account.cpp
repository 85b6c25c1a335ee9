#include "resources/account.h"

#include <ctime>

#include "base/json_writer.h"
#include "gateway/account_status.h"

namespace lava_mcp::resources {
namespace {

using Json = nlohmann::json;

// MCP's code for a resource that does not exist.
constexpr int kResourceNotFound = -32002;

}  // namespace

Json describe_account() {
  return {{"uri", kAccountUri},
          {"name", "account"},
          {"title", "Lava account status"},
          {"description",
           "Whether the Lava keys work, the spend key's spend against its limit and this "
           "month's usage totals. Keys appear only as hints. Read before a costly prompt, or "
           "when a call was refused for balance or limits."},
          {"mimeType", "application/json"}};
}

Expected<Json> read_account(const Json& params, gateway::HttpClient& http,
                            const gateway::ConfigSource& config) {
  const auto uri = params.find("uri");
  if (uri == params.end() || !uri->is_string()) {
    return fail(error_code::kInvalidParams, "resources/read needs a string uri");
  }
  if (*uri != kAccountUri) {
    return fail(kResourceNotFound, "Resource not found: " + compact_json(*uri),
                Json{{"uri", *uri}});
  }
  auto current = config.current();
  Json status = current ? gateway::account_status_json(
                              gateway::fetch_account_status(http, *current, std::time(nullptr), {}))
                        : Json{{"check", "error"}, {"detail", current.error().message}};
  return Json{{"contents", Json::array({{{"uri", kAccountUri},
                                         {"mimeType", "application/json"},
                                         {"text", compact_json(status)}}})}};
}

}  // namespace lava_mcp::resources
