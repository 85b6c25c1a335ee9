#!/usr/bin/env bash
# Builds the Release binary and the Debian package: build/release/lava-mcp_<version>_<arch>.deb
# (cmake/packaging.cmake). Install it with: sudo apt install ./build/release/lava-mcp_*.deb
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/release"

"$root/scripts/install_deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLAVA_MCP_BUILD_TESTS=OFF >&2
cmake --build "$build" -j "$(nproc)" >&2
(cd "$build" && cpack -G DEB >&2)
ls "$build"/lava-mcp_*.deb
