// fuzz_http_fields: building the call tool's request (src/tools/call_request.h) and the rules of
// what may reach a request line or header (src/gateway/http_fields.h), with the URL resolution
// and normalisation they use (src/gateway/url.h).
// Input: byte 0 picks the format (none, openai, anthropic, google, bedrock) and the method
// (default, GET, POST, ...); the rest are records separated by 0x1E, each a kind byte and then
// name 0x1F value: 'u' the url, 'h' a header, 'q' a query pair, 'm' a metadata pair, 'l' a
// reference to resolve against the url. Names and values may hold any byte, CR and LF included.
// Invariants:
//  - a built request passes gateway::validate, and its request line and headers, written out as
//    HTTP/1.1 writes them, hold no CR, LF, NUL or control character but tab in values; names
//    and the method are tokens; the gateway path has no dot segment, read strictly or leniently,
//    and a rewrite path stays under /v1/rewrite/<format>/<host>/, a forward path is /v1/forward;
//  - an input with a forbidden byte in a header name or value, a query key or value or a metadata
//    value is refused, and every refusal names its field (url, headers[..], query[..],
//    metadata[..] or metadata:);
//  - is_token / is_field_value agree with token_problem / field_value_problem;
//  - normalize_target's result has no dot segment (strict or lenient) and no space, or it is an
//    input error naming the field; resolve_location never leaves a path with a dot segment, and a
//    reference without scheme or authority stays on the base's origin;
//  - nothing throws.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "gateway/http_fields.h"
#include "gateway/url.h"
#include "tools/call_request.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace {

using lava_fuzz::is_valid_utf8;
using lava_fuzz::Json;
using lava_fuzz::no_throw;
using lava_fuzz::show;
namespace gw = lava_mcp::gateway;

constexpr const char* kFormats[] = {"", "openai", "anthropic", "google", "bedrock"};
constexpr const char* kMethods[] = {"", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};

// Independent of http_fields.cpp: RFC 9110 5.6.2 tchar, and the bytes a field value may hold.
bool tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}
bool token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!tchar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}
bool value_ok(std::string_view text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
  }
  return true;
}

// Strict segments: split on '/' only. Lenient: %2e as '.', and '\', %2f, %5c as '/'.
bool dot_segment_in(std::string_view path, bool lenient) {
  std::string read;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (lenient && c == '%' && i + 2 < path.size()) {
      const char hi = path[i + 1];
      const char lo = static_cast<char>(path[i + 2] | 0x20);
      if (hi == '2' && lo == 'e') {
        read += '.';
        i += 2;
        continue;
      }
      if ((hi == '2' && lo == 'f') || (hi == '5' && lo == 'c')) {
        read += '/';
        i += 2;
        continue;
      }
    }
    read += lenient && c == '\\' ? '/' : c;
  }
  std::size_t start = 0;
  while (start <= read.size()) {
    std::size_t end = read.find('/', start);
    if (end == std::string::npos) end = read.size();
    const std::string segment = read.substr(start, end - start);
    if (segment == "." || segment == "..") return true;
    start = end + 1;
  }
  return false;
}

std::string path_of(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

struct Input {
  std::string format;
  std::string method;
  std::optional<std::string> url;
  std::vector<std::pair<std::string, std::string>> headers, query, metadata;
  std::vector<std::string> references;
};

Input parse_input(std::string_view raw) {
  Input in;
  if (raw.empty()) return in;
  const auto choice = static_cast<unsigned char>(raw[0]);
  in.format = kFormats[choice % 5];
  in.method = kMethods[(choice / 5) % 7];
  raw.remove_prefix(1);
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    std::size_t end = raw.find('\x1e', pos);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view record = raw.substr(pos, end - pos);
    pos = end + 1;
    if (record.empty()) continue;
    const std::string_view body = record.substr(1);
    const std::size_t split = body.find('\x1f');
    const std::string name(body.substr(0, split));
    const std::string value(split == std::string_view::npos ? "" : body.substr(split + 1));
    switch (record[0]) {
      case 'u':
        in.url = std::string(body);
        break;
      case 'h':
        in.headers.emplace_back(name, value);
        break;
      case 'q':
        in.query.emplace_back(name, value);
        break;
      case 'm':
        in.metadata.emplace_back(name, value);
        break;
      case 'l':
        in.references.emplace_back(body);
        break;
      default:
        break;
    }
  }
  return in;
}

