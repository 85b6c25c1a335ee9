// Any error body -> OpenAI {"error": {message, type, param, code}} (translation.md section 8).
// The shape is detected from the body: errors come from providers and from Lava's gateway.
#include <algorithm>
#include <utility>

#include "base/bounded_json.h"
#include "base/text_basics.h"
#include "base/utf8.h"
#include "translators/common.h"
#include "translators/completion.h"

namespace lava_mcp::translators {
namespace {

using detail::json;

constexpr std::size_t kMaxMessageBytes = 500;

std::string status_text(int status) {
  static constexpr std::pair<int, std::string_view> kReasons[] = {{400, "Bad Request"},
                                                                  {401, "Unauthorized"},
                                                                  {402, "Payment Required"},
                                                                  {403, "Forbidden"},
                                                                  {404, "Not Found"},
                                                                  {408, "Request Timeout"},
                                                                  {409, "Conflict"},
                                                                  {413, "Payload Too Large"},
                                                                  {422, "Unprocessable Entity"},
                                                                  {429, "Too Many Requests"},
                                                                  {500, "Internal Server Error"},
                                                                  {502, "Bad Gateway"},
                                                                  {503, "Service Unavailable"},
                                                                  {504, "Gateway Timeout"},
                                                                  {529, "Overloaded"}};
  std::string text = "HTTP " + std::to_string(status);
  for (const auto& [code, reason] : kReasons) {
    if (code == status) {
      text += " " + std::string(reason);
    }
  }
  return text;
}

std::string type_for_status(Format format, int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    default:
      break;
  }
  if (status == 529 && format == Format::kAnthropic) {
    return "overloaded_error";
  }
  return status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
}

// Readable text of a non-JSON body: an HTML page's title (or its text), whitespace collapsed,
// at most 500 bytes of valid UTF-8.
std::string readable_text(std::string_view raw) {
  std::string text = to_valid_utf8(raw);
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '<') {
    const std::size_t title = text.find("<title>");
    const std::size_t title_end = text.find("</title>");
    if (title != std::string::npos && title_end != std::string::npos && title_end > title + 7) {
      text = text.substr(title + 7, title_end - title - 7);
    } else {
      std::string stripped;
      bool in_tag = false;
      for (const char c : text) {
        if (c == '<' || c == '>') {
          in_tag = c == '<';
          stripped += ' ';
        } else if (!in_tag) {
          stripped += c;
        }
      }
      text = std::move(stripped);
    }
  }
  std::string collapsed;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!space) {
      collapsed += c;
    } else if (!collapsed.empty() && collapsed.back() != ' ') {
      collapsed += ' ';
    }
  }
  while (!collapsed.empty() && collapsed.back() == ' ') {
    collapsed.pop_back();
  }
  collapsed.resize(utf8_prefix(collapsed, kMaxMessageBytes).size());
  return collapsed;
}

json error_object(json message, json type, json param, json code) {
  return {{"error",
           {{"message", std::move(message)},
            {"type", std::move(type)},
            {"param", std::move(param)},
            {"code", std::move(code)}}}};
}

json field_or_null(const json& object, std::string_view key) {
  const json* value = detail::member(object, key);
  return value == nullptr ? json(nullptr) : *value;
}

std::string fallback_message(int status, std::string_view raw) {
  std::string text = readable_text(raw);
  return text.empty() ? status_text(status) : text;
}

}  // namespace

namespace detail {

json map_error_value(Format format, int status, const json& parsed, std::string_view raw) {
  // Google sometimes wraps its error in a one-element array.
  const json& root = parsed.is_array() && !parsed.empty() ? parsed.front() : parsed;
  const json* error = object_member(root, "error");
  const std::string* root_type = string_member(root, "type");
  if (error != nullptr && root_type != nullptr && *root_type == "error") {  // Anthropic
    const json* details = object_member(*error, "details");
    const std::string* message = string_member(*error, "message");
    return error_object(message != nullptr ? *message : fallback_message(status, raw),
                        field_or_null(*error, "type"), nullptr,
                        details == nullptr ? json(nullptr) : field_or_null(*details, "error_code"));
  }
  if (error != nullptr && string_member(*error, "status") != nullptr) {  // Google
    const std::string* message = string_member(*error, "message");
    return error_object(message != nullptr ? *message : fallback_message(status, raw),
                        field_or_null(*error, "status"), nullptr, field_or_null(*error, "code"));
  }
  if (error != nullptr) {  // OpenAI: keep the object, fill what is missing with null
    json kept = *error;
    if (string_member(kept, "message") == nullptr) {
      kept["message"] = fallback_message(status, raw);
    }
    for (const char* key : {"type", "param", "code"}) {
      if (!kept.contains(key)) {
        kept[key] = nullptr;
      }
    }
    return {{"error", std::move(kept)}};
  }
  // Anything else: a bare message field if there is one, else the readable body.
  std::string message = fallback_message(status, raw);
  for (const char* key : {"error", "message", "detail"}) {
    if (const std::string* text = string_member(root, key); text != nullptr && !text->empty()) {
      message = readable_text(*text);
      break;
    }
  }
  return error_object(message, type_for_status(format, status), nullptr, nullptr);
}

}  // namespace detail

bool model_not_served(int status, const json& error) {
  if (status == 404) {
    return true;
  }
  if ((status != 400 && status != 410) || !error.is_object()) {
    return false;
  }
  const auto text_of = [&error](const char* key) {
    const std::string* text = detail::string_member(error, key);
    return text == nullptr ? std::string() : ascii_lower(*text);
  };
  static constexpr std::string_view kCodes[] = {"model_not_found", "model_decommissioned",
                                                "model_not_available", "model_retired"};
  const std::string code = text_of("code");
  const std::string type = text_of("type");
  if (std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes) ||
      type == "not_found_error" || type == "not_found") {
    return true;
  }
  // Providers without such a code say it in words: "The model `x` does not exist", "Model Not
  // Exist", "models/x is not found for API version v1beta", "has been decommissioned".
  const std::string message = text_of("message");
  if (message.find("model") == std::string::npos) {
    return false;
  }
  // "has been deprecated", not "deprecated": a deprecated model still serves, so a 400 that
  // calls something deprecated ("max_tokens is deprecated for this model") is the request's fault.
  static constexpr std::string_view kMarkers[] = {
      "not exist",    "not found", "unknown model", "invalid model", "retired",
      "decommission", "no longer", "unavailable",   "not available", "has been deprecated"};
  return std::any_of(std::begin(kMarkers), std::end(kMarkers), [&message](std::string_view marker) {
    return message.find(marker) != std::string::npos;
  });
}

json map_error(Format format, int status, std::string_view body) {
  const json parsed = parse_bounded_json(body);
  return detail::map_error_value(format, status, parsed.is_discarded() ? json(nullptr) : parsed,
                                 body);
}

}  // namespace lava_mcp::translators
