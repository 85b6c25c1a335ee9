// A test-only process serving Lava's whole surface on one loopback origin, for end-to-end runs
// and benchmarks driven from other languages: the gateway (forward, rewrite, unified chat) with
// fake Anthropic, Gemini and OpenAI behind it, the web app's /auth/connect, the auth and
// spend-key API. It prints "origin http://127.0.0.1:<port>" and serves until stdin closes.
//
// Also Lava's public catalog with one provider, "acme", whose API reference is /__docs/acme.html.
//
// Scripting: POST /__script {"provider": "anthropic"|"gemini"|"openai"|"lava",
//   "kind": "status"|"garbage"|"drop"|"slow"|"tool_call"|"cache_usage"|"whole"|"stream_cut"|
//   "stream_short"|"stream_error"|"stream_stall"|"stream_trickle", "status"?, "retry_after"?,
//   "delay_ms"?, "events"?, "text"?, "body"?, "repeat"?} makes the next request (the next
//   `repeat` requests) to that provider behave so ("status" answers with "body" when given,
//   e.g. a 200 with a large body).
// GET /__stream_times: {"event_ns": [...]}, when each event of the latest stream was written
// (steady clock: CLOCK_MONOTONIC on Linux, comparable across processes; for the benchmark).
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "support/fake_gateway.h"
#include "support/fake_lava.h"
#include "support/fake_providers.h"

using namespace lava_mcp::testing;
using Json = nlohmann::json;

int main() {
  FakeGateway gateway;
  FakeProviders providers(gateway);
  FakeLava lava(gateway.routes(), gateway.origin());
  gateway.routes().Post(
      "/__script", [&providers](const httplib::Request& req, httplib::Response& res) {
        const Json body = Json::parse(req.body, nullptr, false);
        if (!body.is_object()) {
          res.status = 400;
          return;
        }
        const std::map<std::string, Provider> names = {{"anthropic", Provider::kAnthropic},
                                                       {"gemini", Provider::kGemini},
                                                       {"openai", Provider::kOpenAI},
                                                       {"lava", Provider::kLava}};
        const std::map<std::string, Script::Kind> kinds = {
            {"status", Script::Kind::kStatus},
            {"garbage", Script::Kind::kGarbage},
            {"drop", Script::Kind::kDrop},
            {"slow", Script::Kind::kSlow},
            {"tool_call", Script::Kind::kToolCall},
            {"cache_usage", Script::Kind::kCacheUsage},
            {"whole", Script::Kind::kWhole},
            {"stream_cut", Script::Kind::kStreamCut},
            {"stream_short", Script::Kind::kStreamShort},
            {"stream_error", Script::Kind::kStreamError},
            {"stream_stall", Script::Kind::kStreamStall},
            {"stream_trickle", Script::Kind::kStreamTrickle}};
        const auto provider = names.find(body.value("provider", ""));
        const auto kind = kinds.find(body.value("kind", ""));
        if (provider == names.end() || kind == kinds.end()) {
          res.status = 400;
          return;
        }
        Script script = scripted(kind->second);
        script.status = body.value("status", 200);
        script.retry_after = body.value("retry_after", "");
        script.body = body.value("body", "");
        script.delay_ms = body.value("delay_ms", 0);
        script.events = body.value("events", 0);
        script.text = body.value("text", "");
        for (int i = body.value("repeat", 1); i > 0; --i) providers.push(provider->second, script);
        res.set_content("{}", "application/json");
      });
  gateway.routes().Get(
      "/__stream_times", [&providers](const httplib::Request&, httplib::Response& res) {
        res.set_content(Json{{"event_ns", providers.latest_stream_event_ns()}}.dump(),
                        "application/json");
      });
  gateway.routes().Get("/__seen", [&providers](const httplib::Request&, httplib::Response& res) {
    Json seen = Json::array();
    for (const auto& s : providers.seen()) {
      seen.push_back({{"target", s.target},
                      {"valid", s.validation_error.empty()},
                      {"error", s.validation_error}});
    }
    res.set_content(seen.dump(), "application/json");
  });
  // Lava's public catalog, with one provider ("acme") whose API reference is a page here.
  const std::string origin = gateway.origin();
  auto& routes = gateway.routes();
  routes.Get("/v1/services/providers",
             [origin](const httplib::Request& req, httplib::Response& res) {
               Json results = Json::array();
               if (req.get_param_value("query").find("acme") != std::string::npos) {
                 results.push_back({{"id", "acme"},
                                    {"label", "Acme Search"},
                                    {"managed", true},
                                    {"api_reference", origin + "/__docs/acme.html"},
                                    {"entry_count", 1}});
               }
               res.set_content(Json{{"results", results}}.dump(), "application/json");
             });
  routes.Get("/v1/services", [](const httplib::Request& req, httplib::Response& res) {
    Json data = Json::array();
    if (req.get_param_value("provider") == "acme") {
      data.push_back({{"id", "acme-search"},
                      {"object", "model"},
                      {"provider", "acme"},
                      {"endpoint", "https://api.acme.example/v1/search"},
                      {"method", "POST"},
                      {"example_body", {{"q", "lava"}}},
                      {"service_type", "search"}});
    }
    res.set_content(Json{{"object", "list"}, {"data", data}}.dump(), "application/json");
  });
  routes.Get(R"(/v1/services/providers/(.+))",
             [origin](const httplib::Request& req, httplib::Response& res) {
               if (req.matches[1] != "acme") {
                 res.status = 404;
                 res.set_content(R"({"error":"provider not found"})", "application/json");
                 return;
               }
               res.set_content(Json{{"id", "acme"},
                                    {"label", "Acme Search"},
                                    {"api_reference", origin + "/__docs/acme.html"}}
                                   .dump(),
                               "application/json");
             });
  routes.Get("/v1/models", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"object":"list","data":[]})", "application/json");
  });
  routes.Get("/__docs/acme.html", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("ETag", "\"acme-1\"");
    res.set_content(
        "<html><head><script>var hidden = 1;</script></head><body><nav>Menu</nav>"
        "<h1>Acme API</h1><p>Search &amp; more.</p><h2>Rate limits</h2><p>60 per minute.</p>"
        "</body></html>",
        "text/html");
  });
  std::cout << "origin " << gateway.origin() << std::endl;
  char buffer[256];
  while (::read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
  }
  return 0;
}