// The arguments as the server would hand them to the tool: only valid UTF-8 reaches a JSON
// string from the wire, so pairs that are not are left out.
Json arguments_of(const Input& in) {
  Json args = Json::object();
  args["url"] = in.url && is_valid_utf8(*in.url) ? *in.url : "https://api.example.com/v1/x";
  if (!in.format.empty()) args["format"] = in.format;
  if (!in.method.empty()) args["method"] = in.method;
  const auto add = [&](const char* key, const auto& pairs) {
    for (const auto& [name, value] : pairs) {
      if (is_valid_utf8(name) && is_valid_utf8(value)) args[key][name] = value;
    }
  };
  add("headers", in.headers);
  add("query", in.query);
  add("metadata", in.metadata);
  if (args.value("method", "") != "GET" && args.value("method", "") != "HEAD") {
    args["body"] = Json{{"model", "m"}};
  }
  return args;
}

// An input the building must refuse: a forbidden byte in a header, a query pair or metadata.
bool must_refuse(const Json& args) {
  const auto pairs = [&](const char* key, bool names_are_tokens) {
    const auto it = args.find(key);
    if (it == args.end()) return false;
    for (const auto& [name, value] : it->items()) {
      const std::string text = value.is_string() ? value.get<std::string>() : "";
      if (names_are_tokens ? !token(name) : !value_ok(name)) return true;
      if (!value_ok(text)) return true;
    }
    return false;
  };
  return pairs("headers", true) || pairs("query", false) || pairs("metadata", false);
}

void check_built(const lava_mcp::tools::CallRequest& built, const Json& args) {
  const gw::HttpRequest& request = built.request;
  const auto valid = no_throw("validate", [&] { return gw::validate(request); });
  FUZZ_CHECK(valid.has_value(), "a built request fails validate: " + valid.error().message);
  const auto url = gw::parse_url(request.url);
  FUZZ_CHECK(url.has_value(), "the built URL does not parse: " + show(request.url));
  // The request as HTTP/1.1 writes it: request line, then one line per header.
  const std::string line = request.method + " " + url->target + " HTTP/1.1";
  FUZZ_CHECK(value_ok(line) && line.find('\t') == std::string::npos,
             "control character in the request line: " + show(line));
  FUZZ_CHECK(token(request.method), "method is no token: " + show(request.method));
  FUZZ_CHECK(url->target.find(' ') == std::string::npos,
             "space in the target: " + show(url->target));
  for (const auto& [name, value] : request.headers) {
    FUZZ_CHECK(token(name), "header name is no token: " + show(name));
    FUZZ_CHECK(value_ok(value), "header " + show(name) + " value: " + show(value));
  }
  const std::string path = path_of(url->target);
  FUZZ_CHECK(!dot_segment_in(path, false) && !dot_segment_in(path, true),
             "dot segment in the gateway path: " + show(path));
  const std::string format = args.value("format", "");
  if (format.empty()) {
    FUZZ_CHECK(path == "/v1/forward", "forward path: " + show(path));
  } else {
    const auto target = gw::parse_url(built.target);
    FUZZ_CHECK(target.has_value(), "built target does not parse: " + show(built.target));
    const std::string host_port = target->origin().substr(target->scheme.size() + 3);
    const std::string root = "/v1/rewrite/" + format + "/" + host_port;
    FUZZ_CHECK(path.rfind(root, 0) == 0 && (path.size() == root.size() || path[root.size()] == '/'),
               "rewrite path " + show(path) + " left " + show(root));
  }
}

