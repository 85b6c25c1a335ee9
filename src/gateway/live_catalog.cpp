#include "gateway/live_catalog.h"

#include <algorithm>

#include "base/bounded_json.h"
#include "gateway/url.h"

namespace lava_mcp::gateway {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxCatalogBytes = 4u << 20;
constexpr std::size_t kMaxLiveExamples = 3;

std::string text_of(const Json& item, const char* key) {
  const auto it = item.find(key);
  return it != item.end() && it->is_string() ? it->get<std::string>() : "";
}

bool is_https_url(const std::string& url) {
  const auto parsed = parse_url(url);
  return parsed && (parsed->scheme == "https" || is_loopback_host(parsed->host));
}

// "https://Host/a/b?x" -> "host/a/b": what two examples compare to know they call one endpoint.
std::string normalized_endpoint(std::string url) {
  url = url.substr(0, url.find('?'));
  if (const auto scheme = url.find("://"); scheme != std::string::npos) {
    url.erase(0, scheme + 3);
  }
  const auto slash = url.find('/');
  std::transform(url.begin(), slash == std::string::npos ? url.end() : url.begin() + slash,
                 url.begin(), ::tolower);
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

// The endpoint an example calls: its url, or the provider's chat endpoint for a prompt without.
std::string endpoint_of(const CatalogExample& example, const Provider& provider) {
  const std::string url = text_of(example.arguments, "url");
  return normalized_endpoint(url.empty() && example.tool == "prompt" ? provider.chat_url : url);
}

// "https://generativelanguage.googleapis.com/v1beta/models/gemini-x:generateContent" -> "gemini-x"
std::string gemini_url_model(const std::string& url) {
  const auto models = url.find("/models/");
  if (models == std::string::npos) {
    return "";
  }
  const auto begin = models + 8;
  const auto end = url.find_first_of(":/?", begin);
  if (end == std::string::npos || url[end] != ':') {
    return "";  // not a Gemini method call (Replicate's /models/<owner>/<name> is no model id)
  }
  return url.substr(begin, end - begin);
}

bool is_chat_endpoint(const std::string& url) {
  const std::string path = url.substr(0, url.find('?'));
  return path.ends_with("/chat/completions") || path.ends_with("/v1/messages");
}

}  // namespace

Expected<Json> LiveCatalog::get(const std::string& path_and_query, Deadline deadline,
                                std::stop_token stop, const std::string& bearer) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) {
    return fail(error_code::kInternalError, "the live catalog's time budget is spent",
                {{"kind", failure_kind::kTimeout}});
  }
  HttpRequest request;
  request.url = api_origin_ + path_and_query;
  request.headers = {{"Accept", "application/json"}};
  if (!bearer.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + bearer);
  }
  request.timeout = left;
  request.max_response_bytes = kMaxCatalogBytes;
  auto response = http_.send(request, stop);
  if (!response) {
    return fail(response.error());
  }
  if (response->status != 200) {
    return fail(error_code::kInternalError,
                "the live catalog answered HTTP " + std::to_string(response->status));
  }
  Json body = parse_bounded_json(response->body);
  if (body.is_discarded() || !body.is_object()) {
    return fail(error_code::kInternalError, "the live catalog's answer is not a JSON object");
  }
  return body;
}

LiveProvider live_provider_from_json(const Json& item) {
  LiveProvider provider{text_of(item, "id"), text_of(item, "label"), text_of(item, "api_reference"),
                        std::nullopt, text_of(item, "service_type")};
  if (const auto managed = item.find("managed"); managed != item.end() && managed->is_boolean()) {
    provider.managed = managed->get<bool>();
  }
  return provider;
}

LiveService live_service_from_json(const Json& item) {
  LiveService service{text_of(item, "id"),           text_of(item, "provider"),
                      text_of(item, "endpoint"),     text_of(item, "url_template"),
                      text_of(item, "method"),       nullptr,
                      text_of(item, "service_type"), text_of(item, "api_reference")};
  if (const auto body = item.find("example_body"); body != item.end()) {
    service.example_body = *body;
  }
  return service;
}

