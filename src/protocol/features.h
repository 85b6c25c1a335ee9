// What each MCP revision lets lava-mcp write: the one table behind every version-dependent field,
// block and notification (spec/mcp.md 1 and 4, "Version gating"). Code asks for a feature by
// name, never compares version strings.
#pragma once

#include <array>
#include <string_view>

namespace lava_mcp::protocol {

struct Features {
  bool annotations = false;         // Tool.annotations (2025-03-26)
  bool audio_content = false;       // "audio" content blocks (2025-03-26)
  bool progress_message = false;    // notifications/progress "message" (2025-03-26)
  bool titles = false;              // Tool.title and serverInfo.title (2025-06-18)
  bool structured_content = false;  // structuredContent and outputSchema (2025-06-18)
  bool url_elicitation = false;     // elicitation/create in URL mode (2025-11-25)
  // The modern era (2026-07-28): stateless requests with their own `_meta`, resultType and
  // serverInfo on every result, cache hints; never a request from server to client.
  bool stateless = false;
  // MRTR: a tool that needs the client (an elicitation) answers resultType "input_required" and
  // is called again with the client's inputResponses (2026-07-28).
  bool input_requests = false;
};

// Legacy revisions begin with initialize; modern ones are stateless (spec/mcp.md 12).
enum class Era { kLegacy, kModern };

struct Revision {
  std::string_view version;
  Era era;
  Features features;
};

// Newest first within each era. The first legacy row is the baseline: an initialize asking for
// any version not listed as legacy is answered with it.
inline constexpr std::array<Revision, 5> kRevisions = {{
    {"2026-07-28",
     Era::kModern,
     {.annotations = true,
      .audio_content = true,
      .progress_message = true,
      .titles = true,
      .structured_content = true,
      .stateless = true,
      .input_requests = true}},
    {"2025-11-25",
     Era::kLegacy,
     {.annotations = true,
      .audio_content = true,
      .progress_message = true,
      .titles = true,
      .structured_content = true,
      .url_elicitation = true}},
    {"2025-06-18",
     Era::kLegacy,
     {.annotations = true,
      .audio_content = true,
      .progress_message = true,
      .titles = true,
      .structured_content = true}},
    {"2025-03-26",
     Era::kLegacy,
     {.annotations = true, .audio_content = true, .progress_message = true}},
    {"2024-11-05", Era::kLegacy, {}},
}};

inline constexpr const Revision& kBaseline = kRevisions[1];
inline constexpr std::string_view kBaselineVersion = kBaseline.version;

// The listed revision of `era` named `version`, or nullptr.
const Revision* find_revision(std::string_view version, Era era);

// The features of a listed version (either era); the baseline's for any other string.
const Features& features_for(std::string_view version);

}  // namespace lava_mcp::protocol
