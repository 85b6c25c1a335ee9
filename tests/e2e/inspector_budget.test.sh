#!/usr/bin/env bash
# End-to-end: the result budget (README "Result size") through the MCP Inspector CLI (2.12.0), a
# host that reads the text: a `call` whose body is about 300,000 characters comes back within
# 100,000 characters over content and structuredContent, the body in the text once, cut and said.
#   bash tests/e2e/inspector_budget.test.sh <path/to/lava-mcp> <path/to/lava_fake_services>
set -uo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-}"
fake_bin="${2:-}"
if [[ ! -x "$bin" || ! -x "$fake_bin" ]]; then
  echo "usage: inspector_budget.test.sh <lava-mcp> <lava_fake_services> (got '$bin' '$fake_bin')" >&2
  exit 2
fi
# shellcheck source=tests/e2e/node_env.sh
. "$E2E/node_env.sh" || exit 2
INSPECTOR="$E2E/node_modules/.bin/inspector"
[ -x "$INSPECTOR" ] || { echo "Inspector missing: run scripts/install_e2e_deps.sh" >&2; exit 2; }

tmp="$(mktemp -d)"
# shellcheck source=tests/e2e/fake_services.sh
. "$E2E/fake_services.sh"
cleanup() {
  lava_e2e_stop_fake
  rm -rf "$tmp"
}
trap cleanup EXIT
export HOME="$tmp/home" && mkdir -p "$HOME"
unset XDG_CONFIG_HOME XDG_CACHE_HOME LAVA_MCP_HOME LAVA_SECRET_KEY LAVA_SPEND_KEY

PASSED=0 FAILED=0
check() { # check NAME CONDITION-EXIT-STATUS [DETAIL]
  if [ "$2" -eq 0 ]; then PASSED=$((PASSED + 1)); echo "ok - $1"
  else FAILED=$((FAILED + 1)); echo "not ok - $1${3:+: $3}"; fi
}

lava_e2e_start_fake "$fake_bin" "$tmp" ||
  { echo "no origin from lava_fake_services: $(cat "$tmp/fake.err")" >&2; exit 1; }

# The next provider answer: a 200 whose JSON body holds 300,000 x's.
node -e 'const text = "x".repeat(300000);
  process.stdout.write(JSON.stringify({ provider: "openai", kind: "status", status: 200,
                                        body: JSON.stringify({ data: text }) }))' >"$tmp/script.json"
curl -sf -X POST -H "Content-Type: application/json" --data-binary @"$tmp/script.json" "$origin/__script" >/dev/null
check "the fake takes the scripted answer" $? "$(cat "$tmp/fake.err")"

args='{"url":"https://api.openai.com/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}}'
timeout 120 "$INSPECTOR" --cli "$bin" -e LAVA_API_URL="$origin" \
  -e LAVA_SECRET_KEY=aks_test_FAKELAVASECRET000123 -e BROWSER=none \
  --method tools/call --tool-name call --tool-args-json "$args" --format json -q \
  >"$tmp/call.json" 2>"$tmp/call.err"
rc=$?
check "tools/call call exits 0" $rc "exit $rc: $(head -c 500 "$tmp/call.err")"

# The CLI prints {"result": <the tool result>}. size: content + structuredContent as JSON; text/structured: thousands of x's on each side.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).result;
  const text = r.content.filter((b) => b.type === "text").map((b) => b.text).join("\n");
  const k = (s) => (s.match(/x{1000}/g) ?? []).length;
  console.log(JSON.stringify(r.content).length + JSON.stringify(r.structuredContent ?? null).length,
              k(text), k(JSON.stringify(r.structuredContent ?? null)),
              /\[cut: the body is \d+ characters/.test(text) && /Range/.test(text) ? 1 : 0)' \
  "$tmp/call.json" >"$tmp/figures" 2>"$tmp/figures.err"
read -r size in_text in_structured said <"$tmp/figures" || true
[[ -n "${size:-}" && "$size" -le 100000 ]]
check "the whole result is within 100,000 characters" $? "${size:-?} ($(cat "$tmp/figures.err"))"
[[ "${in_text:-0}" -gt 50 && "${in_structured:-1}" -eq 0 ]]
check "the body is carried once, in the text the Inspector shows" $? "text ${in_text:-?}k, structured ${in_structured:-?}k"
[[ "${said:-0}" -eq 1 ]]
check "the result says it was cut and how to get the rest" $? "$(tail -c 300 "$tmp/call.json")"

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
