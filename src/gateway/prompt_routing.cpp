#include "gateway/prompt_routing.h"

namespace lava_mcp::gateway {
namespace {

using translators::Format;

std::string path_of(const std::string& url) {
  const auto slash = url.find('/');
  const std::string path = slash == std::string::npos ? "/" : url.substr(slash);
  return path.substr(0, path.find('?'));
}

Attempt make_attempt(int number, const std::string& url, const std::string& model) {
  Attempt attempt;
  attempt.number = number;
  attempt.model = model;
  attempt.url = scheme_less(url);
  attempt.format = format_for_url(attempt.url);
  if (attempt.format == Format::kGemini) {
    attempt.url = complete_gemini_url(attempt.url, model);
  }
  attempt.target = "https://" + attempt.url;
  return attempt;
}

}  // namespace

std::string scheme_less(const std::string& url) {
  const auto begin = url.find_first_not_of(" \t");
  const auto end = url.find_last_not_of(" \t");
  std::string out = begin == std::string::npos ? "" : url.substr(begin, end - begin + 1);
  for (const std::string scheme : {"https://", "http://"}) {
    if (out.compare(0, scheme.size(), scheme) == 0) {
      out.erase(0, scheme.size());
    }
  }
  return out;
}

Format format_for_url(const std::string& url) {
  const std::string host = url.substr(0, url.find('/'));
  const std::string path = path_of(url);
  if (host == "api.anthropic.com" || path.ends_with("/v1/messages")) {
    return Format::kAnthropic;
  }
  if (host == "generativelanguage.googleapis.com" && path.find("/openai/") == std::string::npos &&
      !path.ends_with("/openai")) {
    return Format::kGemini;
  }
  return Format::kOpenAI;
}

std::string complete_gemini_url(const std::string& url, const std::string& model) {
  if (url.find(":generateContent") != std::string::npos) {
    return url;
  }
  std::string base = url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  if (base.find('/') == std::string::npos) {
    base += "/v1beta";  // a bare host: the version Lava's SDK uses
  }
  if (base.ends_with("/models")) {
    return base + "/" + model + ":generateContent";
  }
  return base + "/models/" + model + ":generateContent";
}

std::vector<Attempt> plan_attempts(const nlohmann::json& arguments, const Catalog& catalog,
                                   const std::string& api_origin) {
  std::vector<Attempt> attempts;
  const std::string model = arguments.value("model", "");
  const std::string url = arguments.value("url", "");
  if (!url.empty()) {
    attempts.push_back(make_attempt(1, url, model));
  } else if (const Provider* provider =
                 // Hub-style ids ("deepseek-ai/DeepSeek-V3") belong to hosts, not to the prefix
                 // owner.
             model.find('/') == std::string::npos ? catalog.route_model(model) : nullptr;
             provider != nullptr && !provider->chat_url.empty()) {
    attempts.push_back(make_attempt(1, provider->chat_url, model));
  } else {
    Attempt unified;
    unified.model = model;
    unified.unified = true;
    unified.url = scheme_less(api_origin) + "/v1/chat/completions";
    attempts.push_back(unified);
  }
  if (const auto fallbacks = arguments.find("fallbacks"); fallbacks != arguments.end()) {
    for (const auto& fallback : *fallbacks) {
      attempts.push_back(make_attempt(static_cast<int>(attempts.size()) + 1,
                                      fallback.value("url", ""), fallback.value("model", "")));
    }
  }
  return attempts;
}

bool moves_on(const AttemptOutcome& outcome) {
  using Kind = AttemptOutcome::Kind;
  switch (outcome.kind) {
    case Kind::kServed:
    case Kind::kInvalidRequest:
    case Kind::kCancelled:
      return false;
    case Kind::kInexpressible:
    case Kind::kNetworkFailure:
    case Kind::kUnreadableAnswer:
      return true;
    case Kind::kRefused:
      if (outcome.lava_refused) {
        return outcome.lava_refusal_per_model;
      }
      // Another target (and its own model) may serve it; any other status is the request's
      // fault and would be on every provider.
      return outcome.status == 429 || outcome.status >= 500 || outcome.model_not_served;
  }
  return false;
}

}  // namespace lava_mcp::gateway
