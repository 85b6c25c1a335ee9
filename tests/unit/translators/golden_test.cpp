// Golden tests for the translators (design.md section 6): every
// tests/golden/translators/<translator>/<case>.input.json runs through its translator and the
// output is compared, as parsed JSON, with <case>.expected.json; a failure names the first
// differing path. UPDATE_GOLDENS=1 rewrites the expected files (2-space indent, trailing newline)
// instead of failing, for review in the diff. Trap 30 goldens must also be byte-stable.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/json_mutants.h"
#include "translators/translators.h"

namespace lava_mcp::translators {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Runner = std::function<json(const json& input)>;

const fs::path kRoot = fs::path(LAVA_MCP_GOLDEN_DIR) / "translators";
constexpr const char* kInputSuffix = ".input.json";
constexpr const char* kExpectedSuffix = ".expected.json";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string golden_text(const json& value) { return value.dump(2) + "\n"; }

bool updating() {
  const char* update = std::getenv("UPDATE_GOLDENS");
  return update != nullptr && std::string(update) == "1";
}

// The first path where `actual` differs from `expected`, or "" when they are equal.
std::string first_difference(const json& expected, const json& actual, const std::string& path) {
  if (expected.type() != actual.type() && !(expected.is_number() && actual.is_number())) {
    return path.empty() ? "<root>" : path;
  }
  if (expected.is_object()) {
    std::set<std::string> keys;
    for (const auto& [key, value] : expected.items()) keys.insert(key);
    for (const auto& [key, value] : actual.items()) keys.insert(key);
    for (const std::string& key : keys) {
      const std::string child = path + "." + key;
      if (!expected.contains(key) || !actual.contains(key)) {
        return child;
      }
      std::string difference = first_difference(expected.at(key), actual.at(key), child);
      if (!difference.empty()) {
        return difference;
      }
    }
    return "";
  }
  if (expected.is_array()) {
    for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
      std::string difference =
          first_difference(expected.at(i), actual.at(i), path + "[" + std::to_string(i) + "]");
      if (!difference.empty()) {
        return difference;
      }
    }
    return expected.size() == actual.size() ? "" : path + ".length";
  }
  return expected == actual ? "" : (path.empty() ? "<root>" : path);
}

// The value at a path printed by first_difference, for the failure message.
json value_at(const json& root, const std::string& path) try {
  if (path == "<root>") {
    return root;
  }
  json::json_pointer pointer;
  std::string token;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    const char c = i < path.size() ? path[i] : '.';
    if (c == '.' || c == '[' || c == ']') {
      if (!token.empty()) {
        pointer /= token;
      }
      token.clear();
    } else {
      token += c;
    }
  }
  const bool length = !pointer.empty() && pointer.back() == "length";
  if (length) {
    pointer.pop_back();
  }
  if (!root.contains(pointer)) {
    return "<absent>";
  }
  return length ? json(root.at(pointer).size()) : root.at(pointer);
} catch (const json::exception&) {
  return "<unavailable>";
}

// --- serialising results -------------------------------------------------------------------

json request_output(const RequestResult& result) {
  if (const auto* failure = std::get_if<RequestFailure>(&result)) {
    const char* kind =
        failure->kind == RequestFailure::Kind::kLocalInvalid ? "local_invalid" : "unsupported";
    return {{"failure", {{"kind", kind}, {"error", failure->error}}}};
  }
  const auto& translated = std::get<TranslatedRequest>(result);
  return {{"body", translated.body}, {"notes", translated.notes}};
}

json response_output(const Expected<json>& result) {
  if (!result) {
    return {{"failure", {{"message", result.error().message}, {"data", result.error().data}}}};
  }
  return {{"completion", *result}};
}

std::string text_of(const json& input, const char* key) {
  const auto it = input.find(key);
  return it == input.end() ? std::string() : it->is_string() ? it->get<std::string>() : it->dump();
}

std::string string_of(const json& input, const char* key) {
  return input.contains(key) ? input.at(key).get<std::string>() : std::string();
}

long long created_of(const json& input) { return input.value("created", 1767225600LL); }

Format format_of(const std::string& name) {
  return name == "anthropic" ? Format::kAnthropic
         : name == "gemini"  ? Format::kGemini
                             : Format::kOpenAI;
}

