#!/bin/sh
# A BROWSER for lava-mcp that opens the login URL ($1) in real headless Chromium (Debian's
# `chromium`), which follows the app's 302 to the local /callback like a user's browser would.
# Used by chromium_login.test.sh; lava-mcp runs it without a shell, stdout on /dev/null.
#
#   LAVA_E2E_CHROMIUM       the browser to run (default: chromium)
#   LAVA_E2E_CHROMIUM_DOM   where the final page's DOM goes (default: /dev/null); when set,
#                           Chromium's exit code is written to "$LAVA_E2E_CHROMIUM_DOM.rc" at the end
#   LAVA_E2E_CHROMIUM_LOG   where Chromium's stderr goes (default: /dev/null; it is noisy: D-Bus)
#
# Offline: the test must never send traffic off the machine, and --disable-background-networking
# and --disable-component-update alone do not achieve that. Chromium 156 still contacts
# accounts.google.com, update.googleapis.com and clients2.google.com (checked by pointing
# --proxy-server at a logging socket). So:
#   --host-resolver-rules  every host name fails to resolve inside Chromium (no DNS query is
#                          sent either); 127.0.0.1, where the fake app and the callback live,
#                          is excluded;
#   --proxy-server         anything that still tries goes to a closed loopback port. Chromium
#                          never proxies loopback addresses, so the login flow goes direct.
# Checked with strace: every TCP connect() is then to 127.0.0.1, and no DNS query is made. What
# remains is a UDP connect() to a public IPv6 address, Chromium's way of asking the kernel for
# a route: it sends no packet.
set -u

url="${1:?usage: chromium_browser.sh URL}"
dom="${LAVA_E2E_CHROMIUM_DOM:-/dev/null}"
log="${LAVA_E2E_CHROMIUM_LOG:-/dev/null}"
profile="$(mktemp -d "${TMPDIR:-/tmp}/lava-e2e-chromium-XXXXXX")" || exit 1

# --no-sandbox: the tests run as root (CI), where Chromium's sandbox refuses to start.
# --disable-dev-shm-usage: containers often have a tiny /dev/shm.
timeout 60 "${LAVA_E2E_CHROMIUM:-chromium}" \
  --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic \
  --no-first-run --no-default-browser-check --disable-background-networking \
  --disable-component-update --disable-sync --disable-extensions \
  --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
  --proxy-server='http://127.0.0.1:9' \
  --user-data-dir="$profile" --dump-dom "$url" >"$dom" 2>>"$log"
rc=$?

rm -rf "$profile"
if [ "$dom" != /dev/null ]; then
  echo "$rc" >"$dom.rc.tmp" && mv "$dom.rc.tmp" "$dom.rc" # atomic: the test polls for it
fi
exit "$rc"
