#include "tools/call_request.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "base/json_writer.h"
#include "base/text_basics.h"
#include "gateway/http_fields.h"
#include "gateway/lava_api.h"
#include "gateway/url.h"

namespace lava_mcp::tools {
namespace {

using gateway::printable_quoted;

constexpr std::size_t kDefaultMaxResponseBytes = 1u << 20;

// Auth belongs to the gateway, and hop-by-hop headers to each connection (RFC 9110 7.6.1).
constexpr std::array<std::string_view, 14> kDroppedHeaders = {"authorization",
                                                              "x-api-key",
                                                              "x-goog-api-key",
                                                              "host",
                                                              "content-length",
                                                              "connection",
                                                              "keep-alive",
                                                              "proxy-authenticate",
                                                              "proxy-authorization",
                                                              "te",
                                                              "trailer",
                                                              "transfer-encoding",
                                                              "upgrade",
                                                              "proxy-connection"};

constexpr const char* kValueRule =
    "; values may not hold CR, LF, NUL or any control character but tab";

Unexpected input_error(const std::string& field, const std::string& problem) {
  return fail(error_code::kInvalidParams, field + ": " + problem);
}

// `headers["X-A"]`: the member of an object argument, its name shown safely.
std::string member(const char* object, std::string_view name) {
  return std::string(object) + "[" + printable_quoted(name) + "]";
}

std::string query_value(const Json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.dump();  // numbers and booleans as JSON writes them
}

std::optional<std::string> optional_string(const Json& args, const char* key) {
  const auto it = args.find(key);
  return it != args.end() && it->is_string() ? std::optional(it->get<std::string>()) : std::nullopt;
}

gateway::Billing billing_of(const Json& args) {
  gateway::Billing billing;
  billing.customer_id = optional_string(args, "customer_id");
  billing.meter_slug = optional_string(args, "meter_slug");
  billing.provider_key = optional_string(args, "provider_key");
  if (const auto it = args.find("disable_billing"); it != args.end() && it->is_boolean()) {
    billing.disable_billing = it->get<bool>();
  }
  return billing;
}

bool valid_metadata_key(const std::string& key) {
  return !key.empty() && key.size() <= 255 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The provider URL with the query appended, its path in normal form (no dot segments: in a
// rewrite path they would climb out of /v1/rewrite/<format>/ into Lava's own API).
Expected<std::string> target_of(const Json& args) {
  const std::string url = args.at("url").get<std::string>();
  if (auto problem = gateway::control_problem(url)) {
    return input_error("url", *problem + "; a URL may not hold control characters");
  }
  std::string target = url;
  if (const auto query = args.find("query"); query != args.end()) {
    for (const auto& [key, value] : query->items()) {
      const std::string text = query_value(value);
      if (auto problem = gateway::field_value_problem(key)) {
        return input_error(member("query", key), "the key " + *problem + kValueRule);
      }
      if (auto problem = gateway::field_value_problem(text)) {
        return input_error(member("query", key), "the value " + *problem + kValueRule);
      }
      target = gateway::append_query(target, key, text);
    }
  }
  const auto parsed = gateway::parse_url(target);
  if (!parsed) {
    return input_error("url", "not a valid absolute https:// URL");
  }
  auto normal = gateway::normalize_target(parsed->target, "url");
  if (!normal) {
    return fail(normal.error());
  }
  return parsed->origin() + *normal;
}

// The caller's headers but those the gateway owns; says whether a Content-Type was given.
Expected<bool> add_headers(const Json& args, CallRequest& out) {
  bool has_content_type = false;
  const auto headers = args.find("headers");
  if (headers == args.end()) {
    return has_content_type;
  }
  for (const auto& [name, value] : headers->items()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (auto problem = gateway::token_problem(name)) {
      return input_error(member("headers", name),
                         "the name " + *problem +
                             "; header names are RFC 9110 tokens (letters, digits and "
                             "!#$%&'*+-.^_`|~)");
    }
    if (auto problem = gateway::field_value_problem(text)) {
      return input_error(member("headers", name), "the value " + *problem + kValueRule);
    }
    const std::string lowered = ascii_lower(name);
    if (std::find(kDroppedHeaders.begin(), kDroppedHeaders.end(), lowered) !=
        kDroppedHeaders.end()) {
      out.dropped_headers.push_back(name);
      continue;
    }
    has_content_type = has_content_type || lowered == "content-type";
    out.request.headers.emplace_back(name, text);
  }
  return has_content_type;
}

Expected<void> add_metadata(const Json& args, CallRequest& out) {
  const auto metadata = args.find("metadata");
  if (metadata == args.end() || metadata->empty()) {
    return {};
  }
  if (metadata->size() > 100) {
    return fail(error_code::kInvalidParams, "metadata: at most 100 pairs");
  }
  for (const auto& [key, value] : metadata->items()) {
    if (!valid_metadata_key(key)) {
      return fail(error_code::kInvalidParams, "metadata: key " + printable_quoted(key) +
                                                  " may use only ASCII letters, digits and _");
    }
    if (auto problem = gateway::field_value_problem(value.get_ref<const std::string&>())) {
      return input_error(member("metadata", key), "the value " + *problem + kValueRule);
    }
  }
  out.request.headers.emplace_back("x-lava-metadata", gateway::metadata_header(*metadata));
  return {};
}

}  // namespace

Expected<CallRequest> build_call_request(const Json& args, const gateway::Config& config) {
  CallRequest out;
  auto target = target_of(args);
  if (!target) {
    return fail(target.error());
  }
  out.target = std::move(*target);
  auto bearer = gateway::gateway_bearer(config, billing_of(args));
  if (!bearer) {
    return fail(bearer.error());
  }
  out.credential = config.secret_key.empty() ? gateway::Credential::kSpendKey
                                             : gateway::Credential::kForwardToken;
  const std::string format = args.value("format", "");
  out.request.url = format.empty() ? gateway::forward_url(config.api_origin, out.target)
                                   : gateway::rewrite_url(config.api_origin, format, out.target);
  const auto body = args.find("body");
  const bool has_body = body != args.end() && !body->is_null();
  out.request.method = args.value("method", has_body ? "POST" : "GET");
  auto has_content_type = add_headers(args, out);
  if (!has_content_type) {
    return fail(has_content_type.error());
  }
  if (has_body) {
    out.request.body = body->is_string() ? body->get<std::string>() : compact_json(*body);
    if (!*has_content_type && !body->is_string()) {
      out.request.headers.emplace_back("Content-Type", "application/json");
    }
  }
  if (auto added = add_metadata(args, out); !added) {
    return fail(added.error());
  }
  out.request.headers.emplace_back("Authorization", "Bearer " + *bearer);
  out.request.timeout = args.contains("timeout_ms")
                            ? std::chrono::milliseconds(args["timeout_ms"].get<long long>())
                            : config.timeout;
  out.request.max_response_bytes = args.value("max_response_bytes", kDefaultMaxResponseBytes);
  return out;
}

}  // namespace lava_mcp::tools