Expected<std::vector<LiveProvider>> LiveCatalog::search_providers(const std::string& query,
                                                                  const std::string& category,
                                                                  Deadline deadline,
                                                                  std::stop_token stop) {
  std::string path = append_query("/v1/services/providers", "query", query);
  if (!category.empty()) {
    path = append_query(path, "category", category);
  }
  auto body = get(path, deadline, stop);
  if (!body) {
    return fail(body.error());
  }
  std::vector<LiveProvider> providers;
  const auto results = body->find("results");
  if (results != body->end() && results->is_array()) {
    for (const auto& item : *results) {
      if (item.is_object() && !text_of(item, "id").empty()) {
        providers.push_back(live_provider_from_json(item));
      }
    }
  }
  return providers;
}

Expected<std::vector<LiveService>> LiveCatalog::services(const std::string& provider,
                                                         Deadline deadline, std::stop_token stop) {
  auto body = get(append_query("/v1/services", "provider", provider), deadline, stop);
  if (!body) {
    return fail(body.error());
  }
  std::vector<LiveService> services;
  const auto data = body->find("data");
  if (data != body->end() && data->is_array()) {
    for (const auto& item : *data) {
      if (item.is_object()) {
        services.push_back(live_service_from_json(item));
      }
    }
  }
  return services;
}

Expected<LiveProvider> LiveCatalog::provider(const std::string& id, Deadline deadline,
                                             std::stop_token stop) {
  auto body = get("/v1/services/providers/" + percent_encode(id), deadline, stop);
  if (!body) {
    return fail(body.error());
  }
  LiveProvider provider = live_provider_from_json(*body);
  if (provider.id.empty()) {
    provider.id = id;
  }
  return provider;
}

Expected<std::vector<std::pair<std::string, std::string>>> LiveCatalog::models(
    Deadline deadline, std::stop_token stop, const std::string& bearer) {
  auto body = get("/v1/models", deadline, stop, bearer);
  if (!body) {
    return fail(body.error());
  }
  std::vector<std::pair<std::string, std::string>> models;
  const auto data = body->find("data");
  if (data != body->end() && data->is_array()) {
    for (const auto& item : *data) {
      if (item.is_object() && !text_of(item, "id").empty()) {
        models.emplace_back(text_of(item, "id"), text_of(item, "owned_by"));
      }
    }
  }
  return models;
}

std::optional<CatalogExample> example_from_service(const LiveService& service) {
  const std::string& url = !service.endpoint.empty() ? service.endpoint : service.url_template;
  if (!is_https_url(url)) {
    return std::nullopt;
  }
  if (is_chat_endpoint(url) && !service.id.empty()) {
    const std::string scheme_less = url.substr(url.find("://") + 3);
    return CatalogExample{"Chat with " + service.id,
                          "prompt",
                          {{"model", service.id},
                           {"url", scheme_less},
                           {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}}};
  }
  Json arguments = {{"url", url}};
  std::string method = service.method;
  std::transform(method.begin(), method.end(), method.begin(), ::toupper);
  const bool known = method == "GET" || method == "POST" || method == "PUT" || method == "PATCH" ||
                     method == "DELETE" || method == "HEAD";
  if (known) {
    arguments["method"] = method;
  }
  if (!service.example_body.is_null()) {
    arguments["body"] = service.example_body;
  }
  return CatalogExample{
      (service.id.empty() ? service.provider : service.id) + " (" + (known ? method : "call") + ")",
      "call", std::move(arguments)};
}

