// fuzz_lava_api: the pure facts of Lava's HTTP API and the URL helpers
// (src/gateway/lava_api.h, src/gateway/url.h). The input is LF-separated fields:
//   0 url  1 query key  2 query value  3 secret_key  4 customer_id  5 meter_slug
//   6 provider_key  7 disable_billing ("1" true, "0" false, else absent)  8 spend_key
// (a missing field is absent); the whole input is also used as raw bytes.
// Invariants:
//  - base64: decode(encode(x)) == x (standard and URL-safe alphabets, with and without padding),
//    encode's length and alphabet; decode of anything yields floor(6n/8) bytes or nullopt.
//  - percent_encode: only unreserved characters and %XX, and it decodes back to the input.
//  - forward_token: decodes to the compact JSON {secret_key, customer_id?, meter_slug?,
//    provider_key?, disable_billing?} in that order with the same values, and registers the
//    provider key as a secret and the token's family as a secret prefix: a start that the token
//    of the same key without billing shares, and that decodes to all of `{"secret_key":"<key>`
//    (so a token cut anywhere that still decodes to the whole key is in the family);
//    gateway_bearer agrees with check_billing.
//  - parse_url: scheme http(s), lower-case non-empty host, port 1..65535, target starting with
//    '/', no fragment; origin() parses back to the same scheme, host and port.
//  - forward_url / append_query: exact shapes, and the values decode back.
//  - nothing throws.
//
// secrets::register_secret and register_secret_prefix are replaced by recorders below
// (lava_api.cpp needs nothing else from secrets.cpp): the real registry keeps every value forever
// and re-sorts on each insert, which would make a long fuzzing run slower and slower.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/base64.h"
#include "base/secrets.h"
#include "fuzz_util.h"
#include "gateway/lava_api.h"
#include "gateway/url.h"

namespace {
std::vector<std::string> g_registered;  // cleared per input
std::set<std::string> g_families;       // every family registered: the registry only grows, and
                                   // forward_token registers a key's family with its first token
}  // namespace

namespace lava_mcp::secrets {
void register_secret(std::string_view value) {
  if (value.size() >= 8) g_registered.emplace_back(value);
}
void register_secret_prefix(std::string_view prefix) {
  if (prefix.size() >= 8) g_families.emplace(prefix);
}
}  // namespace lava_mcp::secrets

namespace {

using lava_fuzz::is_valid_utf8;
using lava_fuzz::Json;
using lava_fuzz::no_throw;
using lava_fuzz::show;
namespace gw = lava_mcp::gateway;

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' ||
         c == ')';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // percent_encode writes upper-case hex only
}

// Strict decoder for percent_encode's output; nullopt on anything it would never write.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != '%') {
      if (!is_unreserved(c)) return std::nullopt;
      out += static_cast<char>(c);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    const auto byte = static_cast<unsigned char>(high * 16 + low);
    if (is_unreserved(byte)) return std::nullopt;  // would have been kept as is
    out += static_cast<char>(byte);
    i += 2;
  }
  return out;
}

std::string checked_percent_encode(std::string_view text) {
  const std::string encoded = no_throw("percent_encode", [&] { return gw::percent_encode(text); });
  const auto decoded = percent_decode(encoded);
  FUZZ_CHECK(decoded.has_value(),
             "percent_encode wrote something else than unreserved/%XX: " + show(encoded));
  FUZZ_CHECK(*decoded == text,
             "percent_encode does not decode back: " + show(text) + " -> " + show(encoded));
  return encoded;
}

void check_base64(std::string_view bytes) {
  const std::string encoded =
      no_throw("base64_encode", [&] { return lava_mcp::base64_encode(bytes); });
  FUZZ_CHECK(encoded.size() == (bytes.size() + 2) / 3 * 4, "base64 length for " + show(bytes));
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '+' || c == '/';
    FUZZ_CHECK(alphabet || (c == '=' && i + 2 >= encoded.size()),
               "base64 alphabet: " + show(encoded));
  }
  std::string url_safe = encoded;
  for (char& c : url_safe) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  std::string unpadded = url_safe;
  while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
  for (const std::string& text : {encoded, url_safe, unpadded}) {
    const auto decoded = no_throw("base64_decode", [&] { return lava_mcp::base64_decode(text); });
    FUZZ_CHECK(decoded && *decoded == bytes,
               "base64 round trip failed for " + show(bytes) + " via " + show(text));
  }
  // Arbitrary text: nullopt, or 6 bits per character after the padding is dropped.
  const auto any = no_throw("base64_decode", [&] { return lava_mcp::base64_decode(bytes); });
  if (any) {
    std::string_view body = bytes;
    while (!body.empty() && body.back() == '=') body.remove_suffix(1);
    FUZZ_CHECK(any->size() == body.size() * 6 / 8, "base64_decode length for " + show(bytes));
  }
}

std::optional<std::string> field(const std::vector<std::string_view>& fields, std::size_t i) {
  return i < fields.size() ? std::optional<std::string>(std::string(fields[i])) : std::nullopt;
}

