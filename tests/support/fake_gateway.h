// A fake Lava gateway on loopback: /v1/forward and /v1/rewrite for every method. It validates
// and decodes the bearer (forward token or spend key), records each request, and answers with
// a test-chosen upstream behaviour (default: echo the request as JSON).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/fake_upstream.h"

namespace lava_mcp::testing {

struct GatewayRequest {
  std::string method;
  std::string path;    // as received, e.g. "/v1/forward"
  std::string target;  // the decoded u= (forward) or the path tail (rewrite)
  std::string format;  // rewrite only
  httplib::Headers headers;
  std::string body;
  std::string bearer;              // the Authorization value without "Bearer "
  nlohmann::json token = nullptr;  // the decoded forward token, when the bearer is one
  std::string header(const std::string& name) const {  // case-insensitive, "" when absent
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class FakeGateway {
 public:
  using Upstream = std::function<void(const GatewayRequest&, httplib::Response&)>;
  FakeGateway();
  std::string origin() const { return server_.base_url(); }
  int port() const { return server_.port(); }
  void on_upstream(Upstream upstream);
  std::vector<GatewayRequest> requests() const;
  httplib::Server& routes() { return server_.routes(); }

  static nlohmann::json echo(const GatewayRequest& request);

  // Which credentials Lava accepts (each refusal is a 401 in Lava's {"error": "..."} shape):
  // spend keys everywhere (the default), spend keys only on the unified endpoint, none at all.
  enum class Credentials { kAll, kNoSpendKeyOnForward, kNone };
  void accept(Credentials credentials);
  // Lava's own answer to every accepted request from now on, before any provider: a status and
  // body (and headers) as Lava refuses a balance, a limit or a model. Status 0 clears it.
  void refuse(int status, std::string body, httplib::Headers headers = {});

 private:
  void handle(const httplib::Request& req, httplib::Response& res, bool rewrite);

  FakeUpstream server_;
  mutable std::mutex mutex_;
  std::vector<GatewayRequest> requests_;
  Upstream upstream_;
  Credentials credentials_ = Credentials::kAll;
  int refusal_status_ = 0;
  std::string refusal_body_;
  httplib::Headers refusal_headers_;
};

}  // namespace lava_mcp::testing
