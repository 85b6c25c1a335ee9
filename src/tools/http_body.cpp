#include "tools/http_body.h"

#include "base/base64.h"
#include "base/bounded_json.h"
#include "base/json_writer.h"
#include "base/secrets.h"
#include "base/text_basics.h"
#include "base/utf8.h"
#include "gateway/lava_api.h"

namespace lava_mcp::tools {
namespace {

bool is_json_type(const std::string& type) {
  return type == "application/json" || (type.size() > 5 && type.ends_with("+json"));
}

bool is_text_type(const std::string& type) {
  return type.rfind("text/", 0) == 0 || is_json_type(type) || type.ends_with("+xml") ||
         type == "application/xml" || type == "application/javascript" ||
         type == "application/x-www-form-urlencoded" || type == "application/yaml" ||
         type == "application/x-yaml" || type == "application/x-ndjson" ||
         type == "application/graphql";
}

}  // namespace

BodyView view_body(std::string_view body, std::string_view content_type, bool truncated) {
  BodyView view;
  if (body.empty()) {
    return view;
  }
  const std::string type = media_type(content_type);
  if (is_json_type(type) && !truncated) {
    view.json = parse_bounded_json(body);
    if (!view.json.is_discarded()) {
      view.kind = BodyView::Kind::kJson;
      view.text = compact_json(view.json);
      return view;
    }
  }
  if (is_text_type(type) || (type.empty() && is_valid_utf8(body))) {
    view.kind = BodyView::Kind::kText;
    view.text = std::string(body);
    return view;
  }
  view.kind = BodyView::Kind::kBinary;
  // Scanned raw: once encoded, a key (UTF-16 or escaped in the bytes) is past finding.
  view.text = base64_encode(secrets::redact(body));
  return view;
}

nlohmann::json media_content_block(std::string_view content_type, const std::string& base64,
                                   const protocol::Features& features) {
  const std::string type = media_type(content_type);
  if (type.rfind("image/", 0) == 0) {
    return {{"type", "image"}, {"data", base64}, {"mimeType", type}};
  }
  if (type.rfind("audio/", 0) == 0 && features.audio_content) {
    return {{"type", "audio"}, {"data", base64}, {"mimeType", type}};
  }
  return nullptr;
}

}  // namespace lava_mcp::tools
