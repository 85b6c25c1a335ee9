#!/usr/bin/env bash
# Builds lava-mcp (Release) and starts it on stdio. Extra arguments go to the server.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build/release"

"$root/scripts/install_deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLAVA_MCP_BUILD_TESTS=OFF >&2
cmake --build "$build" -j "$(nproc)" >&2
cmake --install "$build" --prefix "$root/build/install" >&2
exec "$root/build/install/bin/lava-mcp" "$@"