void check_call(const Input& in) {
  const Json args = arguments_of(in);
  static const Json& schema = lava_mcp::tools::schema("call.input.json");
  if (no_throw("validate_against_schema",
               [&] { return lava_mcp::tools::validate_against_schema(schema, args); })) {
    return;  // the server refuses these before the tool runs
  }
  lava_mcp::gateway::Config config;
  config.api_origin = "https://api.lava.so";
  config.spend_key = "lava_sk_FUZZSPENDKEY0000";  // no secret key: nothing is registered
  const auto built = no_throw("build_call_request",
                              [&] { return lava_mcp::tools::build_call_request(args, config); });
  if (built) {
    FUZZ_CHECK(!must_refuse(args),
               "an input with a forbidden byte was accepted: " + show(args.dump(-1, ' ', true)));
    check_built(*built, args);
    return;
  }
  const std::string& message = built.error().message;
  bool named = false;
  for (const char* field : {"url:", "headers[", "query[", "metadata[", "metadata:"}) {
    named = named || message.rfind(field, 0) == 0;
  }
  FUZZ_CHECK(named, "a refusal names no field: " + show(message));
}

void check_rules(const Input& in) {
  for (const auto& pairs : {in.headers, in.query, in.metadata}) {
    for (const auto& [name, value] : pairs) {
      for (const std::string* text : {&name, &value}) {
        FUZZ_CHECK(gw::is_token(*text) == token(*text), "is_token(" + show(*text) + ")");
        FUZZ_CHECK(gw::is_token(*text) == !gw::token_problem(*text).has_value(),
                   "token_problem(" + show(*text) + ")");
        FUZZ_CHECK(gw::is_field_value(*text) == value_ok(*text),
                   "is_field_value(" + show(*text) + ")");
        FUZZ_CHECK(gw::is_field_value(*text) == !gw::field_value_problem(*text).has_value(),
                   "field_value_problem(" + show(*text) + ")");
      }
    }
  }
}

void check_urls(const Input& in) {
  if (!in.url) return;
  const auto base = no_throw("parse_url", [&] { return gw::parse_url(*in.url); });
  if (!base) return;
  const auto normal =
      no_throw("normalize_target", [&] { return gw::normalize_target(base->target, "url"); });
  if (normal) {
    const std::string path = path_of(*normal);
    FUZZ_CHECK(!dot_segment_in(path, false) && !dot_segment_in(path, true),
               "normalize_target(" + show(base->target) + ") = " + show(*normal));
    FUZZ_CHECK(normal->find(' ') == std::string::npos, "space kept: " + show(*normal));
    FUZZ_CHECK(!normal->empty() && normal->front() == '/', "not a target: " + show(*normal));
  } else {
    FUZZ_CHECK(normal.error().message.rfind("url: ", 0) == 0,
               "refusal: " + show(normal.error().message));
  }
  for (const std::string& reference : in.references) {
    const std::string resolved =
        no_throw("resolve_location", [&] { return gw::resolve_location(*base, reference); });
    if (!lava_fuzz::has_uri_scheme(reference) && reference.rfind("//", 0) != 0) {
      FUZZ_CHECK(resolved.rfind(base->origin(), 0) == 0,
                 "resolve_location(" + show(*in.url) + ", " + show(reference) +
                     ") left the origin: " + show(resolved));
    }
    // scheme ":" ["//" authority] path ["?" query] ["#" fragment]
    const std::size_t query = std::min(resolved.find_first_of("?#"), resolved.size());
    const std::size_t colon = resolved.find(':');
    FUZZ_CHECK(colon < query, "resolve_location gave no scheme: " + show(resolved));
    std::size_t path_start = colon + 1;
    if (resolved.compare(path_start, 2, "//") == 0) {
      path_start = std::min(resolved.find('/', path_start + 2), query);
    }
    const std::string path = resolved.substr(path_start, query - path_start);
    FUZZ_CHECK(!dot_segment_in(path, false), "resolve_location(" + show(*in.url) + ", " +
                                                 show(reference) +
                                                 ") kept a dot segment: " + show(resolved));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Input in = parse_input(std::string_view(reinterpret_cast<const char*>(data), size));
  check_rules(in);
  check_call(in);
  check_urls(in);
  return 0;
}
