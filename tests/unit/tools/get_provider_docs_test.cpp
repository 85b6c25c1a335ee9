#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/fake_upstream.h"
#include "support/loopback_only_client.h"
#include "support/null_context.h"
#include "support/test_services.h"
#include "tools/all_tools.h"
#include "tools/result_budget.h"
#include "tools/schema_validator.h"
#include "tools/schemas.h"

namespace lava_mcp::tools {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHtml = R"(<!doctype html><html><head><title>Acme API</title>
<style>body{color:red}</style><script>var secret = "do not show";</script></head>
<body><nav><a href="/">Home</a> | <a href="/pricing">Pricing</a></nav>
<header>Acme header banner</header>
<h1>Acme API reference</h1><p>Fast &amp; friendly &mdash; search the web.</p>
<h2>Authentication</h2><p>Send <code>X-API-KEY</code>.</p>
<h2>Rate limits</h2><p>60 requests per minute; 429 when exceeded.</p>
<ul><li>Burst: 10<ul><li>nested item</li></ul></li></ul>
<table><tr><th>Code</th><th>Meaning</th></tr><tr><td>429</td><td>Too many</td></tr></table>
<pre><code>curl -X POST https://api.acme.example/search -d '{"q":"a &lt; b"}'</code></pre>
<footer>Copyright Acme</footer></body></html>)";

constexpr const char* kOpenApi =
    R"({"openapi":"3.0.0","info":{"title":"Acme OpenAPI","version":"1.2"},
"servers":[{"url":"https://api.acme.example"}],
"paths":{"/search":{"post":{"summary":"Search the web","responses":{"200":{"description":"Results"}}}},
"/health":{"get":{"summary":"Health check","responses":{"200":{"description":"OK"}}}}}})";

// A docs site and Lava's catalog on loopback. Provider "acme" exists only in the live catalog.
struct DocsSite {
  DocsSite() {
    auto& r = site.routes();
    r.Get("/acme.html", [this](const httplib::Request& req, httplib::Response& res) {
      ++html_hits;
      if (req.get_header_value("If-None-Match") == "\"v1\"") {
        ++revalidations;
        res.status = 304;
        return;
      }
      res.set_header("ETag", "\"v1\"");
      res.set_content(kHtml, "text/html; charset=utf-8");
    });
    r.Get("/acme.md", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "---\ntitle: x\n---\n# Acme markdown\n\nHello **docs**.\n\n\n\n## Errors\n\nNone.\n",
          "text/markdown");
    });
    r.Get("/openapi.json", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kOpenApi, "application/json");
    });
    r.Get(R"(/hop/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      const int n = std::stoi(req.matches[1]);
      res.set_redirect(n == 0 ? "/acme.md" : "/hop/" + std::to_string(n - 1));
    });
    r.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(1500ms);
      res.set_content("# late", "text/markdown");
    });
    r.Get("/huge", [](const httplib::Request&, httplib::Response& res) {
      std::string page = "# Huge\n\n";
      while (page.size() < (6u << 20)) page += "Lorem ipsum dolor sit amet, consectetur.\n\n";
      res.set_content(page, "text/markdown");
    });
    r.Get(R"(/v1/services/providers/(.+))",
          [this](const httplib::Request& req, httplib::Response& res) {
            const std::string id = req.matches[1];
            if (id != "acme" && id != "serper") {
              res.status = 404;
              res.set_content(R"({"error":"not found"})", "application/json");
              return;
            }
            res.set_content(nlohmann::json{{"id", id},
                                           {"label", id == "acme" ? "Acme Search" : "Serper"},
                                           {"api_reference", site.base_url() + docs_path}}
                                .dump(),
                            "application/json");
          });
  }
  testing::FakeUpstream site;
  std::string docs_path = "/acme.html";
  std::atomic<int> html_hits{0};
  std::atomic<int> revalidations{0};
};

struct DocsFixture {
  explicit DocsFixture(std::string api_origin)
      : services({{"LAVA_API_URL", std::move(api_origin)}, {"LAVA_MCP_ALLOW_LOOPBACK_FETCH", "1"}},
                 gateway::kLoginLifetime, "127.0.0.1", [this] { return now.load(); }),
        guarded(services.http),
        docs(guarded, [this] { return now.load(); }) {
    docs.timeout = 800ms;
    register_get_provider_docs(
        registry, ToolDeps{&gateway::Catalog::embedded, services.config, guarded, services.login,
                           docs, services.key_models});
  }
  ToolResult run(const Json& args, const std::string& client = "") {
    testing::NullContext context;
    context.set_client_name(client);
    ToolResult result = run_tool(*registry.find("get_provider_docs"), args, context);
    if (!result.is_error) {
      const auto violation =
          validate_against_schema(schema("get_provider_docs.output.json"), result.structured);
      CHECK_MESSAGE(!violation, violation->message);
    }
    return result;
  }
  static std::string text(const ToolResult& r) { return r.content[0]["text"]; }

