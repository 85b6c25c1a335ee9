#!/usr/bin/env bash
# Builds the Release binary and the Debian package: build/release/lava-mcp_<version>_<arch>.deb
# (cmake/packaging.cmake). Install it with: sudo apt install ./build/release/lava-mcp_*.deb
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/release"

"$root/scripts/install_deps.sh"
# The package's file dates: the last commit's, so the same commit gives the same .deb bytes.
if [[ -z "${SOURCE_DATE_EPOCH:-}" ]] && git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  SOURCE_DATE_EPOCH="$(git -C "$root" log -1 --format=%ct)"
  export SOURCE_DATE_EPOCH
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLAVA_MCP_BUILD_TESTS=OFF >&2
cmake --build "$build" -j "$(nproc)" >&2
(cd "$build" && cpack -G DEB >&2)
ls "$build"/lava-mcp_*.deb
