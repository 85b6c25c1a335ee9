#include "gateway/catalog.h"

#include <algorithm>
#include <cstdlib>

#include "base/bounded_json.h"
#include "base/log.h"

namespace lava_mcp::gateway {
namespace {

using Json = nlohmann::json;

Expected<std::string> read_string(const Json& object, const char* key, const std::string& path,
                                  bool required) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) {
      return fail(error_code::kInternalError, path + "." + key + ": missing");
    }
    return std::string();
  }
  if (!it->is_string() || (required && it->get_ref<const std::string&>().empty())) {
    return fail(error_code::kInternalError, path + "." + key + ": expected a non-empty string");
  }
  return it->get<std::string>();
}

std::vector<std::string> read_strings(const Json& object, const char* key) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it != object.end() && it->is_array()) {
    for (const auto& item : *it) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

Expected<Provider> parse_provider(const Json& item, const std::string& path) {
  if (!item.is_object()) {
    return fail(error_code::kInternalError, path + ": expected an object");
  }
  Provider p;
  struct Field {
    const char* key;
    std::string* target;
    bool required;
  };
  const Field fields[] = {{"id", &p.id, true},
                          {"name", &p.name, true},
                          {"description", &p.description, true},
                          {"category", &p.category, true},
                          {"base_url", &p.base_url, true},
                          {"format", &p.format, true},
                          {"auth", &p.auth, false},
                          {"docs_url", &p.docs_url, false},
                          {"chat_url", &p.chat_url, false}};
  for (const Field& field : fields) {
    auto value = read_string(item, field.key, path, field.required);
    if (!value) {
      return fail(value.error());
    }
    *field.target = std::move(*value);
  }
  p.tags = read_strings(item, "tags");
  p.model_prefixes = read_strings(item, "model_prefixes");
  p.models = read_strings(item, "models");
  p.sources = read_strings(item, "sources");
  if (const auto verified = item.find("verified");
      verified != item.end() && verified->is_string()) {
    p.verified = verified->get<std::string>();
  }
  if (const auto deprecated = item.find("deprecated_models");
      deprecated != item.end() && deprecated->is_array()) {
    for (const auto& model : *deprecated) {
      if (model.is_object() && model.value("id", "") != "") {
        p.deprecated_models.push_back(
            DeprecatedModel{model.value("id", ""), model.value("shutdown", "")});
      }
    }
  }
  p.managed = item.value("managed", true);
  if (const auto alt = item.find("docs_alt"); alt != item.end() && alt->is_object()) {
    p.docs_alt = *alt;
  }
  if (const auto endpoints = item.find("endpoints");
      endpoints != item.end() && endpoints->is_array()) {
    p.endpoints = *endpoints;
  }
  if (const auto examples = item.find("examples"); examples != item.end() && examples->is_array()) {
    for (const auto& example : *examples) {
      if (example.is_object() && example.contains("arguments") &&
          example["arguments"].is_object()) {
        p.examples.push_back(CatalogExample{example.value("title", ""), example.value("tool", ""),
                                            example["arguments"]});
      }
    }
  }
  return p;
}

}  // namespace

Expected<Catalog> Catalog::parse(std::string_view json_text) {
  const Json document = parse_bounded_json(json_text);
  if (document.is_discarded() || !document.is_object()) {
    return fail(error_code::kInternalError, "catalog: not a JSON object");
  }
  const auto providers = document.find("providers");
  if (providers == document.end() || !providers->is_array()) {
    return fail(error_code::kInternalError, "catalog.providers: expected an array");
  }
  Catalog catalog;
  if (const auto verified = document.find("verified");
      verified != document.end() && verified->is_string()) {
    catalog.verified_ = verified->get<std::string>();
  }
  for (std::size_t i = 0; i < providers->size(); ++i) {
    auto provider = parse_provider((*providers)[i], "providers[" + std::to_string(i) + "]");
    if (!provider) {
      return fail(provider.error());
    }
    catalog.providers_.push_back(std::move(*provider));
  }
  return catalog;
}

const Catalog& Catalog::embedded() {
  static const Catalog catalog = [] {
    for (const EmbeddedFile& file : catalog_files()) {
      if (file.name == "catalog.json") {
        auto parsed = Catalog::parse(file.text);
        if (parsed) {
          return std::move(*parsed);
        }
        log::error("catalog", "embedded catalog is invalid: " + parsed.error().message);
        std::abort();  // a build defect: the unit tests parse the same file
      }
    }
    log::error("catalog", "embedded catalog is missing");
    std::abort();
  }();
  return catalog;
}

const Provider* Catalog::find(std::string_view id) const {
  const auto it = std::find_if(providers_.begin(), providers_.end(),
                               [id](const Provider& p) { return p.id == id; });
  return it == providers_.end() ? nullptr : &*it;
}

const Provider* Catalog::route_model(std::string_view model) const {
  const Provider* best = nullptr;
  std::size_t best_length = 0;
  for (const Provider& provider : providers_) {
    for (const std::string& prefix : provider.model_prefixes) {
      if (prefix.size() > best_length && model.substr(0, prefix.size()) == prefix) {
        best = &provider;
        best_length = prefix.size();
      }
    }
  }
  return best;
}

}  // namespace lava_mcp::gateway
