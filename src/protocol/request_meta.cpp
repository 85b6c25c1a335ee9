#include "protocol/request_meta.h"

#include <algorithm>
#include <array>

#include "protocol/features.h"
#include "protocol/log_levels.h"

namespace lava_mcp::protocol {
namespace {

const Json* meta_of(const Json& params) {
  if (!params.is_object()) {
    return nullptr;
  }
  const auto meta = params.find("_meta");
  return meta != params.end() && meta->is_object() ? &*meta : nullptr;
}

const Json* field(const Json& meta, std::string_view key) {
  const auto it = meta.find(key);
  return it == meta.end() ? nullptr : &*it;
}

Unexpected invalid_meta(std::string_view key, std::string_view problem) {
  return fail(error_code::kInvalidParams,
              "Invalid params: _meta[\"" + std::string(key) + "\"] " + std::string(problem));
}

}  // namespace

bool is_cacheable(std::string_view method) {
  static constexpr std::array<std::string_view, 6> kCacheable = {
      "server/discover", "tools/list",     "prompts/list",
      "resources/list",  "resources/read", "resources/templates/list"};
  return std::find(kCacheable.begin(), kCacheable.end(), method) != kCacheable.end();
}

bool has_modern_meta(const Json& params) {
  const Json* meta = meta_of(params);
  return meta != nullptr &&
         (meta->contains(kMetaProtocolVersion) || meta->contains(kMetaClientCapabilities));
}

Expected<RequestMeta> read_request_meta(const Json& params) {
  const Json* meta = meta_of(params);
  if (meta == nullptr) {
    return fail(error_code::kInvalidParams,
                "Invalid params: a modern request needs params._meta with " +
                    std::string(kMetaProtocolVersion) + " and " +
                    std::string(kMetaClientCapabilities));
  }
  const Json* version = field(*meta, kMetaProtocolVersion);
  if (version == nullptr || !version->is_string()) {
    return invalid_meta(kMetaProtocolVersion, "is required and must be a string");
  }
  const Json* capabilities = field(*meta, kMetaClientCapabilities);
  if (capabilities == nullptr || !capabilities->is_object()) {
    return invalid_meta(kMetaClientCapabilities, "is required and must be an object");
  }
  RequestMeta out;
  out.protocol_version = version->get<std::string>();
  if (find_revision(out.protocol_version, Era::kModern) == nullptr) {
    Json supported = Json::array();
    for (const Revision& listed : kRevisions) {
      if (listed.era == Era::kModern) {
        supported.push_back(listed.version);
      }
    }
    return fail(error_code::kUnsupportedProtocolVersion,
                "Unsupported protocol version: " + out.protocol_version,
                {{"supported", std::move(supported)}, {"requested", *version}});
  }
  out.client_capabilities = *capabilities;
  if (const Json* info = field(*meta, kMetaClientInfo)) {
    if (!info->is_object()) {
      return invalid_meta(kMetaClientInfo, "must be an object");
    }
    if (const auto name = info->find("name"); name != info->end() && name->is_string()) {
      out.client_name = name->get<std::string>();
    }
  }
  if (const Json* level = field(*meta, kMetaLogLevel)) {
    out.log_level = parse_log_level(*level);
    if (!out.log_level) {
      return invalid_meta(kMetaLogLevel,
                          "must be one of debug, info, notice, warning, error, critical, alert, "
                          "emergency");
    }
  }
  return out;
}

}  // namespace lava_mcp::protocol
