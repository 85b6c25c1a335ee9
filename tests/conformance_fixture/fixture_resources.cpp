// The suite's fixture resources (docs/conformance-fixtures.md section 3).
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "fixture.h"

namespace lava_mcp::conformance_fixture {
namespace {

// MCP's "resource not found" code; not a JSON-RPC standard code, so error.h does not name it.
constexpr int kResourceNotFound = -32002;

constexpr std::string_view kTemplatePrefix = "test://template/";
constexpr std::string_view kTemplateSuffix = "/data";

struct StaticResource {
  const char* uri;
  const char* name;
  const char* title;
  const char* description;
  const char* mime_type;
  const char* content_key;  // "text" or "blob"
  std::string_view content;
};

const std::vector<StaticResource>& static_resources() {
  static const std::vector<StaticResource> resources = {
      {"test://static-text", "static-text", "Static Text Resource",
       "A static text resource for testing", "text/plain", "text",
       "This is the content of the static text resource."},
      {"test://static-binary", "static-binary", "Static Binary Resource",
       "A static binary resource (image) for testing", "image/png", "blob", kPngBase64},
      {"test://watched-resource", "watched-resource", "Watched Resource",
       "A resource that can be subscribed to", "text/plain", "text", "Watched resource content"},
  };
  return resources;
}

Json describe(const StaticResource& resource) {
  return {{"uri", resource.uri},
          {"name", resource.name},
          {"title", resource.title},
          {"description", resource.description},
          {"mimeType", resource.mime_type}};
}

Expected<std::string> uri_param(const Json& params) {
  const auto uri = params.find("uri");
  if (uri == params.end() || !uri->is_string()) {
    return fail(error_code::kInvalidParams, "\"uri\" must be a string");
  }
  return uri->get<std::string>();
}

// The id in test://template/{id}/data, if `uri` matches the template.
std::optional<std::string> template_id(std::string_view uri) {
  if (uri.size() <= kTemplatePrefix.size() + kTemplateSuffix.size() ||
      !uri.starts_with(kTemplatePrefix) || !uri.ends_with(kTemplateSuffix)) {
    return std::nullopt;
  }
  const std::string_view id = uri.substr(
      kTemplatePrefix.size(), uri.size() - kTemplatePrefix.size() - kTemplateSuffix.size());
  if (id.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(id);
}

Json read_template(const std::string& uri, const std::string& id) {
  // ordered_json keeps the reference's key order in the text.
  const nlohmann::ordered_json data = {
      {"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
  return {{"uri", uri}, {"mimeType", "application/json"}, {"text", data.dump()}};
}

Expected<Json> read_resource(const Json& params) {
  auto uri = uri_param(params);
  if (!uri) {
    return fail(uri.error());
  }
  for (const auto& resource : static_resources()) {
    if (*uri == resource.uri) {
      Json contents = {{"uri", resource.uri}, {"mimeType", resource.mime_type}};
      contents[resource.content_key] = resource.content;
      return Json{{"contents", Json::array({std::move(contents)})}};
    }
  }
  if (const auto id = template_id(*uri)) {
    return Json{{"contents", Json::array({read_template(*uri, *id)})}};
  }
  return fail(kResourceNotFound, "Resource not found", {{"uri", *uri}});
}

// The subscribed URIs. Extension methods run on the reader thread only, but the lock keeps that
// an implementation detail of Server rather than an assumption here.
class Subscriptions {
 public:
  void add(std::string uri) {
    std::lock_guard lock(mutex_);
    uris_.insert(std::move(uri));
  }
  void remove(const std::string& uri) {
    std::lock_guard lock(mutex_);
    uris_.erase(uri);
  }

 private:
  std::mutex mutex_;
  std::set<std::string> uris_;
};

// No fixture resource ever changes, so a subscription never produces
// notifications/resources/updated; recording it is all the suite needs.
Server::MethodHandler subscribe_handler(std::shared_ptr<Subscriptions> subscriptions, bool add) {
  return [subscriptions = std::move(subscriptions), add](const Json& params,
                                                         const SessionView&) -> Expected<Json> {
    auto uri = uri_param(params);
    if (!uri) {
      return fail(uri.error());
    }
    if (add) {
      subscriptions->add(std::move(*uri));
    } else {
      subscriptions->remove(*uri);
    }
    return Json::object();
  };
}

}  // namespace

void add_resource_methods(Server& server) {
  server.add_capability("resources", {{"subscribe", true}});
  server.add_method("resources/list", [](const Json&, const SessionView&) -> Expected<Json> {
    Json list = Json::array();
    for (const auto& resource : static_resources()) {
      list.push_back(describe(resource));
    }
    return Json{{"resources", std::move(list)}};
  });
  server.add_method(
      "resources/templates/list", [](const Json&, const SessionView&) -> Expected<Json> {
        const Json entry = {{"uriTemplate", "test://template/{id}/data"},
                            {"name", "template"},
                            {"title", "Resource Template"},
                            {"description", "A resource template with parameter substitution"},
                            {"mimeType", "application/json"}};
        return Json{{"resourceTemplates", Json::array({entry})}};
      });
  server.add_method("resources/read",
                    [](const Json& params, const SessionView&) { return read_resource(params); });
  auto subscriptions = std::make_shared<Subscriptions>();
  server.add_method("resources/subscribe", subscribe_handler(subscriptions, true));
  server.add_method("resources/unsubscribe", subscribe_handler(subscriptions, false));
}

}  // namespace lava_mcp::conformance_fixture
