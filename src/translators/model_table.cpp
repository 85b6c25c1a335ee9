#include "translators/model_table.h"

#include <cctype>
#include <optional>
#include <string>

namespace lava_mcp::translators::detail {
namespace {

// Sources, read 2026-12 (translation.md 13):
// - Anthropic: adaptive thinking
// https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking
//   and Bedrock's list of which Claude models support or require it
//   https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-adaptive-thinking.html
//   (Opus 4.6 / Sonnet 4.6: adaptive, enabled deprecated; Opus 4.7, Mythos and Fable: adaptive
//   only, enabled and disabled refused with 400; older models: enabled + budget_tokens only);
//   extended thinking https://platform.claude.com/docs/en/build-with-claude/extended-thinking
//   (budget_tokens >= 1024 and below max_tokens; manual mode refused on 4.7 and later);
//   effort https://platform.claude.com/docs/en/build-with-claude/effort (max from 4.6, xhigh
//   from Opus 4.7); Opus 4.7 migration notes (temperature, top_p, top_k refused; thinking text
//   omitted unless display "summarized"), as summarised by OpenRouter
//   https://openrouter.ai/docs/guides/guides/model-migrations/claude-4-6 and its 4.7 page;
//   structured outputs https://platform.claude.com/docs/en/build-with-claude/structured-outputs
//   (Sonnet, Opus and Haiku 4.5 and later).
// - Gemini: https://ai.google.dev/gemini-api/docs/thinking (thinkingLevel on Gemini 3 and later,
//   thinkingBudget on 2.5, never both: 400; 3 Pro low/high, 3.1 Pro low/medium/high, Flash
//   models minimal/low/medium/high; 2.5 budgets Pro 128-32768, Flash 0-24576, Flash-Lite 0 or
//   512-24576); thought signatures https://ai.google.dev/gemini-api/docs/thought-signatures .
// - OpenAI: https://platform.openai.com/docs/guides/reasoning (o-series and gpt-5 and later
//   refuse max_tokens and non-default sampling; gpt-5.1 and later take sampling with
//   reasoning_effort "none"; gpt-5-chat is not a reasoning model).

// "models/x", "anthropic/x", "anthropic.x", "x@20251101" (Vertex), "x-v1:0" (Bedrock) -> "x".
std::string bare_id(std::string_view model) {
  for (std::string_view prefix : {"models/", "anthropic/", "anthropic.", "google/", "openai/"}) {
    if (model.substr(0, prefix.size()) == prefix) {
      model.remove_prefix(prefix.size());
    }
  }
  std::string id(model.substr(0, model.find_first_of("@:")));
  for (char& c : id) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return id;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Digits at the front of `text` (at most `max_digits`), consumed; nullopt when there are none
// or more than `max_digits` (a date suffix such as 20250514 is not a version).
std::optional<int> take_number(std::string_view& text, std::size_t max_digits) {
  std::size_t n = 0;
  while (n < text.size() && std::isdigit(static_cast<unsigned char>(text[n])) != 0) {
    ++n;
  }
  if (n == 0 || n > max_digits) {
    return std::nullopt;
  }
  const int value = std::stoi(std::string(text.substr(0, n)));
  text.remove_prefix(n);
  return value;
}

// "4-6..." -> 406, "4-20250514" -> 400, "3-7-sonnet" -> 307 (the rest stays in `text`).
std::optional<int> take_claude_version(std::string_view& text) {
  const auto major = take_number(text, 2);
  if (!major) {
    return std::nullopt;
  }
  int minor = 0;
  if (starts_with(text, "-")) {
    std::string_view rest = text.substr(1);
    if (const auto parsed = take_number(rest, 2)) {
      minor = *parsed;
      text = rest;
    }
  }
  return *major * 100 + minor;
}

struct ClaudeId {
  std::string family;  // opus, sonnet, haiku, fable, mythos, ...
  int version = 0;     // major * 100 + minor; 0 when the id names none (a preview)
};

// claude-<family>-<major>[-<minor>][-<date>] and the older claude-<major>[-<minor>]-<family>.
std::optional<ClaudeId> parse_claude(const std::string& id) {
  if (!starts_with(id, "claude-")) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(id).substr(7);
  ClaudeId out;
  if (const auto version = take_claude_version(rest)) {  // the older form
    out.version = *version;
    if (!starts_with(rest, "-")) {
      return std::nullopt;
    }
    rest.remove_prefix(1);
    out.family = std::string(rest.substr(0, rest.find('-')));
    return out;
  }
  out.family = std::string(rest.substr(0, rest.find('-')));
  rest.remove_prefix(out.family.size());
  if (starts_with(rest, "-")) {
    rest.remove_prefix(1);
    out.version = take_claude_version(rest).value_or(0);
  }
  const bool named_newest = out.family == "fable" || out.family == "mythos";
  if (out.version == 0 && !named_newest) {
    return std::nullopt;  // "claude-x": nothing to go by, the defaults apply
  }
  return out;
}

void claude_adaptive(ModelTraits& traits, ClaudeThinking thinking) {
  traits.claude_thinking = thinking;
  traits.effort = true;
  traits.effort_max = true;
  traits.prefill_refused = true;
  traits.max_tokens_ceiling = 128000;
}

ModelTraits claude_traits(const ClaudeId& claude) {
  ModelTraits traits;
  const int v = claude.version;
  const bool opus = claude.family == "opus";
  if (v != 0 && v < 307) {
    traits.max_tokens_default = v >= 305 ? 8192 : 4096;
    return traits;
  }
  traits.max_tokens_default = 16384;
  traits.claude_thinking = ClaudeThinking::kManual;
  traits.max_tokens_ceiling = opus && v < 405 ? 32000 : 64000;
  traits.one_sampling_knob = v >= 401 && (opus || v >= 405);
  traits.structured_outputs = v >= 405;
  traits.effort = opus && v == 405;  // Opus 4.5 takes effort beside a budget
  const bool always_on =
      v == 0 || v >= 505 || claude.family == "fable" || claude.family == "mythos";
  if (always_on) {
    claude_adaptive(traits, ClaudeThinking::kAlwaysOn);
    traits.structured_outputs = true;
    traits.sampling_refused = true;
    traits.effort_xhigh = true;
    traits.display_omitted = true;
  } else if (opus && v >= 407) {
    claude_adaptive(traits, ClaudeThinking::kAdaptiveOnly);
    traits.sampling_refused = true;
    traits.effort_xhigh = true;
    traits.display_omitted = true;
  } else if (claude.family == "sonnet" && v >= 500) {
    claude_adaptive(traits, ClaudeThinking::kAdaptive);
    traits.sampling_refused = true;
  } else if ((opus || claude.family == "sonnet") && v >= 406) {
    claude_adaptive(traits, ClaudeThinking::kAdaptive);
  }
  // Haiku newer than 4.5 keeps Haiku 4.5's behaviour, the newest the table knows.
  return traits;
}

struct GeminiId {
  int version = 0;      // major * 10 + minor (2.5 -> 25, 3 -> 30, 3.1 -> 31); 0 for an alias
  std::string variant;  // pro, flash, flash-lite, or what followed the version
};

// gemini-<major>[.<minor>]-<variant>... and the gemini-<variant>-latest aliases.
std::optional<GeminiId> parse_gemini(const std::string& id) {
  if (!starts_with(id, "gemini-")) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(id).substr(7);
  GeminiId out;
  if (const auto major = take_number(rest, 2)) {
    out.version = *major * 10;
    if (starts_with(rest, ".")) {
      rest.remove_prefix(1);
      out.version += take_number(rest, 1).value_or(0);
    }
    if (!starts_with(rest, "-")) {
      return std::nullopt;
    }
    rest.remove_prefix(1);
  } else if (rest.find("-latest") == std::string_view::npos) {
    return std::nullopt;
  }
  out.variant = starts_with(rest, "flash-lite") ? "flash-lite"
                : starts_with(rest, "flash")    ? "flash"
                : starts_with(rest, "pro")      ? "pro"
                                                : std::string(rest);
  return out;
}

ModelTraits gemini_traits(const GeminiId& gemini) {
  ModelTraits traits;
  const bool alias = gemini.version == 0;
  if (!alias && gemini.version < 25) {
    return traits;
  }
  traits.json_schema_fields = true;
  const bool pro = gemini.variant == "pro";
  if (alias || gemini.version == 25) {
    // An alias may point at 2.5 or 3: thinkingBudget is the field both accept (Gemini 3 keeps
    // it for compatibility), within the range every candidate model takes.
    traits.gemini_thinking = GeminiThinking::kBudget;
    traits.budget_min = pro ? 128 : gemini.variant == "flash-lite" && !alias ? 512 : 1;
    traits.budget_max = pro ? 32768 : 24576;
    traits.budget_can_disable = !pro && !alias;
    return traits;
  }
  traits.thought_signatures = true;
  traits.gemini_thinking = GeminiThinking::kLevel;
  if (gemini.variant == "flash" || gemini.variant == "flash-lite") {
    traits.gemini_levels = kLevelMinimal | kLevelLow | kLevelMedium | kLevelHigh;
  } else if (pro && gemini.version >= 31) {
    traits.gemini_levels = kLevelLow | kLevelMedium | kLevelHigh;
  } else {
    traits.gemini_levels = kLevelLow | kLevelHigh;  // Gemini 3 Pro, and variants not known
  }
  return traits;
}

// o1, o3-mini, o4-mini, ... and gpt-5, gpt-5.1, gpt-6 ...: the reasoning models (trap 37).
ModelTraits openai_traits(const std::string& id) {
  ModelTraits traits;
  std::string_view rest = id;
  if (starts_with(rest, "o") && rest.size() > 1 &&
      std::isdigit(static_cast<unsigned char>(rest[1])) != 0) {
    traits.openai_reasoning = true;
    return traits;
  }
  if (!starts_with(rest, "gpt-")) {
    return traits;
  }
  rest.remove_prefix(4);
  const auto major = take_number(rest, 2);
  if (!major || *major < 5 || (*major == 5 && starts_with(rest, "-chat"))) {
    return traits;
  }
  int minor = 0;
  if (starts_with(rest, ".")) {
    rest.remove_prefix(1);
    minor = take_number(rest, 2).value_or(0);
  }
  traits.openai_reasoning = true;
  traits.sampling_with_effort_none = *major > 5 || minor >= 1;
  return traits;
}

}  // namespace

ModelTraits model_traits(std::string_view model) {
  const std::string id = bare_id(model);
  if (const auto claude = parse_claude(id)) {
    return claude_traits(*claude);
  }
  if (const auto gemini = parse_gemini(id)) {
    return gemini_traits(*gemini);
  }
  return openai_traits(id);
}

}  // namespace lava_mcp::translators::detail
