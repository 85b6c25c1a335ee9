#!/usr/bin/env bash
# Cross-builds lava-mcp.exe for Windows x86-64 with MinGW-w64 (cmake/mingw-w64.cmake): one
# static executable, no DLL beside it. Installs the cross compiler and the header-only
# dependencies from Debian first (idempotent, as scripts/install_deps.sh). With --tests also
# Wine and the Windows test executable (tests/windows/).
# Output: build/windows/src/lava-mcp.exe (LAVA_MCP_WINDOWS_BUILD sets the folder).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${LAVA_MCP_WINDOWS_BUILD:-$root/build/windows}"
tests=OFF
packages=(cmake make g++-mingw-w64-x86-64-posix nlohmann-json3-dev libcli11-dev)
if [[ "${1:-}" == "--tests" ]]; then
  tests=ON
  packages+=(doctest-dev wine64)
fi
LAVA_MCP_PACKAGES="${packages[*]}" "$root/scripts/install_deps.sh" --only

# Through ccache where it is installed (scripts/test.sh installs it): the cross-build is most of
# the Windows phase's time, and a warm cache turns it into seconds (README "Windows" has the
# figures). Set as scripts/test.sh sets it: paths relative to the checkout and the folder-mapping
# flag left out of the key, so that a fresh clone in another folder (as CI makes) hits the same
# objects.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1 CCACHE_DEPEND=1
  export CCACHE_IGNOREOPTIONS="-ffile-prefix-map=*"
fi
cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64.cmake" \
  -DCMAKE_BUILD_TYPE=Release -DLAVA_MCP_BUILD_TESTS="$tests" -DLAVA_MCP_WARNINGS_AS_ERRORS=ON \
  "${launcher[@]}"
cmake --build "$build" -j "${LAVA_MCP_JOBS:-$(nproc)}"
