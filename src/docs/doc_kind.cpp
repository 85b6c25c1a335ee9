#include "docs/doc_kind.h"

#include <optional>
#include <string>

#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view skip_bom_and_space(std::string_view body) {
  if (body.substr(0, 3) == "\xEF\xBB\xBF") {
    body.remove_prefix(3);
  }
  std::size_t i = 0;
  while (i < body.size() && is_ascii_space(body[i])) {
    ++i;
  }
  return body.substr(i);
}

// A top-level-looking "openapi" or "swagger" key near the start of a JSON object.
bool has_openapi_key(std::string_view body) {
  const std::string_view start = skip_bom_and_space(body);
  if (start.empty() || start[0] != '{') {
    return false;
  }
  const std::string_view head = start.substr(0, kSniffBytes);
  for (std::string_view key : {"\"openapi\"", "\"swagger\""}) {
    std::size_t pos = 0;
    while ((pos = head.find(key, pos)) != std::string_view::npos) {
      std::size_t i = pos + key.size();
      while (i < head.size() && is_ascii_space(head[i])) {
        ++i;
      }
      if (i < head.size() && head[i] == ':') {
        return true;
      }
      pos += key.size();
    }
  }
  return false;
}

bool looks_like_html(std::string_view body) {
  const std::string head = ascii_lower(skip_bom_and_space(body).substr(0, kSniffBytes));
  if (head.empty() || head[0] != '<') {
    return false;
  }
  for (std::string_view marker : {"<!doctype html", "<html", "<head", "<body"}) {
    if (head.find(marker) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool looks_like_markdown(std::string_view body) {
  const std::string_view start = skip_bom_and_space(body);
  return start.substr(0, 2) == "# " || start.substr(0, 3) == "## " || start.substr(0, 4) == "---\n";
}

std::optional<DocKind> by_content_type(const std::string& type, std::string_view body) {
  if (type == "text/html" || type == "application/xhtml+xml") {
    return DocKind::kHtml;
  }
  if (type == "text/markdown" || type == "text/x-markdown") {
    return DocKind::kMarkdown;
  }
  if (type == "application/vnd.oai.openapi+json" || type == "application/openapi+json") {
    return DocKind::kOpenApi;
  }
  if (type == "application/json" || ends_with(type, "+json")) {
    return has_openapi_key(body) ? DocKind::kOpenApi : DocKind::kText;
  }
  if (type == "application/yaml" || type == "application/x-yaml" || type == "text/yaml" ||
      type == "text/x-yaml" || type == "application/vnd.oai.openapi") {
    return DocKind::kText;
  }
  return std::nullopt;
}

std::optional<DocKind> by_url(std::string_view url, std::string_view body) {
  const std::size_t query = url.find_first_of("?#");
  const std::string path = ascii_lower(url.substr(0, query));
  if (ends_with(path, "/llms.txt") || ends_with(path, "/llms-full.txt") || path == "llms.txt" ||
      path == "llms-full.txt" || ends_with(path, ".md") || ends_with(path, ".markdown") ||
      ends_with(path, ".mdx")) {
    return DocKind::kMarkdown;
  }
  if (ends_with(path, ".txt")) {
    return DocKind::kText;
  }
  if (ends_with(path, ".html") || ends_with(path, ".htm")) {
    return DocKind::kHtml;
  }
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
    return DocKind::kText;
  }
  if (ends_with(path, ".json")) {
    const bool named =
        path.find("openapi") != std::string::npos || path.find("swagger") != std::string::npos;
    return has_openapi_key(body) || (named && skip_bom_and_space(body).substr(0, 1) == "{")
               ? DocKind::kOpenApi
               : DocKind::kText;
  }
  return std::nullopt;
}

}  // namespace

DocKind detect_kind(std::string_view content_type, std::string_view url, std::string_view body) {
  if (auto kind = by_content_type(media_type(content_type), body)) {
    return *kind;
  }
  if (auto kind = by_url(url, body)) {
    return *kind;
  }
  if (looks_like_html(body)) {
    return DocKind::kHtml;
  }
  if (has_openapi_key(body)) {
    return DocKind::kOpenApi;
  }
  if (looks_like_markdown(body)) {
    return DocKind::kMarkdown;
  }
  return DocKind::kText;
}

std::string_view to_string(DocKind kind) {
  switch (kind) {
    case DocKind::kHtml:
      return "html";
    case DocKind::kMarkdown:
      return "markdown";
    case DocKind::kText:
      return "text";
    case DocKind::kOpenApi:
      return "openapi";
  }
  return "text";
}

}  // namespace lava_mcp::docs
