#!/usr/bin/env bash
# The Debian package end to end, from a configured build folder: cpack writes
# lava-mcp_<version>_<arch>.deb, lintian finds no error, dpkg installs it into a scratch root
# (whose package database holds this machine's entries of the packages it depends on, so dpkg
# checks the dependencies against what is really installed), the installed binary prints its version and answers one search
# offline, and dpkg purges it again, leaving nothing behind. cpack twice must give the same bytes,
# and the binary must name neither the source nor the build folder.
#
#   tests/package/package_test.sh BUILD_DIR
set -euo pipefail
build="$(cd "${1:?usage: package_test.sh BUILD_DIR}" && pwd)"
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
arch="$(dpkg --print-architecture)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "package test: $*" >&2
  exit 1
}

# The package's file dates, as scripts/package.sh sets them: the same commit, the same bytes.
source_dir="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")"
if [[ -z "${SOURCE_DATE_EPOCH:-}" ]]; then  # outside a git checkout: the top CMakeLists.txt's date
  SOURCE_DATE_EPOCH="$(git -C "$source_dir" log -1 --format=%ct 2>/dev/null ||
    stat -c %Y "$source_dir/CMakeLists.txt")"
  export SOURCE_DATE_EPOCH
fi
cmake --build "$build" --target lava-mcp lava_mcp_package_docs >/dev/null
package() {  # cpack in a fresh folder $1: prints the .deb's path
  mkdir -p "$1"
  (cd "$1" && cpack --config "$build/CPackConfig.cmake" -G DEB >"$1/cpack.log" 2>&1) ||
    fail "cpack failed: $(cat "$1/cpack.log")"
  [[ -f "$1/lava-mcp_${version}_${arch}.deb" ]] || fail "cpack wrote no lava-mcp_${version}_${arch}.deb"
  echo "$1/lava-mcp_${version}_${arch}.deb"
}
deb="$(package "$work/first")"
# Reproducible packaging: cpack again, elsewhere and at least a second later, gives the same
# bytes (file dates from SOURCE_DATE_EPOCH, gzip -9n, a stable member order). The compiled
# binary's own reproducibility (a second whole build) is scripts/check_reproducible.sh.
sleep 1
cmp -s "$deb" "$(package "$work/second/again")" || fail "a second cpack gave other bytes"
if strings "$build/src/lava-mcp" | grep -qF -e "$build" -e "$source_dir"; then
  fail "the binary names the build or source folder"
fi
depends="$(dpkg-deb -f "$deb" Depends)"
for library in libc6 libcurl4 libssl3 libstdc++6; do  # dpkg-shlibdeps's, and libcurl4 (loaded)
  [[ "$depends" == *"$library "* ]] || fail "Depends lacks $library: $depends"
done
if ! report="$(lintian --fail-on error "$deb" 2>&1)"; then
  echo "$report" >&2
  fail "lintian reports an error"
fi

root="$work/root"
admin="$root/var/lib/dpkg"
mkdir -p "$admin/updates" "$admin/info"
for package in $(tr ',' '\n' <<<"$depends" | awk '{print $1}'); do
  dpkg-query -s "$package" >>"$admin/status" 2>/dev/null || fail "$package is not installed here"
  echo >>"$admin/status"
  touch "$admin/info/$(dpkg-query -W -f='${binary:Package}' "$package").list"  # its files: none here
done
touch "$admin/available"
scratch_dpkg() { dpkg --instdir="$root" --admindir="$admin" "$@"; }
scratch_dpkg -i "$deb" >/dev/null
installed="$root/usr/bin/lava-mcp"
[[ -x "$installed" ]] || fail "no /usr/bin/lava-mcp after dpkg -i"
[[ -f "$root/usr/share/man/man1/lava-mcp.1.gz" ]] || fail "no man page installed"
[[ -f "$root/usr/share/doc/lava-mcp/copyright" ]] || fail "no copyright installed"
[[ "$("$installed" --version)" == "$version" ]] || fail "--version is not $version"

# Offline: no keys, and a gateway address nothing listens on; the embedded catalog answers.
mkdir -m 0700 "$work/home"
answer="$(env -i PATH=/usr/bin:/bin HOME="$work/home" LAVA_API_URL=http://127.0.0.1:9 \
  "$installed" call search --args '{"query":"web search"}')" || fail "search failed: $answer"
[[ "$answer" == *'Found '*' providers for \"web search\" (embedded catalog'* ]] ||
  fail "search did not answer from the embedded catalog: ${answer:0:300}"

scratch_dpkg --purge lava-mcp >/dev/null
[[ ! -e "$installed" && ! -e "$root/usr/share/doc/lava-mcp" ]] || fail "purge left files"
if scratch_dpkg -s lava-mcp >/dev/null 2>&1; then
  fail "still registered after purge"
fi
echo "package test: $(basename "$deb") built, lintian clean of errors, installed, ran, purged"
