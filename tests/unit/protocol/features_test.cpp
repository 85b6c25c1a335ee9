#include "protocol/features.h"

#include <doctest/doctest.h>

namespace lava_mcp::protocol {
namespace {

// The gating rules of spec/mcp.md 4, one row per listed revision, written out independently of
// the table they check.
TEST_CASE("protocol features: each revision has exactly what spec/mcp.md gives it") {
  const Features& newest = features_for("2025-11-25");
  CHECK(newest.annotations);
  CHECK(newest.audio_content);
  CHECK(newest.progress_message);
  CHECK(newest.titles);
  CHECK(newest.structured_content);
  CHECK(newest.url_elicitation);

  const Features& june = features_for("2025-06-18");
  CHECK(june.titles);
  CHECK(june.structured_content);
  CHECK(june.annotations);
  CHECK_FALSE(june.url_elicitation);

  const Features& march = features_for("2025-03-26");
  CHECK(march.annotations);
  CHECK(march.audio_content);
  CHECK(march.progress_message);
  CHECK_FALSE(march.titles);
  CHECK_FALSE(march.structured_content);
  CHECK_FALSE(march.url_elicitation);

  const Features& first = features_for("2024-11-05");
  CHECK_FALSE(first.annotations);
  CHECK_FALSE(first.audio_content);
  CHECK_FALSE(first.progress_message);
  CHECK_FALSE(first.titles);
  CHECK_FALSE(first.structured_content);
  CHECK_FALSE(first.url_elicitation);
}

TEST_CASE("protocol features: the modern revision is stateless and asks the client nothing") {
  const Features& modern = features_for("2026-07-28");
  CHECK(modern.stateless);
  CHECK(modern.titles);
  CHECK(modern.structured_content);
  CHECK(modern.annotations);
  CHECK_FALSE(modern.url_elicitation);  // no server-to-client request in the modern era
  CHECK(modern.input_requests);         // MRTR instead
  for (const char* legacy : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    CHECK_FALSE(features_for(legacy).stateless);
    CHECK_FALSE(features_for(legacy).input_requests);
  }
}

TEST_CASE("protocol features: each era is listed newest first, unknown versions get the baseline") {
  CHECK(kBaselineVersion == "2025-11-25");
  for (std::size_t i = 1; i < kRevisions.size(); ++i) {
    CHECK(kRevisions[i - 1].version > kRevisions[i].version);
  }
  for (const char* unknown : {"2099-01-01", "2025-11-24", "", "garbage"}) {
    CHECK(find_revision(unknown, Era::kLegacy) == nullptr);
    CHECK(find_revision(unknown, Era::kModern) == nullptr);
    CHECK(&features_for(unknown) == &kBaseline.features);
  }
  REQUIRE(find_revision("2025-03-26", Era::kLegacy) != nullptr);
  CHECK(find_revision("2025-03-26", Era::kLegacy)->version == "2025-03-26");
  CHECK(find_revision("2025-03-26", Era::kModern) == nullptr);
  CHECK(find_revision("2026-07-28", Era::kLegacy) == nullptr);
  REQUIRE(find_revision("2026-07-28", Era::kModern) != nullptr);
}

}  // namespace
}  // namespace lava_mcp::protocol
