// Which system-specific code a build uses. LAVA_MCP_GENERIC_POSIX (the CMake option
// LAVA_MCP_FORCE_PORTABLE) turns the Linux and macOS branches off, so that the POSIX code that
// serves every other system is built and tested on Linux too. Only src/platform/ reads these.
#pragma once

#if defined(LAVA_MCP_GENERIC_POSIX)
#define LAVA_MCP_LINUX 0
#define LAVA_MCP_MACOS 0
#elif defined(_WIN32)
#define LAVA_MCP_LINUX 0
#define LAVA_MCP_MACOS 0
#elif defined(__linux__)
#define LAVA_MCP_LINUX 1
#define LAVA_MCP_MACOS 0
#elif defined(__APPLE__)
#define LAVA_MCP_LINUX 0
#define LAVA_MCP_MACOS 1
#else
#define LAVA_MCP_LINUX 0
#define LAVA_MCP_MACOS 0
#endif
