#include <stdexcept>

#include "base/base64.h"
#include "base/text_basics.h"
#include "gateway/lava_api.h"
#include "tools/prompt/format_adapter.h"

namespace lava_mcp::tools::prompt {
namespace {

constexpr std::size_t kMaxImageBytes = 10u << 20;

}  // namespace

const translators::ImageMap& CallResources::inline_images() {
  if (images_) {
    return *images_;
  }
  // Image URLs come from the conversation: every hop is held to the untrusted policy (https to
  // public addresses unless configured).
  images_.emplace();
  for (const std::string& url : translators::image_urls_to_inline(args_)) {
    gateway::HttpRequest get;
    get.peer_policy = untrusted_policy_;
    get.url = url;
    get.timeout = std::chrono::seconds(10);
    get.max_response_bytes = kMaxImageBytes;
    get.max_redirects = 3;
    auto response = http_.send(get, stop_);
    const std::string type = response ? ascii_lower(response->header("content-type")) : "";
    if (response && response->status == 200 && !response->truncated &&
        type.rfind("image/", 0) == 0) {
      (*images_)[url] =
          translators::InlineImage{type.substr(0, type.find(';')), base64_encode(response->body)};
    }
  }
  return *images_;
}

void FormatAdapter::add_headers(gateway::Headers& /*headers*/) const {}

FormatAdapters::FormatAdapters() {
  // The registration list: one line per format.
  adapters_.push_back(make_openai_adapter());
  adapters_.push_back(make_anthropic_adapter());
  adapters_.push_back(make_gemini_adapter());
}

FormatAdapter& FormatAdapters::for_format(translators::Format format) const {
  for (const auto& adapter : adapters_) {
    if (adapter->format() == format) {
      return *adapter;
    }
  }
  throw std::logic_error("no prompt adapter for format " +
                         std::string(translators::format_name(format)));
}

}  // namespace lava_mcp::tools::prompt
