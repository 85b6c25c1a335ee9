#!/bin/sh
# A stand-in browser for login tests: follows the login URL (and its redirect to the local
# callback) like a user who clicked through. lava-mcp hands the browser a file:// page that
# redirects to the URL (so the URL is not in argv); curl does not follow a meta refresh, so the
# page's link is read here. A plain URL is followed as it is.
#   LAVA_TEST_BROWSER_RECORD   when set, this script's argv and environment are written there
#                              first (tests check that neither holds the state or a key)
if [ -n "${LAVA_TEST_BROWSER_RECORD:-}" ]; then
  { printf 'argv:'; printf ' %s' "$@"; printf '\n'; env; } >"$LAVA_TEST_BROWSER_RECORD.tmp" &&
    mv "$LAVA_TEST_BROWSER_RECORD.tmp" "$LAVA_TEST_BROWSER_RECORD"
fi
url="$1"
case "$url" in
file://*)
  url="$(sed -n 's/.*<a id="login" href="\([^"]*\)".*/\1/p' "${url#file://}" | sed 's/&amp;/\&/g')"
  ;;
esac
exec curl -sS -L --max-time 20 -o /dev/null "$url"
