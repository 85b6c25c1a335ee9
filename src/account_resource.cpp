#include "account_resource.h"

#include <ctime>

#include "base/json_writer.h"
#include "gateway/account_status.h"
#include "transport/jsonrpc.h"

namespace lava_mcp {
namespace {

// MCP's code for a resource that does not exist.
constexpr int kResourceNotFound = -32002;

Json describe() {
  return {{"uri", kAccountResourceUri},
          {"name", "account"},
          {"title", "Lava account status"},
          {"description",
           "Whether the Lava keys work, the spend key's spend against its limit and this "
           "month's usage totals. Keys appear only as hints. Read before a costly prompt, or "
           "when a call was refused for balance or limits."},
          {"mimeType", "application/json"}};
}

Expected<Json> read_account(const Json& params, ProductServices& services) {
  const auto uri = params.find("uri");
  if (uri == params.end() || !uri->is_string()) {
    return fail(error_code::kInvalidParams, "resources/read needs a string uri");
  }
  if (*uri != kAccountResourceUri) {
    return fail(kResourceNotFound, "Resource not found: " + compact_json(*uri),
                Json{{"uri", *uri}});
  }
  auto config = services.config.current();
  Json status = config ? gateway::account_status_json(gateway::fetch_account_status(
                             services.http, *config, std::time(nullptr), {}))
                       : Json{{"check", "error"}, {"detail", config.error().message}};
  return Json{{"contents", Json::array({{{"uri", kAccountResourceUri},
                                         {"mimeType", "application/json"},
                                         {"text", compact_json(status)}}})}};
}

}  // namespace

void add_account_resource(Server& server, ProductServices& services) {
  server.add_capability("resources", Json::object());
  server.add_method("resources/list", [](const Json&, const SessionView&) -> Expected<Json> {
    return Json{{"resources", Json::array({describe()})}};
  });
  server.add_method("resources/read", [&services](const Json& params, const SessionView&) {
    return read_account(params, services);
  });
}

}  // namespace lava_mcp
