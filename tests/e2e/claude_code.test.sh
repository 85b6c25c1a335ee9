#!/usr/bin/env bash
# Claude Code 2.1.332 (tests/e2e/claude-code, from scripts/install_e2e_deps.sh) as a host:
# `claude mcp list` must report lava-mcp connected, and a stdio wiretap between them must show
# the 2026-07-28 era negotiated: server/discover first and answered with 2026-07-28 among the
# supportedVersions, then a modern request (its _meta names 2026-07-28) answered with a
# resultType, and no initialize at all.
#
#   bash tests/e2e/claude_code.test.sh <path/to/lava-mcp>
#
# Offline: a throwaway HOME, the variables that turn off Claude Code's updater, telemetry and
# other non-essential traffic, and, where unprivileged user namespaces work, a network
# namespace with no interface up (`unshare -rn`), so nothing can leave the machine. Every
# claude run has a hard timeout. `claude mcp list` needs no login.
set -uo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$(command -v "${1:-}")" || { echo "usage: $0 <lava-mcp binary>" >&2; exit 2; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
# shellcheck source=tests/e2e/node_env.sh
. "$E2E/node_env.sh" || exit 2
# The native binary itself: npm installs with --ignore-scripts, so the wrapper package's
# bin/claude.exe stays a placeholder (its postinstall would copy this file over it).
CLAUDE="$E2E/claude-code/node_modules/@anthropic-ai/claude-code-linux-x64/claude"
[ -x "$CLAUDE" ] || { echo "$CLAUDE missing: run scripts/install_e2e_deps.sh" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/project" "$WORK/tap"
OFFLINE=()
if unshare -rn true 2>/dev/null; then OFFLINE=(unshare -rn); fi
echo "# claude $("$CLAUDE" --version 2>/dev/null | head -n 1); network namespace: ${OFFLINE[*]:-unavailable (env only)}"

claude() { # claude ARGS...: Claude Code offline, in the throwaway HOME, at most 90 s
  (cd "$WORK/project" && env -i PATH="$PATH" HOME="$WORK/home" TERM=dumb \
     DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 \
     DISABLE_ERROR_REPORTING=1 DISABLE_BUG_COMMAND=1 \
     timeout -k 5 90 "${OFFLINE[@]}" "$CLAUDE" "$@" </dev/null)
}

PASSED=0 FAILED=0
check() { # check NAME COMMAND...
  if "${@:2}"; then PASSED=$((PASSED + 1)); echo "ok - $1"
  else FAILED=$((FAILED + 1)); echo "not ok - $1"; fi
}

# lava-mcp itself offline too: its API on a closed loopback port, no browser.
claude mcp add lava -e WIRETAP_DIR="$WORK/tap" -e LAVA_API_URL=http://127.0.0.1:9 \
  -e BROWSER=none -- "$E2E/stdio_wiretap.sh" "$BIN" >"$WORK/add.log" 2>&1
check "claude mcp add wrote the server into the config" grep -q "Added stdio MCP server lava" "$WORK/add.log"
claude mcp list >"$WORK/list.log" 2>&1
sed 's/^/#   /' "$WORK/list.log"
check "claude mcp list: lava connected" grep -Eq '^lava: .*Connected' "$WORK/list.log"

check "wiretap: server/discover answered with 2026-07-28, then a modern request answered" \
  node -e '
    const fs = require("fs");
    const lines = (f) => fs.readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const sent = lines(process.argv[1]), got = lines(process.argv[2]);
    const fail = (why) => { console.log(`#   ${why}`); process.exit(1); };
    const reply = (req) => got.find((m) => m.id === req.id && ("result" in m || "error" in m));
    const requests = sent.filter((m) => m.method && m.id !== undefined);
    if (requests[0]?.method !== "server/discover") fail(`first request is ${requests[0]?.method}`);
    const discovered = reply(requests[0])?.result;
    if (!discovered?.supportedVersions?.includes("2026-07-28")) fail("server/discover not answered with 2026-07-28");
    if (sent.some((m) => m.method === "initialize")) fail("the client fell back to initialize");
    const modern = requests.slice(1).find((m) => m.params?._meta?.["io.modelcontextprotocol/protocolVersion"] === "2026-07-28");
    if (!modern) fail("no modern request after server/discover");
    const answer = reply(modern)?.result;
    if (typeof answer?.resultType !== "string") fail(`${modern.method} not answered with a modern result`);
    console.log(`#   ${requests.map((m) => m.method).join(", ")}; ${modern.method} -> resultType ${answer.resultType}`);
  ' "$WORK/tap/in.jsonl" "$WORK/tap/out.jsonl"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
