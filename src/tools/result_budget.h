// The size of a tool result (tools.md section 4): every result, content blocks and
// structuredContent together, stays within a budget (Claude Code's default cap of 25,000
// tokens, counted as 4 characters a token), and a result's one large piece (a body, a document,
// an answer) is carried once, on the side of the result the host gives its model (README,
// "Result size"). One helper for every tool, so the rule is the same everywhere.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "gateway/config.h"
#include "tools/tool.h"

namespace lava_mcp::tools {

inline constexpr std::size_t kCharsPerToken = 4;

// Which side of a result the host hands its model.
enum class PayloadSide { kText, kStructured };

struct ResultBudget {
  std::size_t chars = gateway::kDefaultResultBudgetTokens * kCharsPerToken;
  PayloadSide side = PayloadSide::kText;
};

// The budget of `tokens` for the host behind `context`: Claude Code (clientInfo "claude-code")
// gives its model structuredContent alone when a result has one; every other host, and every
// client before protocol 2025-06-18, reads the text blocks.
ResultBudget result_budget(const RequestContext& context, std::size_t tokens);

// The serialised size of a result as a host receives it: content and structuredContent.
std::size_t result_chars(const ToolResult& result);

// A result's one large piece.
struct Payload {
  std::string text;      // as a model reads it in a text block
  nlohmann::json value;  // as structuredContent carries it when whole; null: `text`
  std::string key;       // JSON pointer to where structuredContent carries it; empty: text only
  std::string cut_key;   // JSON pointer for the cut text when `value` cannot stay whole
  std::string what;      // what it is, for the notes: "the body", "the documentation"
  std::string how_to_get_more;  // said when it is cut: "raise max_response_bytes", ...
  bool readable = true;  // false for base64: no use in a text block, so structuredContent only
};

// Adds `payload` to `result`, whose first content block is the text before the payload and
// whose structuredContent (an object, or null) holds everything else. A payload small enough to
// be carried twice within the budget goes to both sides; a larger one goes to `budget.side`
// only, the other side saying where it is (structuredContent gets "payload_in": "content"), and
// it is cut, at a UTF-8 boundary, so the whole result fits; the cut is said in the text, with
// `how_to_get_more`.
struct Placed {
  bool cut = false;
  std::size_t kept = 0;  // bytes of the payload's text carried
};
Placed place_payload(ToolResult& result, Payload payload, const ResultBudget& budget);

}  // namespace lava_mcp::tools
