#include "support/fake_gateway.h"

#include "base/base64.h"
#include "gateway/lava_api.h"

namespace lava_mcp::testing {

using Json = nlohmann::json;

FakeGateway::FakeGateway() {
  auto forward = [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res, false);
  };
  auto rewrite = [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res, true);
  };
  auto& routes = server_.routes();
  routes.Get("/v1/forward", forward).Post("/v1/forward", forward).Put("/v1/forward", forward);
  routes.Patch("/v1/forward", forward).Delete("/v1/forward", forward);
  routes.Post(R"(/v1/rewrite/.+)", rewrite);
  // Lava's unified OpenAI-format endpoint: recorded with the target "lava:/v1/chat/completions".
  routes.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
    handle(req, res, false);
  });
  // httplib has no HEAD route of its own: it answers HEAD from the GET handler.
}

void FakeGateway::on_upstream(Upstream upstream) {
  std::lock_guard lock(mutex_);
  upstream_ = std::move(upstream);
}

void FakeGateway::accept(Credentials credentials) {
  std::lock_guard lock(mutex_);
  credentials_ = credentials;
}

void FakeGateway::refuse(int status, std::string body, httplib::Headers headers) {
  std::lock_guard lock(mutex_);
  refusal_status_ = status;
  refusal_body_ = std::move(body);
  refusal_headers_ = std::move(headers);
}

std::vector<GatewayRequest> FakeGateway::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

Json FakeGateway::echo(const GatewayRequest& request) {
  Json headers = Json::object();
  for (const auto& [name, value] : request.headers) {
    headers[name] = value;
  }
  return {{"method", request.method}, {"target", request.target}, {"format", request.format},
          {"headers", headers},       {"body", request.body},     {"token", request.token}};
}

void FakeGateway::handle(const httplib::Request& req, httplib::Response& res, bool rewrite) {
  GatewayRequest request{req.method, req.path, {}, {}, req.headers, req.body, {}, nullptr};
  if (rewrite) {
    const std::string tail = req.path.substr(std::string("/v1/rewrite/").size());
    request.format = tail.substr(0, tail.find('/'));
    request.target = tail.substr(tail.find('/') + 1);
  } else if (req.path == "/v1/chat/completions") {
    request.target = "lava:/v1/chat/completions";
  } else {
    request.target = req.get_param_value("u");
  }
  const std::string authorization = req.get_header_value("Authorization");
  if (authorization.rfind("Bearer ", 0) == 0) {
    request.bearer = authorization.substr(7);
    if (auto decoded = base64_decode(request.bearer)) {
      Json token = Json::parse(*decoded, nullptr, false);
      if (!token.is_discarded() && token.is_object()) {
        request.token = token;
      }
    }
  }
  Upstream upstream;
  Credentials credentials;
  int refusal_status = 0;
  std::string refusal_body;
  httplib::Headers refusal_headers;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    upstream = upstream_;
    credentials = credentials_;
    refusal_status = refusal_status_;
    refusal_body = refusal_body_;
    refusal_headers = refusal_headers_;
  }
  const bool token_ok = request.token.is_object() && request.token.contains("secret_key") &&
                        request.token["secret_key"].is_string() &&
                        credentials != Credentials::kNone;
  const bool unified = request.target.rfind("lava:", 0) == 0;
  const bool spend_key_ok = request.bearer.rfind("lava_sk_", 0) == 0 &&
                            (credentials == Credentials::kAll ||
                             (credentials == Credentials::kNoSpendKeyOnForward && unified));
  if (!token_ok && !spend_key_ok) {
    res.status = 401;
    res.set_content(R"({"error":"invalid or missing credential"})", "application/json");
    return;
  }
  if (refusal_status != 0) {
    res.status = refusal_status;
    for (const auto& [name, value] : refusal_headers) {
      res.set_header(name, value);
    }
    res.set_content(refusal_body, "application/json");
    return;
  }
  if (!rewrite && request.target.rfind("https://", 0) != 0 &&
      request.target.rfind("lava:", 0) != 0) {
    res.status = 400;
    res.set_content(R"({"error":"u must be an https URL"})", "application/json");
    return;
  }
  if (upstream) {
    upstream(request, res);
  } else {
    res.set_content(echo(request).dump(), "application/json");
  }
}

}  // namespace lava_mcp::testing
