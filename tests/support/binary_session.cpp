#include "support/binary_session.h"

#include <doctest/doctest.h>

#include <chrono>

#include "support/mcp_lines.h"

namespace lava_mcp::testing {

using namespace std::chrono_literals;
using Json = nlohmann::json;

BinarySession::BinarySession(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& environment)
    : process(argv, environment) {
  process.write(initialize_line(0));
  initialized = read();
  REQUIRE_MESSAGE(initialized.contains("result"), initialized.dump());
}

Json BinarySession::read() {
  auto line = process.read_line(10s);
  REQUIRE_MESSAGE(line.has_value(), "stderr: " << process.stderr_text());
  stdout_text += *line + "\n";
  return Json::parse(*line);
}

Json BinarySession::request(int id, const std::string& method, const Json& params) {
  process.write(
      Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump() + "\n");
  return read();
}

Json BinarySession::tool_call(int id, const std::string& tool, const Json& arguments) {
  process.write(tool_call_line(id, tool, arguments));
  return read();
}

}  // namespace lava_mcp::testing
