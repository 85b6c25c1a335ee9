// The models a Lava key may use, as GET /v1/models lists them when asked with that key (with a
// spend key, only its allowed models and providers: lava-api.md 7.3). Kept per process for a few
// minutes so that search and prompt share one answer; a failed or late answer is not kept.
//
// The list carries ids and owners only, nothing a translation rule needs beyond the id, so the
// model rules stay with the id (translators/model_table); what the list adds is which models
// the key may use (docs/decisions.md, "The key's model list").
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "gateway/config.h"
#include "gateway/http_client.h"

namespace lava_mcp::gateway {

// The key GET /v1/models is asked with: the spend key (its allow-lists), else the secret key,
// else none (the public list).
std::string model_list_key(const Config& config);

class KeyModels {
 public:
  using Listed = std::vector<std::pair<std::string, std::string>>;  // model id, owner
  static constexpr std::chrono::minutes kLifetime{5};

  explicit KeyModels(HttpClient& http) : http_(http) {}

  // What Lava lists for this key at this origin: kept if fresh, else asked within `deadline`.
  // nullopt when Lava did not answer in time or with a list.
  std::optional<Listed> fetch(const std::string& api_origin, const std::string& key,
                              std::chrono::steady_clock::time_point deadline, std::stop_token stop);
  // What is kept and fresh, never asking.
  std::optional<Listed> kept(const std::string& api_origin, const std::string& key) const;

 private:
  struct Entry {
    Listed listed;
    std::chrono::steady_clock::time_point fetched;
  };
  static std::string entry_name(const std::string& api_origin, const std::string& key);

  HttpClient& http_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // by origin and a digest of the key, never the key
};

// Whether `model` is among `listed`: the id itself, or a dated snapshot of it
// ("claude-haiku-4-5" is listed as "claude-haiku-4-5-20251001").
bool lists_model(const KeyModels::Listed& listed, const std::string& model);

}  // namespace lava_mcp::gateway