  std::atomic<std::time_t> now{1800000000};
  testing::TestServices services;
  testing::LoopbackOnlyClient guarded;
  gateway::DocsFetcher docs;
  ToolRegistry registry;
};

TEST_CASE("docs: HTML becomes readable text without scripts, styles or navigation") {
  DocsSite site;
  DocsFixture f(site.site.base_url());
  const ToolResult result = f.run({{"provider", "ACME"}});
  REQUIRE_MESSAGE(!result.is_error, DocsFixture::text(result));
  const std::string text = DocsFixture::text(result);
  CHECK(text.find("# Acme API reference") != std::string::npos);
  CHECK(text.find("Fast & friendly — search the web.") != std::string::npos);
  CHECK(text.find("do not show") == std::string::npos);
  CHECK(text.find("color:red") == std::string::npos);
  CHECK(text.find("Pricing") == std::string::npos);
  CHECK(text.find("header banner") == std::string::npos);
  CHECK(text.find("Copyright") == std::string::npos);
  CHECK(text.find("| Code | Meaning |") != std::string::npos);
  CHECK(text.find("a < b") != std::string::npos);
  CHECK(text.find("  - nested item") != std::string::npos);
  const Json& out = result.structured;
  CHECK(out["provider"] == "acme");
  CHECK(out["title"] == "Acme API reference");
  CHECK(out["url"] == site.site.base_url() + "/acme.html");
  CHECK(out["source"] == "live");
  CHECK(out["fetched_at"] == "2027-01-15T08:00:00Z");
  CHECK(out["chars"] == text.size());
  CHECK(out["truncated"] == false);
}

TEST_CASE("docs: cached for 24 h, then revalidated with the ETag") {
  DocsSite site;
  DocsFixture f(site.site.base_url());
  REQUIRE(f.run({{"provider", "acme"}}).structured["source"] == "live");
  const ToolResult cached = f.run({{"provider", "acme"}});
  CHECK(cached.structured["source"] == "cache");
  CHECK(site.html_hits == 1);
  f.now += 25 * 3600;
  const ToolResult revalidated = f.run({{"provider", "acme"}});
  CHECK(revalidated.structured["source"] == "cache");
  CHECK(site.revalidations == 1);
  CHECK(revalidated.structured["fetched_at"] == "2027-01-16T09:00:00Z");
  CHECK(DocsFixture::text(revalidated) == DocsFixture::text(cached));
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(f.services.home.path() + "/cache/docs")) {
    files += entry.is_regular_file() ? 1 : 0;
    CHECK(entry.path().string().find(".tmp") == std::string::npos);
  }
  CHECK(files == 1);
}

TEST_CASE("docs: a cache entry with members of the wrong type is only a miss") {
  DocsSite site;
  DocsFixture f(site.site.base_url());
  REQUIRE(f.run({{"provider", "acme"}}).structured["source"] == "live");
  int damaged = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(f.services.home.path() + "/cache/docs")) {
    if (entry.is_regular_file()) {
      std::ofstream(entry.path(), std::ios::trunc)
          << R"({"url":5,"content_type":null,"fetched_at":"yesterday","etag":[],"body":"old"})";
      ++damaged;
    }
  }
  REQUIRE(damaged == 1);
  const ToolResult again = f.run({{"provider", "acme"}});
  REQUIRE_MESSAGE(!again.is_error, DocsFixture::text(again));
  CHECK(again.structured["source"] == "live");  // a time of 0 is stale: fetched anew
  CHECK(DocsFixture::text(again).find("# Acme API reference") != std::string::npos);
  CHECK(site.html_hits == 2);
}

