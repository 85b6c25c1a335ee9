#include "secrets.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace lava_mcp::secrets {
namespace {

constexpr std::size_t kMinSecretLength = 8;
constexpr std::array<std::string_view, 4> kKeyPrefixes = {"aks_live_", "aks_test_", "lava_sk_",
                                                          "lava_wk_"};
constexpr std::string_view kBearer = "Bearer ";

std::shared_mutex g_mutex;
std::vector<std::string>& registry() {
  static std::vector<std::string> values;
  return values;
}
std::vector<std::string>& prefix_registry() {
  static std::vector<std::string> prefixes;
  return prefixes;
}

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '+' || c == '/' || c == '=';
}

// Replaces each occurrence of `needle` in `text` by `replacement`.
void replace_all(std::string& text, std::string_view needle, const std::string& replacement) {
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + replacement.size())) {
    text.replace(at, needle.size(), replacement);
  }
}

// Hides tokens that start with `prefix`, whatever their value; those with fewer than `min_tail`
// token characters after the prefix stay.
void redact_prefixed(std::string& text, std::string_view prefix, bool keep_prefix,
                     std::size_t min_tail = 4) {
  for (std::size_t at = text.find(prefix); at != std::string::npos;
       at = text.find(prefix, at + 1)) {
    std::size_t end = at + prefix.size();
    while (end < text.size() && is_token_char(text[end])) {
      ++end;
    }
    if (end - at - prefix.size() < min_tail) {
      continue;  // "Bearer x" in prose, or a bare prefix: nothing secret to hide
    }
    const std::string token = text.substr(at + (keep_prefix ? prefix.size() : 0),
                                          end - at - (keep_prefix ? prefix.size() : 0));
    const std::string shown = (keep_prefix ? std::string(prefix) : std::string()) + hint(token);
    text.replace(at, end - at, shown);
  }
}

// True when `text` may hold a Lava-shaped key: some '_' ends "aks_" or "lava_", as in every
// prefix of kKeyPrefixes. One pass for '_' instead of a search per prefix, on every line that
// leaves the process; most hold no key.
bool may_hold_lava_key(std::string_view text) {
  for (std::size_t at = text.find('_'); at != std::string_view::npos; at = text.find('_', at + 1)) {
    if ((at >= 3 && text.substr(at - 3, 3) == "aks") ||
        (at >= 4 && text.substr(at - 4, 4) == "lava")) {
      return true;
    }
  }
  return false;
}

// Adds `value` to `values` once, longest first so that one containing another goes whole.
void remember(std::vector<std::string>& values, std::string_view value) {
  if (value.size() < kMinSecretLength) {
    return;
  }
  std::unique_lock lock(g_mutex);
  if (std::find(values.begin(), values.end(), value) == values.end()) {
    values.emplace_back(value);
    std::sort(values.begin(), values.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }
}

}  // namespace

void register_secret(std::string_view value) { remember(registry(), value); }

void register_secret_prefix(std::string_view prefix) { remember(prefix_registry(), prefix); }

std::string redact(std::string_view text) {
  std::string out(text);
  {
    std::shared_lock lock(g_mutex);
    // Families first, so a whole token goes rather than the part a registered secret matches.
    for (const auto& prefix : prefix_registry()) {
      redact_prefixed(out, prefix, false, 0);
    }
    for (const auto& value : registry()) {
      if (out.find(value) != std::string::npos) {
        replace_all(out, value, hint(value));
      }
    }
  }
  if (may_hold_lava_key(out)) {
    for (std::string_view prefix : kKeyPrefixes) {
      redact_prefixed(out, prefix, false);
    }
  }
  redact_prefixed(out, kBearer, true);
  return out;
}

std::string hint(std::string_view key) {
  const std::string last4(key.substr(key.size() >= 4 ? key.size() - 4 : 0));
  if (key.size() < 12) {
    return "…" + last4.substr(last4.size() > 2 ? last4.size() - 2 : 0);
  }
  for (std::string_view prefix : kKeyPrefixes) {
    if (key.substr(0, prefix.size()) == prefix) {
      return std::string(prefix) + "…" + last4;
    }
  }
  return "…" + last4;
}

}  // namespace lava_mcp::secrets
