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
};

struct Revision {
  std::string_view version;
  Features features;
};

// Newest first. The first is the baseline: an unknown requested version is answered with it.
inline constexpr std::array<Revision, 4> kRevisions = {{
    {"2025-11-25",
     {.annotations = true,
      .audio_content = true,
      .progress_message = true,
      .titles = true,
      .structured_content = true,
      .url_elicitation = true}},
    {"2025-06-18",
     {.annotations = true,
      .audio_content = true,
      .progress_message = true,
      .titles = true,
      .structured_content = true}},
    {"2025-03-26", {.annotations = true, .audio_content = true, .progress_message = true}},
    {"2024-11-05", {}},
}};

inline constexpr std::string_view kBaselineVersion = kRevisions[0].version;

// The listed revision named `version`, or nullptr.
const Revision* find_revision(std::string_view version);

// The features of a listed version; the baseline's for any other string.
const Features& features_for(std::string_view version);

}  // namespace lava_mcp::protocol
