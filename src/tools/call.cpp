// The call tool: any HTTP API through Lava's forward (or rewrite) endpoint, auth minted here.
#include <algorithm>
#include <array>
#include <sstream>

#include "gateway/lava_api.h"
#include "gateway/url.h"
#include "text_basics.h"
#include "tools/all_tools.h"
#include "tools/result_budget.h"
#include "tools/schemas.h"
#include "tools/text.h"
#include "transport/jsonrpc.h"

namespace lava_mcp::tools {
namespace {

using gateway::HttpRequest;
using gateway::HttpResponse;

constexpr std::size_t kDefaultMaxResponseBytes = 1u << 20;

// Auth belongs to the gateway, and hop-by-hop headers to each connection (RFC 9110 7.6.1).
constexpr std::array<std::string_view, 14> kDroppedHeaders = {
    "authorization", "x-api-key",  "x-goog-api-key", "host",    "content-length",
    "connection",    "keep-alive", "proxy-authenticate", "proxy-authorization",
    "te",            "trailer",    "transfer-encoding",  "upgrade", "proxy-connection"};

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

struct Prepared {
  HttpRequest request;
  std::string target;  // the provider URL, query included
  std::vector<std::string> dropped_headers;
};

Expected<Prepared> prepare(const Json& args, const gateway::Config& config) {
  Prepared out;
  out.target = args.at("url").get<std::string>();
  if (const auto query = args.find("query"); query != args.end()) {
    for (const auto& [key, value] : query->items()) {
      out.target = gateway::append_query(out.target, key, query_value(value));
    }
  }
  if (!gateway::parse_url(out.target)) {
    return fail(error_code::kInvalidParams, "url: not a valid absolute https:// URL");
  }
  auto bearer = gateway::gateway_bearer(config, billing_of(args));
  if (!bearer) {
    return fail(bearer.error());
  }
  const std::string format = args.value("format", "");
  out.request.url = format.empty() ? gateway::forward_url(config.api_origin, out.target)
                                   : gateway::rewrite_url(config.api_origin, format, out.target);
  const auto body = args.find("body");
  const bool has_body = body != args.end() && !body->is_null();
  out.request.method = args.value("method", has_body ? "POST" : "GET");
  bool has_content_type = false;
  if (const auto headers = args.find("headers"); headers != args.end()) {
    for (const auto& [name, value] : headers->items()) {
      const std::string lowered = ascii_lower(name);
      if (std::find(kDroppedHeaders.begin(), kDroppedHeaders.end(), lowered) != kDroppedHeaders.end()) {
        out.dropped_headers.push_back(name);
        continue;
      }
      has_content_type = has_content_type || lowered == "content-type";
      out.request.headers.emplace_back(name, value.get<std::string>());
    }
  }
  if (has_body) {
    out.request.body = body->is_string() ? body->get<std::string>() : transport::dump_compact(*body);
    if (!has_content_type && !body->is_string()) {
      out.request.headers.emplace_back("Content-Type", "application/json");
    }
  }
  if (const auto metadata = args.find("metadata"); metadata != args.end() && !metadata->empty()) {
    if (metadata->size() > 100) {
      return fail(error_code::kInvalidParams, "metadata: at most 100 pairs");
    }
    for (const auto& [key, value] : metadata->items()) {
      if (!valid_metadata_key(key)) {
        return fail(error_code::kInvalidParams,
                    "metadata: key \"" + key + "\" may use only ASCII letters, digits and _");
      }
    }
    out.request.headers.emplace_back("x-lava-metadata", gateway::metadata_header(*metadata));
  }
  out.request.headers.emplace_back("Authorization", "Bearer " + *bearer);
  out.request.timeout = args.contains("timeout_ms")
                            ? std::chrono::milliseconds(args["timeout_ms"].get<long long>())
                            : config.timeout;
  out.request.max_response_bytes = args.value("max_response_bytes", kDefaultMaxResponseBytes);
  return out;
}

Json selected_headers(const gateway::Headers& headers) {
  Json out = Json::object();
  for (const auto& [name, value] : headers) {
    const std::string key = ascii_lower(name);
    if (key == "content-type" || key == "retry-after" || key.rfind("x-ratelimit-", 0) == 0 ||
        key.rfind("x-lava-", 0) == 0) {
      out[key] = value;
    }
  }
  return out;
}

std::string status_hint(int status) {
  switch (status) {
    case 401:
    case 403:
      return " The gateway or provider refused the credentials: check the key (call login, or "
             "set LAVA_SECRET_KEY), and whether this provider needs your own provider_key.";
    case 402:
      return " Payment required: the Lava wallet or spend key is out of funds or over its limit.";
    case 404:
      return " Not found: check the URL and method against the provider's docs "
             "(get_provider_docs).";
    case 429:
      return " Rate limited: wait (see retry-after) and try again.";
    default:
      return status >= 500 ? " The provider or gateway failed; trying again later may help." : "";
  }
}

std::string how_to_get_more(const Prepared& prepared, bool cut_at_max_bytes) {
  return std::string(cut_at_max_bytes ? "The response itself was cut at max_response_bytes. "
                                      : "") +
         "For the rest, request a part with a Range header (\"bytes=<start>-<end>\") where " +
         prepared.target.substr(0, prepared.target.find('?')) +
         " supports it, or ask the API for less (a page, a limit, fewer fields).";
}

// The body as the result's one large piece (tools/result_budget.h): parsed JSON when complete,
// else text, else base64.
Payload body_payload(BodyView view, const Prepared& prepared, bool cut_at_max_bytes) {
  Payload payload;
  payload.what = "the body";
  payload.how_to_get_more = how_to_get_more(prepared, cut_at_max_bytes);
  payload.text = std::move(view.text);
  switch (view.kind) {
    case BodyView::Kind::kJson:
      payload.value = std::move(view.json);
      payload.key = "/body";
      payload.cut_key = "/body_text";
      break;
    case BodyView::Kind::kText:
      payload.key = "/body_text";
      break;
    case BodyView::Kind::kBinary:
      payload.key = "/body_base64";
      payload.readable = false;
      break;
    case BodyView::Kind::kEmpty:
      break;
  }
  return payload;
}

// An image or audio body as an MCP media block, for hosts that show or hear it, when it fits the
// budget whole (a cut image is no image); base64 in structuredContent too when small.
bool add_media_block(ToolResult& result, const std::string& content_type, const std::string& base64,
                     const RequestContext& context, const ResultBudget& budget) {
  Json block = media_content_block(content_type, base64, context.protocol_version());
  const std::size_t fixed = result_chars(result) + 64;  // the block's other members
  if (block.is_null() || fixed + base64.size() > budget.chars) {
    return false;
  }
  result.content[0]["text"] = result.content[0]["text"].get<std::string>() +
                              "\n\nThe body is in the " + block["type"].get<std::string>() +
                              " content block.";
  if (base64.size() <= budget.chars / 4 && fixed + 2 * base64.size() + 20 <= budget.chars) {
    result.structured["body_base64"] = base64;
  } else {
    result.structured["payload_in"] = "content";
  }
  result.content.push_back(std::move(block));
  return true;
}

ToolResult shape(const HttpResponse& response, const Prepared& prepared,
                 const RequestContext& context, const ResultBudget& budget) {
  const std::string content_type = response.header("content-type");
  Json out = {{"status", response.status},
              {"headers", selected_headers(response.headers)},
              {"content_type", content_type},
              {"bytes", response.body.size()},
              {"truncated", response.truncated}};
  const std::string request_id = response.header("x-lava-request-id");
  if (!request_id.empty()) {
    out["request_id"] = request_id;
  }
  BodyView view = view_body(response.body, content_type, response.truncated);
  std::ostringstream text;
  text << "HTTP " << response.status << " from " << prepared.target << " ("
       << (content_type.empty() ? "no content type" : content_type) << ", " << response.body.size()
       << " bytes" << (response.truncated ? ", cut at max_response_bytes" : "") << ")";
  if (!request_id.empty()) {
    text << " request_id " << request_id;
  }
  if (!prepared.dropped_headers.empty()) {
    text << "\nDropped headers (the gateway adds auth): ";
    for (std::size_t i = 0; i < prepared.dropped_headers.size(); ++i) {
      text << (i ? ", " : "") << prepared.dropped_headers[i];
    }
  }
  const bool failed = response.status >= 400;
  if (failed) {
    text << "\nThe request failed." << status_hint(response.status);
  }
  ToolResult result = ToolResult::success(text.str(), std::move(out));
  result.is_error = failed;
  if (view.kind == BodyView::Kind::kEmpty) {
    return result;
  }
  if (view.kind == BodyView::Kind::kBinary && budget.side == PayloadSide::kText &&
      add_media_block(result, content_type, view.text, context, budget)) {
    return result;
  }
  if (place_payload(result, body_payload(std::move(view), prepared, response.truncated), budget)
          .cut) {
    result.structured["truncated"] = true;
  }
  return result;
}

ToolResult run_call(const Json& args, RequestContext& context, const ToolDeps& deps) {
  auto config = deps.config.current();
  if (!config) {
    return ToolResult::error(config.error().message);
  }
  auto prepared = prepare(args, *config);
  if (!prepared) {
    return ToolResult::error(prepared.error().message);
  }
  auto response = deps.http.send(prepared->request, context.stop_token());
  if (!response) {
    return ToolResult::error("The request to " + prepared->target + " failed: " +
                             response.error().message);
  }
  return shape(*response, *prepared, context, result_budget(context, config->result_budget_tokens));
}

}  // namespace

void register_call(ToolRegistry& registry, const ToolDeps& deps) {
  registry.add(ToolSpec{
      .name = "call",
      .title = "Call any API",
      .description =
          "Make any HTTP request to a provider's API through Lava's gateway: web search, "
          "scraping, speech, images, embeddings, or a model provider's native endpoint. Give the "
          "provider's own https URL, method, headers and body exactly as its docs describe; "
          "leave out API keys, because the gateway adds the credentials and bills the call. "
          "The result has the status, selected headers and the body (JSON parsed, text as "
          "text, binary as base64). Use prompt instead for chat completions in OpenAI format "
          "with fallbacks, and search to find a provider and a ready-made example.",
      .input_schema = schema("call.input.json"),
      .output_schema = schema("call.output.json"),
      .annotations = {.read_only = false, .destructive = true, .idempotent = false,
                      .open_world = true},
      .run = [deps](const Json& args, RequestContext& context) {
        return run_call(args, context, deps);
      },
  });
}

}  // namespace lava_mcp::tools