// A family registered, now or with an earlier token of the key, starts `token` and holds the
// whole key.
void check_token_family(const std::string& secret, const std::string& token,
                        const std::string& decoded) {
  const nlohmann::ordered_json key_only{{"secret_key", secret}};
  const std::string head = key_only.dump(-1, ' ', false, Json::error_handler_t::replace);
  const auto holds_key = [&](const std::string& family) {
    const auto start = lava_mcp::base64_decode(family);
    return token.rfind(family, 0) == 0 && start && decoded.rfind(*start, 0) == 0 &&
           start->size() + 2 >= head.size();
  };
  const auto family = std::find_if(g_families.begin(), g_families.end(), holds_key);
  FUZZ_CHECK(family != g_families.end(),
             "no registered family holds the key of " + show(token) + " (" + show(head) + ")");
  const std::string plain = gw::forward_token(secret, {});
  FUZZ_CHECK(plain.rfind(*family, 0) == 0, "the token without billing is not in the family");
}

void check_forward_token(const std::vector<std::string_view>& fields) {
  const std::string secret = field(fields, 3).value_or("");
  gw::Billing billing;
  billing.customer_id = field(fields, 4);
  billing.meter_slug = field(fields, 5);
  billing.provider_key = field(fields, 6);
  if (const auto flag = field(fields, 7); flag == "1" || flag == "0")
    billing.disable_billing = *flag == "1";

  g_registered.clear();
  const std::string token =
      no_throw("forward_token", [&] { return gw::forward_token(secret, billing); });
  const auto decoded = lava_mcp::base64_decode(token);
  FUZZ_CHECK(decoded.has_value(), "forward token is not base64: " + show(token));
  FUZZ_CHECK(lava_mcp::base64_encode(*decoded) == token, "forward token is not canonical base64");
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(*decoded, nullptr, false);
  FUZZ_CHECK(!parsed.is_discarded() && parsed.is_object(),
             "forward token is not a JSON object: " + show(*decoded));
  std::vector<std::string> keys;
  for (auto it = parsed.begin(); it != parsed.end(); ++it) keys.push_back(it.key());
  std::vector<std::string> expected_keys = {"secret_key"};
  if (billing.customer_id) expected_keys.push_back("customer_id");
  if (billing.meter_slug) expected_keys.push_back("meter_slug");
  if (billing.provider_key) expected_keys.push_back("provider_key");
  if (billing.disable_billing) expected_keys.push_back("disable_billing");
  FUZZ_CHECK(keys == expected_keys, "forward token keys/order: " + show(*decoded));
  // Valid UTF-8 values survive exactly; invalid ones come back with U+FFFD replacements.
  const auto same_string = [&](const char* key, const std::string& value) {
    if (!is_valid_utf8(value)) return;
    FUZZ_CHECK(parsed[key] == value,
               std::string("forward token ") + key + " changed: " + show(*decoded));
  };
  same_string("secret_key", secret);
  if (billing.customer_id) same_string("customer_id", *billing.customer_id);
  if (billing.meter_slug) same_string("meter_slug", *billing.meter_slug);
  if (billing.provider_key) same_string("provider_key", *billing.provider_key);
  if (billing.disable_billing) {
    FUZZ_CHECK(parsed["disable_billing"] == *billing.disable_billing, "disable_billing changed");
  }
  check_token_family(secret, token, *decoded);
  if (billing.provider_key && billing.provider_key->size() >= 8) {
    FUZZ_CHECK(std::find(g_registered.begin(), g_registered.end(), *billing.provider_key) !=
                   g_registered.end(),
               "provider key was not registered as a secret");
  }

  // gateway_bearer: the secret key wins (billing checked), then the spend key (no billing).
  gw::Config config;
  config.secret_key = secret;
  config.spend_key = field(fields, 8).value_or("");
  const auto bearer =
      no_throw("gateway_bearer", [&] { return gw::gateway_bearer(config, billing); });
  const auto valid = gw::check_billing(billing);
  if (!secret.empty()) {
    FUZZ_CHECK(bearer.has_value() == valid.has_value(),
               "gateway_bearer disagrees with check_billing");
    if (bearer) FUZZ_CHECK(*bearer == token, "gateway_bearer is not the forward token");
  } else if (!config.spend_key.empty()) {
    FUZZ_CHECK(bearer.has_value() == !billing.any(), "gateway_bearer with a spend key and billing");
    if (bearer) FUZZ_CHECK(*bearer == config.spend_key, "gateway_bearer is not the spend key");
  } else {
    FUZZ_CHECK(!bearer && bearer.error().code == lava_mcp::error_code::kInvalidRequest,
               "gateway_bearer without keys");
  }
  if (!valid) {
    FUZZ_CHECK(valid.error().code == lava_mcp::error_code::kInvalidParams, "check_billing code");
  }
}

bool is_lower(std::string_view text) {
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z') return false;
  }
  return true;
}

