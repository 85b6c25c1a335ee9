#!/usr/bin/env bash
# End-to-end: `lava-mcp login` (the terminal command) with a real browser. Headless Chromium,
# started through BROWSER (tests/e2e/chromium_browser.sh), opens the login URL on
# lava_fake_services' web app, follows its 302 to lava-mcp's local /callback, and lava-mcp
# exchanges the code, creates a spend key and stores the credentials.
#
#   bash tests/e2e/chromium_login.test.sh <path/to/lava-mcp> <path/to/lava_fake_services>
#
# Offline: LAVA_API_URL and LAVA_APP_URL are the fake's loopback origin, and the wrapper keeps
# Chromium's own background traffic on the machine (see its header).
# Needs Debian's `chromium` (scripts/install_e2e_deps.sh installs it).
set -uo pipefail

bin="${1:-}"
fake_bin="${2:-}"
if [[ ! -x "$bin" || ! -x "$fake_bin" ]]; then
  echo "usage: chromium_login.test.sh <lava-mcp> <lava_fake_services> (got '$bin' '$fake_bin')" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
browser="$here/chromium_browser.sh"

passed=0
failed=0
check() { # check NAME COMMAND...: one ok / not ok line
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok - $name"
  else
    failed=$((failed + 1))
    echo "not ok - $name"
  fi
}
finish() {
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
  exit
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/lava-mcp-e2e-chromium-XXXXXX")"
# shellcheck source=tests/e2e/fake_services.sh
. "$here/fake_services.sh"
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  lava_e2e_stop_fake
  rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v "${LAVA_E2E_CHROMIUM:-chromium}" >/dev/null; then
  check "chromium is installed (run scripts/install_e2e_deps.sh)" false
  finish
fi
echo "# $("${LAVA_E2E_CHROMIUM:-chromium}" --version 2>/dev/null | head -n 1)"
# BROWSER is "/bin/sh <wrapper>" (no reliance on the executable bit); lava-mcp splits it on
# whitespace and runs it without a shell, so the wrapper's path must have no spaces.
if [[ "$browser" =~ [[:space:]] ]]; then
  cp "$browser" "$tmp/chromium_browser.sh"
  browser="$tmp/chromium_browser.sh"
fi

lava_e2e_start_fake "$fake_bin" "$tmp"
if ! check "lava_fake_services prints its origin" test -n "$origin"; then
  cat "$tmp/fake.err" >&2
  finish
fi
echo "# fake services at $origin"

# A fresh HOME and LAVA_MCP_HOME; no keys from the environment. The timeout only keeps a broken
# run from hanging CTest.
home="$tmp/home"
mkdir -p "$home"
lava=(env -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u LAVA_SECRET_KEY -u LAVA_SPEND_KEY -u LAVA_MCP_LOG
  HOME="$home" LAVA_MCP_HOME="$home/lava-mcp" LAVA_API_URL="$origin" LAVA_APP_URL="$origin"
  BROWSER="/bin/sh $browser" LAVA_E2E_CHROMIUM_DOM="$tmp/chromium.dom" LAVA_E2E_CHROMIUM_LOG="$tmp/chromium.log"
  timeout 90 "$bin")

# The terminal command waits for the callback (joining the same flow while pending). Chromium
# exits once it has rendered the callback page, and the login ends right after: a login still
# waiting 15 s after Chromium ended will never end, so stop it rather than wait for the timeout.
start=$SECONDS
"${lava[@]}" login >"$tmp/login.out" 2>"$tmp/login.err" &
login_pid=$!
after_browser=0
while kill -0 "$login_pid" 2>/dev/null; do
  if [[ -f "$tmp/chromium.dom.rc" ]] && ((++after_browser > 150)); then
    echo "# chromium ended 15 s ago and lava-mcp login is still waiting: stopping it"
    kill "$login_pid"
    break
  fi
  sleep 0.1
done
wait "$login_pid"
rc=$?
echo "# lava-mcp login took $((SECONDS - start)) s"

check "lava-mcp login exits 0" test "$rc" -eq 0
check "stdout says \"Signed in\"" grep -q "Signed in" "$tmp/login.out"
check "stderr shows the login URL on the fake app" \
  grep -Eq "$origin/auth/connect\?state=[0-9a-f]{32}&port=[0-9]+" "$tmp/login.err"

# lava-mcp may print "Signed in" before Chromium has written its DOM and exited: wait for it.
for _ in $(seq 300); do
  [[ -f "$tmp/chromium.dom.rc" ]] && break
  sleep 0.1
done
check "chromium exited 0" test "$(cat "$tmp/chromium.dom.rc" 2>/dev/null)" = 0
check "chromium ended on the local callback page (\"close this tab\")" grep -qsi "close this tab" "$tmp/chromium.dom"

creds="$home/lava-mcp/credentials.json"
check "credentials.json exists" test -f "$creds"
check "credentials.json has mode 0600" test "$(stat -c %a "$creds" 2>/dev/null)" = 600
check "credentials.json holds the secret key" \
  grep -qs '"secret_key": *"aks_test_FAKELAVASECRET000123"' "$creds"
check "credentials.json holds the spend key" grep -qs '"spend_key": *"lava_sk_FAKELAVASPEND000456"' "$creds"
# shellcheck disable=SC2317 # invoked through check
no_full_key() { ! grep -Eq 'aks_test_FAKELAVASECRET000123|lava_sk_FAKELAVASPEND000456' "$@"; }
check "no full key on lava-mcp's stdout or stderr" no_full_key "$tmp/login.out" "$tmp/login.err"

# The stored credentials are what the next command uses.
"${lava[@]}" status >"$tmp/status.out" 2>&1
check "lava-mcp status: secret key from the credentials file, as a hint" \
  grep -Eq "secret key: +aks_test_.*0123 \(from the credentials file\)" "$tmp/status.out"
check "lava-mcp status: no full key" no_full_key "$tmp/status.out"

exec 3>&-
wait "$fake_pid"
fake_rc=$?
fake_pid=""
check "lava_fake_services exits 0 when its stdin closes" test "$fake_rc" -eq 0

if [[ $failed -ne 0 ]]; then
  for f in login.out login.err status.out chromium.log fake.err; do
    [[ -s "$tmp/$f" ]] && { echo "# $f:"; tail -n 40 "$tmp/$f" | sed 's/^/#   /'; }
  done
fi
finish
