#!/usr/bin/env bash
# The Windows build's tests under Wine: cross-builds lava-mcp.exe and windows_unit_tests.exe
# (scripts/build_windows.sh --tests, which installs MinGW-w64 and wine64), starts one Wine
# prefix, runs the unit executable once, then drives lava-mcp.exe over stdio: initialize,
# tools/list, search against the embedded catalog (no network here: the live catalog fails
# over WinHTTP and search says so), a bad message answered while serving goes on, and the
# shutdown at the end of stdin with exit code 0; then (tests/windows/wine_gateway.py)
# WinHttpClient's real requests to the Linux fake gateway (call, prompt, login writing the
# credentials, with LAVA_SECRET_KEY and through the browser: tests/windows/fake_browser.cpp) and
# Ctrl-C (tests/windows/console_ctrl.cpp). The fake is the native build's
# lava_fake_services: $LAVA_MCP_FAKE_SERVICES (scripts/test.sh passes its own build's), else
# build/dev's, built there when missing. Prints the phase's time.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${LAVA_MCP_WINDOWS_BUILD:-$root/build/windows}"
start=$(date +%s)

"$root/scripts/build_windows.sh" --tests
fake="${LAVA_MCP_FAKE_SERVICES:-$root/build/dev/tests/fake_services/lava_fake_services}"
if [[ ! -x "$fake" ]]; then
  cmake --preset dev -S "$root" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
  cmake --build "$root/build/dev" -j "${LAVA_MCP_JOBS:-$(nproc)}" --target lava_fake_services
fi
wine=/usr/lib/wine/wine64
export WINEPREFIX="${LAVA_MCP_WINEPREFIX:-$build/wineprefix}" WINEDEBUG=-all
"$wine" wineboot -i >/dev/null 2>&1  # once: about 20 s the first time, then a second

# About 10 s; the bound turns a hang (a listener thread that never wakes to stop) into a failure.
timeout 300 "$wine" "$build/tests/windows/windows_unit_tests.exe"

requests='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"wine-test","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/list"}
not json
{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":{"query":"openai chat completions"}}}'
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
set +e
output=$(printf '%s\n' "$requests" |
  LAVA_MCP_HOME="Z:${home//\//\\}" timeout 120 "$wine" "$build/src/lava-mcp.exe")
status=$?
set -e
if [[ $status -ne 0 ]]; then
  echo "run_wine: lava-mcp.exe exited with $status at the end of stdin (expected 0)" >&2
  exit 1
fi
python3 - "$output" <<'PY'
import json, sys
lines = [json.loads(line) for line in sys.argv[1].splitlines() if line.strip()]
by_id = {m.get("id"): m for m in lines}
def check(ok, what):
    if not ok:
        sys.exit("run_wine: " + what + "\n" + sys.argv[1][:2000])
check(by_id.get(1, {}).get("result", {}).get("serverInfo", {}).get("name") == "lava-mcp", "initialize")
names = [t["name"] for t in by_id.get(2, {}).get("result", {}).get("tools", [])]
check("search" in names and "prompt" in names and "call" in names, "tools/list: " + str(names))
check(any(m.get("id") is None and m.get("error", {}).get("code") == -32700 for m in lines),
      "a parse error for the line that is not JSON")
text = by_id.get(3, {}).get("result", {}).get("content", [{}])[0].get("text", "")
check("embedded catalog" in text and "openai" in text.lower(), "search: " + text[:300])
print("run_wine: initialize, tools/list, parse error, search, EOF shutdown: ok")
PY

python3 "$root/tests/windows/wine_gateway.py" "$wine" "$build/src/lava-mcp.exe" "$fake" \
  "$build/tests/windows/console_ctrl.exe" "$build/tests/windows/fake_browser.exe"
echo "run_wine: Windows phase took $(( $(date +%s) - start )) s" >&2