void check_parsed_url(const gw::ParsedUrl& url, std::string_view text) {
  const auto context = [&] { return "parse_url(" + show(text) + ")"; };
  FUZZ_CHECK(url.scheme == "http" || url.scheme == "https",
             context() + ": scheme " + show(url.scheme));
  FUZZ_CHECK(!url.host.empty() && is_lower(url.host), context() + ": host " + show(url.host));
  FUZZ_CHECK(url.port >= 1 && url.port <= 65535, context() + ": port " + std::to_string(url.port));
  FUZZ_CHECK(!url.target.empty() && url.target.front() == '/',
             context() + ": target " + show(url.target));
  FUZZ_CHECK(url.target.find('#') == std::string::npos, context() + ": fragment kept in target");
  const std::string origin = url.origin();
  const auto again = no_throw("parse_url", [&] { return gw::parse_url(origin); });
  FUZZ_CHECK(again.has_value(), context() + ": origin() " + show(origin) + " does not parse");
  FUZZ_CHECK(again->scheme == url.scheme && again->host == url.host && again->port == url.port &&
                 again->target == "/",
             context() + ": origin() " + show(origin) + " parses to another origin (host " +
                 show(again->host) + ", port " + std::to_string(again->port) + ")");
  FUZZ_CHECK(again->origin() == origin, context() + ": origin() is not stable: " + show(origin));
}

void check_urls(const std::vector<std::string_view>& fields, std::string_view raw) {
  const std::string url = field(fields, 0).value_or("");
  const std::string key = field(fields, 1).value_or("");
  const std::string value = field(fields, 2).value_or("");

  std::string origin = gw::kDefaultApiOrigin;
  for (const std::string_view text : {std::string_view(url), raw}) {
    const auto parsed = no_throw("parse_url", [&] { return gw::parse_url(text); });
    if (!parsed) continue;
    check_parsed_url(*parsed, text);
    if (text.data() == url.data()) {
      origin = parsed->origin();
    }
    const std::string resolved =
        no_throw("resolve_location", [&] { return gw::resolve_location(*parsed, key); });
    if (!lava_fuzz::has_uri_scheme(key) && key.rfind("//", 0) != 0) {
      FUZZ_CHECK(resolved.rfind(parsed->origin(), 0) == 0,
                 "resolve_location(" + show(text) + ", " + show(key) +
                     ") left the origin: " + show(resolved));
    }
  }

  // forward_url: <origin>/v1/forward?u=<target encoded whole>.
  const std::string encoded_url = checked_percent_encode(url);
  const std::string forward = no_throw("forward_url", [&] { return gw::forward_url(origin, url); });
  FUZZ_CHECK(forward == origin + "/v1/forward?u=" + encoded_url,
             "forward_url shape: " + show(forward));
  const auto forward_parsed = gw::parse_url(forward);
  FUZZ_CHECK(forward_parsed && forward_parsed->origin() == origin &&
                 forward_parsed->target == "/v1/forward?u=" + encoded_url,
             "forward_url does not parse back: " + show(forward));

  // append_query: the fragment stays last, the pair is appended with '?' or '&'.
  const std::string appended =
      no_throw("append_query", [&] { return gw::append_query(url, key, value); });
  const std::size_t hash = url.find('#');
  const std::string base = url.substr(0, hash);
  const std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  const std::string pair = checked_percent_encode(key) + "=" + checked_percent_encode(value);
  const std::string expected =
      base + (base.find('?') == std::string::npos ? "?" : "&") + pair + fragment;
  FUZZ_CHECK(appended == expected, "append_query(" + show(url) + ", " + show(key) + ", " +
                                       show(value) + ") = " + show(appended) + ", expected " +
                                       show(expected));

  const std::string rewrite =
      no_throw("rewrite_url", [&] { return gw::rewrite_url(origin, "openai", url); });
  FUZZ_CHECK(rewrite.rfind(origin + "/v1/rewrite/openai/", 0) == 0,
             "rewrite_url shape: " + show(rewrite));
  FUZZ_CHECK(rewrite.find("://", origin.size()) == std::string::npos ||
                 url.find("://") != url.rfind("://"),
             "rewrite_url kept the target's scheme: " + show(rewrite));

  Json metadata = Json::object();
  metadata[key] = value;  // maybe invalid UTF-8: replaced, never thrown on
  const std::string header =
      no_throw("metadata_header", [&] { return gw::metadata_header(metadata); });
  FUZZ_CHECK(lava_fuzz::is_one_line(header) && is_valid_utf8(header) &&
                 Json::parse(header, nullptr, false).is_object(),
             "metadata_header: " + show(header));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  for (std::size_t pos = 0; pos <= raw.size();) {
    const std::size_t end = std::min(raw.find('\n', pos), raw.size());
    fields.push_back(raw.substr(pos, end - pos));
    pos = end + 1;
  }
  if (raw.empty()) fields.clear();

  check_base64(raw);
  checked_percent_encode(raw);
  check_forward_token(fields);
  check_urls(fields, raw);
  return 0;
}
