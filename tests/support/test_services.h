// The services a tool needs (configuration, HTTP, login, docs), wired for a test: environment
// from a map (LAVA_MCP_HOME defaults to a fresh temporary folder), real HTTP client.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "gateway/catalog.h"
#include "gateway/curl_http_client.h"
#include "support/temp_dir.h"
#include "tools/all_tools.h"

namespace lava_mcp::testing {

using Env = std::map<std::string, std::string>;

// `base` with `overrides` applied (an empty value unsets).
inline Env merged(Env base, const Env& overrides) {
  for (const auto& [name, value] : overrides) {
    base[name] = value;
  }
  return base;
}

struct TestServices {
  explicit TestServices(
      Env values = {}, std::chrono::milliseconds login_lifetime = gateway::kLoginLifetime,
      std::string listen_host = "127.0.0.1",
      gateway::DocsFetcher::Clock clock = [] { return std::time(nullptr); })
      : env(std::move(values)),
        config(gateway::ConfigFlags{},
               [this](const std::string& name) -> std::optional<std::string> {
                 const auto it = env.find(name);
                 if (it == env.end() || it->second.empty()) {
                   return name == "LAVA_MCP_HOME" ? std::optional(home.path()) : std::nullopt;
                 }
                 return it->second;
               }),
        login(http, login_lifetime, std::move(listen_host)),
        docs(http, std::move(clock)),
        key_models(http) {}

  tools::ToolDeps deps() {
    return tools::ToolDeps{&gateway::Catalog::embedded, config, http, login, docs, key_models};
  }

  TempDir home;
  Env env;  // may be changed between calls: it is read on every lookup
  gateway::ConfigSource config;
  gateway::CurlHttpClient http;
  gateway::LoginService login;
  gateway::DocsFetcher docs;
  gateway::KeyModels key_models;
};

}  // namespace lava_mcp::testing
