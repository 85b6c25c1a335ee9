#include "translators/model_table.h"

#include <array>

namespace lava_mcp::translators::detail {
namespace {

struct Row {
  std::string_view prefix;
  ModelTraits traits;
};

// First matching prefix wins, so longer prefixes come first.
constexpr std::array kRows = {
    // Claude 4.5: native structured outputs; temperature and top_p cannot both be sent.
    Row{"claude-opus-4-5", {16384, true, true, false, false}},
    Row{"claude-sonnet-4-5", {16384, true, true, false, false}},
    Row{"claude-haiku-4-5", {16384, true, true, false, false}},
    Row{"claude-opus-4-1", {16384, false, true, false, false}},
    Row{"claude-opus-4", {16384, false, false, false, false}},
    Row{"claude-sonnet-4", {16384, false, false, false, false}},
    Row{"claude-3-7-sonnet", {16384, false, false, false, false}},
    Row{"claude-3-5-", {8192, false, false, false, false}},
    Row{"claude-3-", {4096, false, false, false, false}},
    // Gemini 2.5 and later take plain JSON Schema; Gemini 3 requires thought signatures.
    Row{"gemini-3", {kDefaultAnthropicMaxTokens, false, false, true, true}},
    Row{"gemini-2.5", {kDefaultAnthropicMaxTokens, false, false, true, false}},
    Row{"gemini-flash-latest", {kDefaultAnthropicMaxTokens, false, false, true, false}},
    Row{"gemini-flash-lite-latest", {kDefaultAnthropicMaxTokens, false, false, true, false}},
    Row{"gemini-pro-latest", {kDefaultAnthropicMaxTokens, false, false, true, false}},
};

}  // namespace

ModelTraits model_traits(std::string_view model) {
  if (model.substr(0, 7) == "models/") {
    model.remove_prefix(7);
  }
  for (const Row& row : kRows) {
    if (model.substr(0, row.prefix.size()) == row.prefix) {
      return row.traits;
    }
  }
  return {};
}

}  // namespace lava_mcp::translators::detail
