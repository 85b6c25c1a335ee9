#include "gateway/key_models.h"

#include <string_view>

#include "base/hex.h"
#include "gateway/live_catalog.h"
#include "platform/crypto.h"

namespace lava_mcp::gateway {

using Clock = std::chrono::steady_clock;

std::string model_list_key(const Config& config) {
  return !config.spend_key.empty() ? config.spend_key : config.secret_key;
}

std::string KeyModels::entry_name(const std::string& api_origin, const std::string& key) {
  const auto digest = platform::sha256(key);
  return api_origin + " " + hex_encode(digest.data(), digest.size());
}

std::optional<KeyModels::Listed> KeyModels::kept(const std::string& api_origin,
                                                 const std::string& key) const {
  std::lock_guard lock(mutex_);
  if (entries_.empty()) {
    return std::nullopt;  // the usual case, every call: no digest of the key to take
  }
  const auto found = entries_.find(entry_name(api_origin, key));
  if (found == entries_.end() || Clock::now() - found->second.fetched > kLifetime) {
    return std::nullopt;
  }
  return found->second.listed;
}

std::optional<KeyModels::Listed> KeyModels::fetch(const std::string& api_origin,
                                                  const std::string& key,
                                                  Clock::time_point deadline,
                                                  std::stop_token stop) {
  if (auto listed = kept(api_origin, key)) {
    return listed;
  }
  LiveCatalog live(http_, api_origin);
  auto listed = live.models(deadline, stop, key);
  if (!listed) {
    return std::nullopt;
  }
  std::lock_guard lock(mutex_);
  entries_[entry_name(api_origin, key)] = Entry{*listed, Clock::now()};
  return std::move(*listed);
}

namespace {

// The date tags providers append to a model's alias: 20251001 (Anthropic), 2024-08-06
// (OpenAI), 2506 (Mistral's year and month).
bool is_date_tag(std::string_view tag) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    return tag.substr(from, count).find_first_not_of("0123456789") == std::string_view::npos;
  };
  switch (tag.size()) {
    case 4:
    case 8:
      return digits(0, tag.size());
    case 10:
      return digits(0, 4) && tag[4] == '-' && digits(5, 2) && tag[7] == '-' && digits(8, 2);
    default:
      return false;
  }
}

// "gpt-4o-2024-08-06" of "gpt-4o", "claude-haiku-4-5-20251001" of "claude-haiku-4-5".
bool is_snapshot_of(const std::string& dated, const std::string& alias) {
  return dated.size() > alias.size() + 1 && dated.compare(0, alias.size(), alias) == 0 &&
         dated[alias.size()] == '-' &&
         is_date_tag(std::string_view(dated).substr(alias.size() + 1));
}

}  // namespace

bool lists_model(const KeyModels::Listed& listed, const std::string& model) {
  for (const auto& [id, owner] : listed) {
    if (id == model || is_snapshot_of(id, model) || is_snapshot_of(model, id)) {
      return true;
    }
  }
  return false;
}

}  // namespace lava_mcp::gateway