Provider merge_provider(const Provider* embedded, const LiveProvider& live,
                        const std::vector<LiveService>& services) {
  Provider merged;
  if (embedded != nullptr) {
    merged = *embedded;
  } else {
    merged.id = live.id;
    merged.name = live.label.empty() ? live.id : live.label;
    merged.category = live.service_type.empty() ? "other" : live.service_type;
    merged.format = "native";
    merged.description = merged.name + " through Lava's gateway (from Lava's live catalog).";
  }
  if (live.managed) {
    merged.managed = *live.managed;
  }
  if (!live.api_reference.empty()) {
    merged.docs_url = live.api_reference;
  }
  std::vector<CatalogExample> live_examples;
  for (const auto& service : services) {
    if (live_examples.size() < kMaxLiveExamples) {
      if (auto example = example_from_service(service)) {
        live_examples.push_back(std::move(*example));
      }
    }
    if (merged.base_url.empty() && is_https_url(service.endpoint)) {
      merged.base_url = parse_url(service.endpoint)->origin();
    }
    if (std::find(merged.models.begin(), merged.models.end(), service.id) == merged.models.end() &&
        !service.id.empty()) {
      merged.models.push_back(service.id);
    }
  }
  // Live entries win: an embedded example for an endpoint Lava's catalog describes is replaced.
  std::erase_if(merged.examples, [&](const CatalogExample& example) {
    return std::any_of(live_examples.begin(), live_examples.end(),
                       [&](const CatalogExample& from_live) {
                         return endpoint_of(from_live, merged) == endpoint_of(example, merged);
                       });
  });
  merged.examples.insert(merged.examples.begin(), std::make_move_iterator(live_examples.begin()),
                         std::make_move_iterator(live_examples.end()));
  return merged;
}

std::vector<std::string> example_models(const CatalogExample& example) {
  std::vector<std::string> models;
  const Json& arguments = example.arguments;
  const auto add = [&models](const Json& object) {
    if (object.is_object()) {
      if (const std::string model = text_of(object, "model"); !model.empty()) {
        models.push_back(model);
      }
    }
  };
  add(arguments);
  if (const auto fallbacks = arguments.find("fallbacks");
      fallbacks != arguments.end() && fallbacks->is_array()) {
    for (const auto& fallback : *fallbacks) {
      add(fallback);
    }
  }
  if (const auto body = arguments.find("body"); body != arguments.end()) {
    add(*body);
  }
  if (const std::string model = gemini_url_model(text_of(arguments, "url")); !model.empty()) {
    models.push_back(model);
  }
  return models;
}

void keep_listed_models(Provider& provider, const std::set<std::string>& listed) {
  const auto is_listed = [&listed](const std::string& model) { return listed.count(model) > 0; };
  std::erase_if(provider.models, [&](const std::string& model) { return !is_listed(model); });
  std::erase_if(provider.deprecated_models,
                [&](const DeprecatedModel& model) { return !is_listed(model.id); });
  std::erase_if(provider.examples, [&](CatalogExample& example) {
    Json& arguments = example.arguments;
    if (const auto fallbacks = arguments.find("fallbacks");
        fallbacks != arguments.end() && fallbacks->is_array()) {
      Json kept = Json::array();
      for (auto& fallback : *fallbacks) {
        if (is_listed(text_of(fallback, "model"))) {
          kept.push_back(std::move(fallback));
        }
      }
      if (kept.empty()) {
        arguments.erase("fallbacks");
      } else {
        *fallbacks = std::move(kept);
      }
    }
    const std::vector<std::string> models = example_models(example);
    return !std::all_of(models.begin(), models.end(), is_listed);
  });
}

void add_listed_models(Provider& provider, const std::vector<std::string>& owned) {
  for (const std::string& model : owned) {
    if (std::find(provider.models.begin(), provider.models.end(), model) == provider.models.end()) {
      provider.models.push_back(model);
    }
  }
  const bool has_prompt = std::any_of(provider.examples.begin(), provider.examples.end(),
                                      [](const CatalogExample& e) { return e.tool == "prompt"; });
  if (!has_prompt && !provider.chat_url.empty() && !owned.empty()) {
    provider.examples.insert(
        provider.examples.begin(),
        CatalogExample{"Chat with " + owned.front() + " (from Lava's live model list)",
                       "prompt",
                       {{"model", owned.front()},
                        {"url", provider.chat_url},
                        {"messages", {{{"role", "user"}, {"content", "Hello!"}}}}}});
  }
}

}  // namespace lava_mcp::gateway
