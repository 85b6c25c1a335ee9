// Lava's public catalog (lava-api.md section 6), read within a time budget, and merged with the
// embedded catalog by provider id. Offline, or past the budget, callers fall back to the
// embedded catalog alone.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "base/expected.h"
#include "gateway/catalog.h"
#include "gateway/http_client.h"

namespace lava_mcp::gateway {

struct LiveProvider {
  std::string id;
  std::string label;
  std::string api_reference;
  std::optional<bool> managed;
  std::string service_type;
};

struct LiveService {
  std::string id;
  std::string provider;
  std::string endpoint;      // absolute URL, or empty
  std::string url_template;  // absolute URL with {placeholders}, or empty
  std::string method;
  nlohmann::json example_body;
  std::string service_type;
  std::string api_reference;
};

using Deadline = std::chrono::steady_clock::time_point;

class LiveCatalog {
 public:
  LiveCatalog(HttpClient& http, std::string api_origin)
      : http_(http), api_origin_(std::move(api_origin)) {}

  // GET /v1/services/providers?query=&category=, most relevant first.
  Expected<std::vector<LiveProvider>> search_providers(const std::string& query,
                                                       const std::string& category,
                                                       Deadline deadline, std::stop_token stop);
  // GET /v1/services?provider=<id>
  Expected<std::vector<LiveService>> services(const std::string& provider, Deadline deadline,
                                              std::stop_token stop);
  // GET /v1/services/providers/{id}
  Expected<LiveProvider> provider(const std::string& id, Deadline deadline, std::stop_token stop);
  // GET /v1/models: model ids with their owner. With `bearer` (a spend or secret key) Lava
  // lists only what that key may use (lava-api.md 7.3); without, the public list.
  Expected<std::vector<std::pair<std::string, std::string>>> models(Deadline deadline,
                                                                    std::stop_token stop,
                                                                    const std::string& bearer = {});

 private:
  Expected<nlohmann::json> get(const std::string& path_and_query, Deadline deadline,
                               std::stop_token stop, const std::string& bearer = {});
  HttpClient& http_;
  std::string api_origin_;
};

// Pure pieces, exposed for tests.
LiveProvider live_provider_from_json(const nlohmann::json& item);
LiveService live_service_from_json(const nlohmann::json& item);
// A ready-to-run example for a live service entry, when it names an absolute https URL.
std::optional<CatalogExample> example_from_service(const LiveService& service);
// The embedded provider (if any) enriched with what the live catalog says, or a provider built
// from the live entries alone. Live service examples come first and replace embedded examples
// for the same endpoint.
Provider merge_provider(const Provider* embedded, const LiveProvider& live,
                        const std::vector<LiveService>& services);

// The model ids an example names: `model`, each fallback's `model`, the `model` of a call body,
// and the model of a Gemini URL (".../models/<model>:generateContent").
std::vector<std::string> example_models(const CatalogExample& example);

// Live data first (tools.md 3.4): the provider's models and examples keep only what Lava's live
// model list contains. An example whose primary model is not listed is dropped; a fallback whose
// model is not listed is dropped from its example.
void keep_listed_models(Provider& provider, const std::set<std::string>& listed);

// Adds the live model ids Lava lists under this provider; a chat provider left without a
// `prompt` example gets one for its first listed model.
void add_listed_models(Provider& provider, const std::vector<std::string>& owned);

}  // namespace lava_mcp::gateway
