// The call tool's request: its arguments (valid against schemas/call.input.json) made into the
// request to Lava's forward or rewrite endpoint. Every string that reaches the request line or a
// header is checked first (gateway/http_fields.h), and a refusal is an input error that names
// the field and what is wrong; the built request always passes gateway::validate.
#pragma once

#include <string>
#include <vector>

#include "base/expected.h"
#include "base/json.h"
#include "gateway/config.h"
#include "gateway/credential_route.h"
#include "gateway/http_client.h"

namespace lava_mcp::tools {

struct CallRequest {
  gateway::HttpRequest request;
  std::string target;  // the provider URL, query included, its path in normal form
  std::vector<std::string> dropped_headers;
  gateway::Credential credential = gateway::Credential::kForwardToken;  // the bearer's kind
};

Expected<CallRequest> build_call_request(const Json& args, const gateway::Config& config);

}  // namespace lava_mcp::tools
