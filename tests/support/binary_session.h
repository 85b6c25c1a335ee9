// lava-mcp as a host runs it, for the integration tests that drive the binary over raw stdio:
// started, initialized, then one request line written and one answer line read at a time.
// Each test file's own session derives from it with the environment its fakes need.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace lava_mcp::testing {

struct BinarySession {
  // Starts `argv` with `environment`, writes initialize (id 0) and requires a result for it.
  BinarySession(const std::vector<std::string>& argv,
                const std::map<std::string, std::string>& environment);

  // The next line from stdout, parsed; fails the test (showing stderr) after 10 s.
  nlohmann::json read();
  // Writes a request and reads the next line (these sessions expect no notifications).
  nlohmann::json request(int id, const std::string& method, const nlohmann::json& params);
  nlohmann::json tool_call(int id, const std::string& tool, const nlohmann::json& arguments);

  Subprocess process;
  nlohmann::json initialized;  // the answer to initialize
  std::string stdout_text;     // every line read, each ended by "\n"
};

}  // namespace lava_mcp::testing