TEST_CASE("docs: markdown passes through, OpenAPI is summarised, redirects are followed") {
  DocsSite site;
  DocsFixture f(site.site.base_url());
  site.docs_path = "/acme.md";
  const ToolResult md = f.run({{"provider", "acme"}});
  CHECK(DocsFixture::text(md).find("# Acme markdown") == 0);
  CHECK(DocsFixture::text(md).find("title: x") == std::string::npos);
  site.docs_path = "/hop/4";
  const ToolResult hopped = f.run({{"provider", "acme"}});
  CHECK(hopped.structured["url"] == site.site.base_url() + "/acme.md");
  site.docs_path = "/openapi.json";
  const std::string api = DocsFixture::text(f.run({{"provider", "acme"}}));
  CHECK(api.find("Acme OpenAPI") != std::string::npos);
  CHECK(api.find("GET /health") != std::string::npos);
  CHECK(api.find("POST /search") != std::string::npos);
}

TEST_CASE("docs: topic puts the relevant sections first - max_chars cuts at a boundary") {
  DocsSite site;
  DocsFixture f(site.site.base_url());
  const std::string text =
      DocsFixture::text(f.run({{"provider", "acme"}, {"topic", "rate limits"}}));
  CHECK(text.find("Rate limits") < text.find("Authentication"));
  site.docs_path = "/huge";
  const ToolResult cut = f.run({{"provider", "acme"}, {"max_chars", 1000}});
  CHECK(cut.structured["truncated"] == true);
  CHECK(DocsFixture::text(cut).size() <= 1000);
  CHECK(DocsFixture::text(cut).find("[truncated") != std::string::npos);
}

TEST_CASE(
    "docs: max_chars over the result budget is cut to the budget, on the side the host reads") {
  DocsSite site;
  DocsFixture f(site.site.base_url());
  site.docs_path = "/huge";
  const std::size_t budget = gateway::kDefaultResultBudgetTokens * kCharsPerToken;
  const ToolResult most = f.run({{"provider", "acme"}, {"max_chars", 200000}});
  CHECK(result_chars(most) <= budget);
  CHECK(most.structured["truncated"] == true);
  CHECK(most.structured["chars"].get<std::size_t>() > budget / 2);
  CHECK(most.structured["payload_in"] == "content");
  CHECK_FALSE(most.structured.contains("text"));
  CHECK(DocsFixture::text(most).find("Pass a topic") != std::string::npos);

  const ToolResult for_claude_code =
      f.run({{"provider", "acme"}, {"max_chars", 200000}}, "claude-code");
  CHECK(result_chars(for_claude_code) <= budget);
  CHECK(for_claude_code.structured["text"].get<std::string>().size() > budget / 2);
  CHECK(DocsFixture::text(for_claude_code).size() < 1000);

  const ToolResult within = f.run({{"provider", "acme"}, {"max_chars", 20000}});
  CHECK(result_chars(within) <= budget);
  CHECK(within.structured["chars"].get<std::size_t>() <= 20000);
  CHECK(within.structured["text"].get<std::string>().size() <= 20000);  // a quarter: both sides
}

TEST_CASE("docs: unreachable, slow or looping docs fall back to the embedded summary") {
  DocsSite site;
  DocsFixture f(site.site.base_url());
  site.docs_path = "/slow";
  const ToolResult slow = f.run({{"provider", "serper"}});
  REQUIRE_FALSE(slow.is_error);
  CHECK(slow.structured["source"] == "embedded");
  const std::string text = DocsFixture::text(slow);
  CHECK(text.find("offline summary") != std::string::npos);
  CHECK(text.find("Base URL") != std::string::npos);
  CHECK(text.find("\"tool\": \"call\"") != std::string::npos);
  site.docs_path = "/hop/9";
  CHECK(f.run({{"provider", "serper"}}).structured["source"] == "embedded");

  DocsFixture offline("http://127.0.0.1:" + std::to_string(testing::refused_port()));
  const ToolResult result = offline.run({{"provider", "Anthropic"}});
  CHECK(result.structured["source"] == "embedded");
  CHECK(result.structured["provider"] == "anthropic");
  CHECK(offline.guarded.refused > 0);  // it tried the real docs URLs, and nothing left the machine
}

TEST_CASE("docs: an unknown provider is isError with the closest ids") {
  DocsFixture f("http://127.0.0.1:" + std::to_string(testing::refused_port()));
  const ToolResult result = f.run({{"provider", "antropic"}});
  CHECK(result.is_error);
  CHECK(DocsFixture::text(result).find("anthropic") != std::string::npos);
  CHECK(f.run({{"provider", "x"}, {"max_chars", 10}}).is_error);  // below the schema's minimum
}

}  // namespace
}  // namespace lava_mcp::tools
