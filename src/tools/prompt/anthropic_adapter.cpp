// Anthropic's Messages API (POST /v1/messages).
#include "tools/prompt/format_adapter.h"

namespace lava_mcp::tools::prompt {
namespace {

class AnthropicAdapter final : public FormatAdapter {
 public:
  translators::Format format() const override { return translators::Format::kAnthropic; }

  translators::RequestResult build_request(const Json& args, const std::string& model,
                                           CallResources& /*resources*/) override {
    return translators::to_anthropic(args, model);
  }

  void add_headers(gateway::Headers& headers) const override {
    headers.emplace_back("anthropic-version", "2023-06-01");
  }

  void ask_for_stream(Json& body, std::string& /*target*/) const override { body["stream"] = true; }

  std::unique_ptr<translators::StreamDecoder> stream_decoder() const override {
    return translators::make_anthropic_stream_decoder();
  }

  Expected<Json> read_response(Json body, const Json& args, const std::string& model,
                               long long created) override {
    return translators::from_anthropic(body, args, created, model);
  }
};

}  // namespace

std::unique_ptr<FormatAdapter> make_anthropic_adapter() {
  return std::make_unique<AnthropicAdapter>();
}

}  // namespace lava_mcp::tools::prompt
