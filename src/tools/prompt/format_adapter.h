// One adapter per provider format for the prompt tool: each knows how to build its request from
// the OpenAI-format arguments and how to read its answer back into an OpenAI chat.completion.
// Adding a format: one new <format>_adapter.cpp and one line in format_adapters.cpp.
#pragma once

#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/expected.h"
#include "base/json.h"
#include "gateway/http_client.h"
#include "translators/stream_decoder.h"
#include "translators/translators.h"

namespace lava_mcp::tools::prompt {

// What the attempts of one call share, fetched at most once, whichever format asks first.
class CallResources {
 public:
  CallResources(const Json& args, gateway::HttpClient& http, gateway::PeerPolicy untrusted_policy,
                std::stop_token stop)
      : args_(args), http_(http), untrusted_policy_(untrusted_policy), stop_(std::move(stop)) {}

  // The conversation's https images, downloaded for a format that must carry them inline. An
  // image that cannot be fetched is left out (that target then leaves it as a URL or refuses).
  const translators::ImageMap& inline_images();

 private:
  const Json& args_;
  gateway::HttpClient& http_;
  gateway::PeerPolicy untrusted_policy_;
  std::stop_token stop_;
  std::optional<translators::ImageMap> images_;
};

class FormatAdapter {
 public:
  virtual ~FormatAdapter() = default;
  virtual translators::Format format() const = 0;

  // The provider's request body for `model`, or why this target cannot express the request.
  virtual translators::RequestResult build_request(const Json& args, const std::string& model,
                                                   CallResources& resources) = 0;
  // Headers the format needs beyond the content type and the bearer.
  virtual void add_headers(gateway::Headers& headers) const;
  // Turns a built request into its streaming form (translation.md 10): the body's stream flags
  // and, where the format streams at another endpoint (Gemini), the https URL forwarded to.
  virtual void ask_for_stream(Json& body, std::string& target) const = 0;
  // A fresh decoder for one attempt's stream of this format.
  virtual std::unique_ptr<translators::StreamDecoder> stream_decoder() const = 0;
  // The chat.completion from the provider's whole 2xx body (sent whole, or rebuilt from its
  // stream by the decoder).
  virtual Expected<Json> read_response(Json body, const Json& args, const std::string& model,
                                       long long created) = 0;
};

std::unique_ptr<FormatAdapter> make_openai_adapter();
std::unique_ptr<FormatAdapter> make_anthropic_adapter();
std::unique_ptr<FormatAdapter> make_gemini_adapter();

// The adapters of one server, one per format; shared by all its prompt calls (an adapter may
// keep bounded state across calls, as Gemini's tool-call memory).
class FormatAdapters {
 public:
  FormatAdapters();
  FormatAdapter& for_format(translators::Format format) const;

 private:
  std::vector<std::unique_ptr<FormatAdapter>> adapters_;
};

}  // namespace lava_mcp::tools::prompt
