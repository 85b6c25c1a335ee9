// Golden cases for the docs text layer: tests/golden/docs/<case>.html|.md|.json in, and
// <case>.expected.txt out. UPDATE_GOLDENS=1 rewrites the expected files for review in the diff.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "docs/docs.h"

namespace lava_mcp::docs {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(LAVA_MCP_GOLDEN_DIR) / "docs";

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

bool updating() {
  const char* update = std::getenv("UPDATE_GOLDENS");
  return update != nullptr && std::string(update) == "1";
}

std::string render(const fs::path& input) {
  const std::string body = read_file(input);
  const std::string ext = input.extension().string();
  if (ext == ".html") {
    return html_to_text(body);
  }
  if (ext == ".md") {
    return markdown_passthrough(body);
  }
  auto summary = openapi_summary(body);
  return summary ? *summary : "error: " + summary.error().message;
}

// "line N: expected ... / actual ..." for the first line that differs.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected);
  std::istringstream a(actual);
  std::string el;
  std::string al;
  for (int line = 1;; ++line) {
    const bool more_e = static_cast<bool>(std::getline(e, el));
    const bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) {
      return "no line differs (trailing bytes?)";
    }
    if (!more_e || !more_a || el != al) {
      return "line " + std::to_string(line) + ":\n  expected: " + (more_e ? el : "<end>") +
             "\n  actual:   " + (more_a ? al : "<end>");
    }
  }
}

std::vector<fs::path> golden_inputs() {
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(kGoldenDir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".html" || ext == ".md" || ext == ".json")) {
      inputs.push_back(entry.path());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

TEST_CASE("docs golden: each input renders to its expected text") {
  const std::vector<fs::path> inputs = golden_inputs();
  REQUIRE(inputs.size() >= 3);
  for (const fs::path& input : inputs) {
    fs::path expected_path = input;
    expected_path.replace_extension(".expected.txt");
    const std::string actual = render(input) + "\n";
    if (updating()) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    INFO("case " << input.filename().string());
    REQUIRE_MESSAGE(fs::exists(expected_path),
                    "missing " << expected_path.string() << " (run with UPDATE_GOLDENS=1)");
    const std::string expected = read_file(expected_path);
    CHECK_MESSAGE(actual == expected, first_difference(expected, actual));
  }
}

TEST_CASE("docs golden: rendering is deterministic and idempotent for markdown") {
  for (const fs::path& input : golden_inputs()) {
    INFO("case " << input.filename().string());
    const std::string once = render(input);
    CHECK(render(input) == once);
    if (input.extension() == ".md") {
      CHECK(markdown_passthrough(once) == once);
    }
  }
}

}  // namespace
}  // namespace lava_mcp::docs
