// Where the running executable is, for the hint that tells a person how to add it to a host.
#pragma once

#include <optional>
#include <string>

namespace lava_mcp::platform {

// The absolute path of the running executable; nullopt where the system does not say
// (generic POSIX has no call for it: argv[0] may be relative or a bare name).
std::optional<std::string> executable_path();

}  // namespace lava_mcp::platform
