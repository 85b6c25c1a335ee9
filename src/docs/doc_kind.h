// Which text layer a fetched documentation body needs: HTML, markdown, plain text or OpenAPI.
#pragma once

#include <string_view>

namespace lava_mcp::docs {

enum class DocKind { kHtml, kMarkdown, kText, kOpenApi };

// Decides by the Content-Type media type first (text/html and xhtml; text/markdown;
// application/vnd.oai.openapi+json; JSON types count as OpenAPI only when the body has an
// "openapi" or "swagger" key, else as text), then by the URL path's suffix (.md/.markdown/.mdx
// and llms.txt/llms-full.txt -> markdown; .txt -> text; .html/.htm -> HTML; .json -> OpenAPI
// when the body says so or the path names openapi/swagger), then by sniffing the start of the
// body (<!doctype html / <html / <head / <body -> HTML; a JSON object with an "openapi" or
// "swagger" key -> OpenAPI; a leading "# " heading or front matter -> markdown), else text.
// text/plain, application/octet-stream and an absent type are too weak to decide. YAML OpenAPI
// is returned as kText, since openapi_summary reads JSON only.
DocKind detect_kind(std::string_view content_type, std::string_view url, std::string_view body);

// "html", "markdown", "text" or "openapi".
std::string_view to_string(DocKind kind);

}  // namespace lava_mcp::docs