json run_to_gemini(const json& input) {
  ImageMap images;
  const json image_input = input.value("images", json::object());
  for (const auto& [url, image] : image_input.items()) {
    images[url] = {image.at("mime_type").get<std::string>(), image.at("base64").get<std::string>()};
  }
  GeminiCallMap calls;
  const json call_input = input.value("calls", json::object());
  for (const auto& [id, call] : call_input.items()) {
    calls[id] = {call.value("issued_id", false), call.value("thought_signature", std::string())};
  }
  json out =
      request_output(to_gemini(input.at("request"), string_of(input, "model"), images, calls));
  out["inline_urls"] = image_urls_to_inline(input.at("request"));
  return out;
}

json run_from_gemini(const json& input) {
  GeminiCallMap calls;
  json out = response_output(
      from_gemini(input.at("body"), string_of(input, "model"), created_of(input), &calls));
  for (const auto& [id, call] : calls) {
    out["calls"][id] = {{"issued_id", call.issued_id},
                        {"thought_signature", call.thought_signature}};
  }
  return out;
}

json run_retry_after(const json& input) {
  const json headers = input.value("headers", json::object());
  const auto lookup = [&headers](std::string_view name) -> std::optional<std::string> {
    for (const auto& [key, value] : headers.items()) {
      std::string lowered = key;
      for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lowered == name) {
        return value.get<std::string>();
      }
    }
    return std::nullopt;
  };
  const auto parsed = parse_retry_after(lookup, text_of(input, "body"), input.value("now", 0LL));
  return {{"retry_after", parsed
                              ? json{{"seconds", parsed->seconds}, {"over_cap", parsed->over_cap}}
                              : json(nullptr)}};
}

const std::vector<std::pair<std::string, Runner>>& runners() {
  static const std::vector<std::pair<std::string, Runner>> kRunners = {
      {"to_openai",
       [](const json& in) {
         return request_output(to_openai(in.at("request"), string_of(in, "model")));
       }},
      {"to_anthropic",
       [](const json& in) {
         return request_output(to_anthropic(in.at("request"), string_of(in, "model")));
       }},
      {"to_gemini", run_to_gemini},
      {"from_openai",
       [](const json& in) {
         return response_output(from_openai(in.at("body"), created_of(in), string_of(in, "model")));
       }},
      {"from_anthropic",
       [](const json& in) {
         return response_output(from_anthropic(in.at("body"), in.value("request", json::object()),
                                               created_of(in), string_of(in, "model")));
       }},
      {"from_gemini", run_from_gemini},
      {"map_error",
       [](const json& in) {
         return map_error(format_of(string_of(in, "format")), in.at("status").get<int>(),
                          text_of(in, "body"));
       }},
      {"retry_after", run_retry_after},
  };
  return kRunners;
}

