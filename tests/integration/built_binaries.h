// The binaries the integration suite drives, in the build folder that configured the suite.
// They are the suite's only paths into its build folder, defined in built_binaries.cpp alone, so
// that a second build folder of the same sources (scripts/test.sh's forced-portable build)
// compiles every test file from the compiler cache and only this one anew.
#pragma once

#include <string>

namespace lava_mcp::testing {

std::string installed_binary();      // the lava-mcp that the install_binary test installed
std::string fake_services_binary();  // lava_fake_services, the whole fake Lava as a process

}  // namespace lava_mcp::testing
