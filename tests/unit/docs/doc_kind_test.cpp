#include "docs/doc_kind.h"

#include <doctest/doctest.h>

#include <string>

namespace lava_mcp::docs {
namespace {

constexpr const char* kOpenApiBody = R"({"openapi": "3.0.0", "info": {}})";

TEST_CASE("detect_kind: content type decides first") {
  CHECK(detect_kind("text/html; charset=utf-8", "https://x.test/a.md", "# md") == DocKind::kHtml);
  CHECK(detect_kind("application/xhtml+xml", "", "") == DocKind::kHtml);
  CHECK(detect_kind("Text/Markdown", "https://x.test/page.html", "<html>") == DocKind::kMarkdown);
  CHECK(detect_kind("text/x-markdown", "", "") == DocKind::kMarkdown);
  CHECK(detect_kind("application/vnd.oai.openapi+json", "", "{}") == DocKind::kOpenApi);
  CHECK(detect_kind("application/json", "", kOpenApiBody) == DocKind::kOpenApi);
  CHECK(detect_kind("application/json", "", R"({ "swagger" : "2.0" })") == DocKind::kOpenApi);
  CHECK(detect_kind("application/json", "", R"({"models": ["openapi"]})") == DocKind::kText);
  CHECK(detect_kind("application/problem+json", "", "{}") == DocKind::kText);
  CHECK(detect_kind("application/yaml", "", "openapi: 3.0.0") == DocKind::kText);
}

TEST_CASE("detect_kind: URL suffix when the type is weak") {
  CHECK(detect_kind("text/plain", "https://x.test/README.md", "plain") == DocKind::kMarkdown);
  CHECK(detect_kind("", "https://x.test/llms.txt", "text") == DocKind::kMarkdown);
  CHECK(detect_kind("", "https://x.test/llms-full.txt?v=2", "text") == DocKind::kMarkdown);
  CHECK(detect_kind("application/octet-stream", "https://x.test/notes.TXT", "<html>") ==
        DocKind::kText);
  CHECK(detect_kind("", "https://x.test/guide.html#top", "plain words") == DocKind::kHtml);
  CHECK(detect_kind("", "https://x.test/openapi.json", "{\"paths\": {}}") == DocKind::kOpenApi);
  CHECK(detect_kind("", "https://x.test/data.json", kOpenApiBody) == DocKind::kOpenApi);
  CHECK(detect_kind("", "https://x.test/data.json", "{\"a\": 1}") == DocKind::kText);
  CHECK(detect_kind("", "https://x.test/openapi.yaml", "openapi: 3.0.0") == DocKind::kText);
}

TEST_CASE("detect_kind: sniffing the body") {
  CHECK(detect_kind("", "https://x.test/docs", "\xEF\xBB\xBF  <!DOCTYPE html><p>x") ==
        DocKind::kHtml);
  CHECK(detect_kind("text/plain", "https://x.test/docs", "<HTML><body>x") == DocKind::kHtml);
  CHECK(detect_kind("", "https://x.test/spec", std::string(" \n") + kOpenApiBody) ==
        DocKind::kOpenApi);
  CHECK(detect_kind("", "https://x.test/docs", "# Title\n\nBody") == DocKind::kMarkdown);
  CHECK(detect_kind("", "https://x.test/docs", "---\ntitle: x\n---\nBody") == DocKind::kMarkdown);
  CHECK(detect_kind("", "https://x.test/docs", "plain words") == DocKind::kText);
  CHECK(detect_kind("", "", "") == DocKind::kText);
  CHECK(detect_kind("", "", "<div>fragment</div>") == DocKind::kText);
  CHECK(to_string(DocKind::kOpenApi) == "openapi");
  CHECK(to_string(DocKind::kHtml) == "html");
}

}  // namespace
}  // namespace lava_mcp::docs
