#!/usr/bin/env bash
# End-to-end: the MCP Inspector CLI (2.12.0) drives the installed lava-mcp over stdio.
#   bash tests/e2e/inspector.test.sh <path/to/lava-mcp>     (or env LAVA_MCP_BIN)
# Argument order matters: the server command comes first, its -e options after it, then
# --method. (--method before the target makes the Inspector silently ignore the target
# and use its catalog file instead.) Exit codes: 0 ok, 5 isError:true or unknown tool.
set -uo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="${1:-${LAVA_MCP_BIN:-}}"
[ -x "$BIN" ] || { echo "usage: $0 <lava-mcp binary> (got '$BIN')" >&2; exit 2; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
# shellcheck source=tests/e2e/node_env.sh
. "$E2E/node_env.sh" || exit 2
INSPECTOR="$E2E/node_modules/.bin/inspector"
[ -x "$INSPECTOR" ] || { echo "Inspector missing: run scripts/install_e2e_deps.sh" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# A fresh HOME keeps ~/.mcp-inspector and the server's own config out of the developer's.
export HOME="$WORK/home" && mkdir -p "$HOME"
unset XDG_CONFIG_HOME XDG_CACHE_HOME LAVA_MCP_HOME LAVA_SECRET_KEY LAVA_SPEND_KEY MCP_CATALOG_PATH

PASSED=0 FAILED=0
check() { # check NAME CONDITION-EXIT-STATUS [DETAIL]
  if [ "$2" -eq 0 ]; then PASSED=$((PASSED + 1)); echo "ok - $1"
  else FAILED=$((FAILED + 1)); echo "not ok - $1${3:+: $3}"; fi
}
inspect() { # inspect OUTFILE ARGS...: runs the CLI against lava-mcp (offline), returns its exit code
  local out="$1"; shift
  timeout 120 "$INSPECTOR" --cli "$BIN" -e LAVA_API_URL=http://127.0.0.1:9 -e BROWSER=none \
    "$@" --format json -q >"$out" 2>"$out.err"
}
json() { # json FILE JS-EXPRESSION-OVER-r: prints the value, fails if it throws or is falsy
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = eval(process.argv[2]); if (!v) process.exit(1); console.log(v)' "$1" "$2" 2>/dev/null
}

inspect "$WORK/list.json" --method tools/list; rc=$?
check "tools/list exits 0" $rc "exit $rc: $(cat "$WORK/list.json.err")"
names="$(json "$WORK/list.json" 'r.result.tools.map(t => t.name).join(",")')"; echo "# tools: $names"
json "$WORK/list.json" 'r.result.tools.some(t => t.name === "search" && t.description)' >/dev/null
check "tools/list contains search with a description" $? "$(head -c 500 "$WORK/list.json")"
json "$WORK/list.json" 'r.result.tools.every(t => t.description && t.inputSchema.type === "object")' >/dev/null
check "every tool has a description and an object inputSchema" $?

# --strict lints every input and output schema for portability (type arrays, untyped schemas,
# remote $refs: what hosts converting to a model's function-declaration format may reject).
inspect "$WORK/strict.json" --method tools/list --strict; rc=$?
check "tools/list --strict exits 0" $rc "exit $rc: $(cat "$WORK/strict.json.err")"
json "$WORK/strict.json" '!("schemaFindings" in r) && r.result.tools.length === 5' >/dev/null
check "tools/list --strict reports no schema finding" $? \
  "$(head -c 2000 "$WORK/strict.json.err") $(json "$WORK/strict.json" 'JSON.stringify(r.schemaFindings)')"

inspect "$WORK/call.json" --method tools/call --tool-name search --tool-args-json '{"query":"web search"}'; rc=$?
check "tools/call search exits 0" $rc "exit $rc: $(cat "$WORK/call.json.err")"
json "$WORK/call.json" 'r.result.isError !== true && r.result.structuredContent.results.length > 0' >/dev/null
check "tools/call search returns results" $? "$(head -c 500 "$WORK/call.json")"

inspect "$WORK/bad.json" --method tools/call --tool-name search --tool-args-json '{"query":5}'; rc=$?
[ $rc -eq 5 ]; check "tools/call search with bad arguments exits 5 (isError)" $? "exit $rc: $(cat "$WORK/bad.json.err")"

inspect "$WORK/unknown.json" --method tools/call --tool-name no_such_tool --tool-args-json '{}'; rc=$?
[ $rc -eq 5 ]; check "tools/call of an unknown tool exits 5" $? "exit $rc: $(cat "$WORK/unknown.json.err")"

# The modern era (2026-07-28): --protocol-era modern needs server/discover and stateless calls;
# auto probes with discover and must stay modern too.
for era in modern auto; do
  inspect "$WORK/list-$era.json" --protocol-era "$era" --method tools/list; rc=$?
  check "--protocol-era $era: tools/list exits 0" $rc "exit $rc: $(cat "$WORK/list-$era.json.err")"
  json "$WORK/list-$era.json" 'r.result.tools.length === 5 && r.result.tools.every(t => t.outputSchema)' >/dev/null
  check "--protocol-era $era: five tools with output schemas" $? "$(head -c 500 "$WORK/list-$era.json")"
  inspect "$WORK/call-$era.json" --protocol-era "$era" --method tools/call --tool-name search \
    --tool-args-json '{"query":"web search","limit":2}'; rc=$?
  check "--protocol-era $era: tools/call search exits 0" $rc "exit $rc: $(cat "$WORK/call-$era.json.err")"
  json "$WORK/call-$era.json" 'r.result.structuredContent.results.length === 2' >/dev/null
  check "--protocol-era $era: search structuredContent" $? "$(head -c 500 "$WORK/call-$era.json")"
done

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
