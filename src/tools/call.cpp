// The call tool: any HTTP API through Lava's forward (or rewrite) endpoint, auth minted here.
#include <sstream>

#include "base/text_basics.h"
#include "gateway/lava_refusal.h"
#include "tools/all_tools.h"
#include "tools/call_request.h"
#include "tools/http_body.h"
#include "tools/result_budget.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

using gateway::HttpResponse;

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

// What a failed status means and what to do: Lava's own refusal named as such (with the fix),
// else the provider's.
std::string status_hint(const HttpResponse& response, const CallRequest& prepared,
                        const std::string& app_origin) {
  const int status = response.status;
  const auto refusal = gateway::classify_lava_refusal(
      status, response.body, [&](std::string_view name) { return response.header(name); },
      app_origin);
  if (refusal) {
    std::string hint = " " + gateway::describe_refusal(status, *refusal);
    if (refusal->kind == gateway::LavaRefusalKind::kInvalidKey &&
        prepared.credential == gateway::Credential::kSpendKey) {
      hint +=
          " Only a spend key is configured, and Lava documents the merchant secret key (or "
          "a forward token made from it) for /v1/forward: call the login tool, or set "
          "LAVA_SECRET_KEY.";
    }
    return hint;
  }
  switch (status) {
    case 401:
    case 403:
      return " The provider refused the credentials: check whether it needs your own "
             "provider_key, or its account in the Lava dashboard.";
    case 402:
      return " Payment required by the provider.";
    case 404:
      return " Not found: check the URL and method against the provider's docs "
             "(get_provider_docs).";
    case 429:
      return " Rate limited: wait (see retry-after) and try again.";
    default:
      return status >= 500 ? " The provider or gateway failed; trying again later may help." : "";
  }
}

std::string how_to_get_more(const CallRequest& prepared, bool cut_at_max_bytes) {
  return std::string(cut_at_max_bytes ? "The response itself was cut at max_response_bytes. "
                                      : "") +
         "For the rest, request a part with a Range header (\"bytes=<start>-<end>\") where " +
         prepared.target.substr(0, prepared.target.find('?')) +
         " supports it, or ask the API for less (a page, a limit, fewer fields).";
}

// The body as the result's one large piece (tools/result_budget.h): parsed JSON when complete,
// else text, else base64.
Payload body_payload(BodyView view, const CallRequest& prepared, bool cut_at_max_bytes) {
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
  Json block = media_content_block(content_type, base64, context.features());
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

ToolResult shape(const HttpResponse& response, const CallRequest& prepared,
                 const RequestContext& context, const ResultBudget& budget,
                 const std::string& app_origin) {
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
    text << "\nThe request failed." << status_hint(response, prepared, app_origin);
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
  auto prepared = build_call_request(args, *config);
  if (!prepared) {
    return ToolResult::error(prepared.error().message);
  }
  auto response = deps.http.send(prepared->request, context.stop_token());
  if (!response) {
    return ToolResult::error("The request to " + prepared->target +
                             " failed: " + response.error().message);
  }
  return shape(*response, *prepared, context, result_budget(context, config->result_budget_tokens),
               config->app_origin);
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
      .annotations =
          {.read_only = false, .destructive = true, .idempotent = false, .open_world = true},
      .run = [deps](const Json& args,
                    RequestContext& context) { return run_call(args, context, deps); },
  });
}

}  // namespace lava_mcp::tools
