// Gemini's native generateContent API.
#include <mutex>

#include "tools/prompt/format_adapter.h"

namespace lava_mcp::tools::prompt {
namespace {

constexpr std::size_t kMaxRememberedGeminiCalls = 4096;

// Gemini's tool-call facts (issued ids, thought signatures) from earlier answers, so a later
// request that replays those calls can carry them back. Bounded; shared by all calls.
class GeminiCallMemory {
 public:
  translators::GeminiCallMap snapshot() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void remember(const translators::GeminiCallMap& calls) {
    std::lock_guard lock(mutex_);
    if (calls_.size() + calls.size() > kMaxRememberedGeminiCalls) {
      calls_.clear();  // crude but bounded: old conversations lose their signatures
    }
    calls_.insert(calls.begin(), calls.end());
  }

 private:
  mutable std::mutex mutex_;
  translators::GeminiCallMap calls_;
};

class GeminiAdapter final : public FormatAdapter {
 public:
  translators::Format format() const override { return translators::Format::kGemini; }

  translators::RequestResult build_request(const Json& args, const std::string& model,
                                           CallResources& resources) override {
    return translators::to_gemini(args, model, resources.inline_images(), calls_.snapshot());
  }

  // Gemini streams at its own method; without alt=sse it sends one JSON array, not events.
  void ask_for_stream(Json& /*body*/, std::string& target) const override {
    const std::string method = ":generateContent";
    const std::size_t at = target.find(method);
    if (at != std::string::npos) {
      target.replace(at, method.size(), ":streamGenerateContent");
    }
    target += target.find('?') == std::string::npos ? "?alt=sse" : "&alt=sse";
  }

  std::unique_ptr<translators::StreamDecoder> stream_decoder() const override {
    return translators::make_gemini_stream_decoder();
  }

  Expected<Json> read_response(Json body, const Json& /*args*/, const std::string& model,
                               long long created) override {
    translators::GeminiCallMap calls;
    auto completion = translators::from_gemini(body, model, created, &calls);
    calls_.remember(calls);
    return completion;
  }

 private:
  GeminiCallMemory calls_;
};

}  // namespace

std::unique_ptr<FormatAdapter> make_gemini_adapter() { return std::make_unique<GeminiAdapter>(); }

}  // namespace lava_mcp::tools::prompt
