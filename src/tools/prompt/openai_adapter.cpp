// OpenAI chat completions and every OpenAI-compatible endpoint, Lava's unified one included.
#include "tools/prompt/format_adapter.h"

namespace lava_mcp::tools::prompt {
namespace {

class OpenAIAdapter final : public FormatAdapter {
 public:
  translators::Format format() const override { return translators::Format::kOpenAI; }

  translators::RequestResult build_request(const Json& args, const std::string& model,
                                           CallResources& /*resources*/) override {
    return translators::to_openai(args, model);
  }

  // Usage comes only when asked for, in one more chunk before [DONE].
  void ask_for_stream(Json& body, std::string& /*target*/) const override {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }

  std::unique_ptr<translators::StreamDecoder> stream_decoder() const override {
    return translators::make_openai_stream_decoder();
  }

  Expected<Json> read_response(Json body, const Json& /*args*/, const std::string& model,
                               long long created) override {
    return translators::from_openai(std::move(body), created, model);
  }
};

}  // namespace

std::unique_ptr<FormatAdapter> make_openai_adapter() { return std::make_unique<OpenAIAdapter>(); }

}  // namespace lava_mcp::tools::prompt