std::vector<fs::path> inputs_of(const std::string& folder) {
  std::vector<fs::path> inputs;
  if (!fs::is_directory(kRoot / folder)) {
    return inputs;
  }
  for (const auto& entry : fs::directory_iterator(kRoot / folder)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > std::string(kInputSuffix).size() && name.ends_with(kInputSuffix)) {
      inputs.push_back(entry.path());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

// The runner of a golden folder, by its name.
const Runner& runner_of(const std::string& folder) {
  const Runner* runner = nullptr;
  for (const auto& [name, candidate] : runners()) {
    if (name == folder) runner = &candidate;
  }
  REQUIRE(runner != nullptr);
  return *runner;
}

void run_folder(const std::string& folder) {
  const Runner& runner = runner_of(folder);
  const auto inputs = inputs_of(folder);
  CHECK_MESSAGE(!inputs.empty(), "no golden cases in " << (kRoot / folder).string());
  for (const fs::path& input_path : inputs) {
    std::string name = input_path.filename().string();
    name.resize(name.size() - std::string(kInputSuffix).size());
    const std::string label = folder + "/" + name;
    INFO("golden case: " << label);
    const json input = json::parse(read_file(input_path), nullptr, false);
    REQUIRE_MESSAGE(!input.is_discarded(), label << ".input.json is not valid JSON");
    json actual;
    REQUIRE_NOTHROW(actual = runner(input));
    const fs::path expected_path = input_path.parent_path() / (name + kExpectedSuffix);
    const std::string expected_text = read_file(expected_path);
    const json expected = json::parse(expected_text, nullptr, false);
    if (updating()) {
      if (expected.is_discarded() || expected != actual || expected_text != golden_text(actual)) {
        std::ofstream(expected_path, std::ios::binary) << golden_text(actual);
        MESSAGE("rewrote " << expected_path.string());
      }
      continue;
    }
    REQUIRE_MESSAGE(!expected.is_discarded(), label
                                                  << ".expected.json is missing or not valid JSON "
                                                  << "(run with UPDATE_GOLDENS=1 to create it)");
    const std::string difference = first_difference(expected, actual, "");
    CHECK_MESSAGE(difference.empty(),
                  label << ": first difference at " << difference
                        << "\n  expected: " << value_at(expected, difference).dump()
                        << "\n  actual:   " << value_at(actual, difference).dump());
    if (name.rfind("trap30", 0) == 0) {  // translation.md trap 30: byte-stable bodies
      CHECK_MESSAGE(expected_text == golden_text(actual), label << ": not byte-identical");
    }
  }
}

TEST_CASE("golden translators: to_openai") { run_folder("to_openai"); }
TEST_CASE("golden translators: to_anthropic") { run_folder("to_anthropic"); }
TEST_CASE("golden translators: to_gemini") { run_folder("to_gemini"); }
TEST_CASE("golden translators: from_openai") { run_folder("from_openai"); }
TEST_CASE("golden translators: from_anthropic") { run_folder("from_anthropic"); }
TEST_CASE("golden translators: from_gemini") { run_folder("from_gemini"); }
TEST_CASE("golden translators: map_error") { run_folder("map_error"); }
TEST_CASE("golden translators: retry_after") { run_folder("retry_after"); }

TEST_CASE("golden translators: no stray files, every folder has a runner") {
  for (const auto& entry : fs::directory_iterator(kRoot)) {
    const std::string folder = entry.path().filename().string();
    bool known = false;
    for (const auto& [name, runner] : runners()) known = known || name == folder;
    CHECK_MESSAGE(known, "no runner for golden folder " << folder);
    if (!known) continue;
    for (const auto& file : fs::directory_iterator(entry.path())) {
      const std::string name = file.path().filename().string();
      const bool input = name.ends_with(kInputSuffix);
      const bool expected = name.ends_with(kExpectedSuffix);
      CHECK_MESSAGE((input || expected), "stray file " << folder << "/" << name);
      if (expected) {
        const std::string stem = name.substr(0, name.size() - std::string(kExpectedSuffix).size());
        CHECK_MESSAGE(fs::exists(file.path().parent_path() / (stem + kInputSuffix)),
                      "expected file without input: " << folder << "/" << name);
      }
    }
  }
}

// Every golden request and response changed in every one-item way: the translators read
// outside JSON (a caller's request, a provider's body), so none of those near misses may throw.
// One test case per translator, each a few seconds under the sanitizers.
std::size_t translate_near_misses(const std::string& folder, const char* member) {
  const Runner& runner = runner_of(folder);
  std::size_t mutants = 0;
  for (const fs::path& input_path : inputs_of(folder)) {
    const json input = json::parse(read_file(input_path));
    const auto original = nlohmann::ordered_json::parse(input.at(member).dump());
    json changed = input;
    const auto translate = [&](const std::string& mutant) {
      ++mutants;
      changed[member] = json::parse(mutant);
      try {
        runner(changed);
      } catch (const std::exception& e) {
        FAIL_CHECK(input_path.filename().string()
                   << ": " << mutant.substr(0, 400) << " threw " << std::string(e.what()));
      }
    };
    testing::each_mutant(original, translate, testing::ReadAs::kParsed);
  }
  return mutants;
}

TEST_CASE("golden: every one-item change of a request is translated to OpenAI without a throw") {
  CHECK(translate_near_misses("to_openai", "request") > 1000 / testing::kNearMissStride);
}

TEST_CASE("golden: every one-item change of a request is translated to Anthropic without a throw") {
  CHECK(translate_near_misses("to_anthropic", "request") > 1000 / testing::kNearMissStride);
}

TEST_CASE("golden: every one-item change of a request is translated to Gemini without a throw") {
  CHECK(translate_near_misses("to_gemini", "request") > 1000 / testing::kNearMissStride);
}

TEST_CASE("golden: every one-item change of an OpenAI response is read without a throw") {
  CHECK(translate_near_misses("from_openai", "body") > 500 / testing::kNearMissStride);
}

TEST_CASE("golden: every one-item change of an Anthropic response is read without a throw") {
  CHECK(translate_near_misses("from_anthropic", "body") > 500 / testing::kNearMissStride);
}

TEST_CASE("golden: every one-item change of a Gemini response is read without a throw") {
  CHECK(translate_near_misses("from_gemini", "body") > 500 / testing::kNearMissStride);
}

}  // namespace
}  // namespace lava_mcp::translators
