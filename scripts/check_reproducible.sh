#!/usr/bin/env bash
# Reproducibility of the release: builds the Release binary twice from this checkout, in two
# build folders of different paths and depths, with SOURCE_DATE_EPOCH set and no compiler cache,
# packages each with cpack, and compares the binaries and the .deb files byte for byte.
#
#   scripts/check_reproducible.sh [JOBS]     (JOBS defaults to nproc)
#
# Not part of scripts/test.sh: two whole Release builds (docs/packaging.md has the time it took).
# The cheap halves run there: the package test packages twice and compares the bytes, and
# checks that the binary names no build or source folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="${1:-$(nproc)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ -z "${SOURCE_DATE_EPOCH:-}" ]]; then
  SOURCE_DATE_EPOCH="$(git -C "$root" log -1 --format=%ct)"
  export SOURCE_DATE_EPOCH
fi
export CCACHE_DISABLE=1  # a cached object would make the two builds one

release() {  # builds and packages in folder $1
  cmake -S "$root" -B "$1" -DCMAKE_BUILD_TYPE=Release -DLAVA_MCP_BUILD_TESTS=OFF >/dev/null
  cmake --build "$1" -j "$jobs" --target lava-mcp lava_mcp_package_docs >/dev/null
  (cd "$1" && cpack -G DEB >/dev/null)
}
first="$work/a"
second="$work/deeper/other/b"
start=$SECONDS
release "$first"
release "$second"
status=0
if ! cmp "$first/src/lava-mcp" "$second/src/lava-mcp"; then
  echo "check_reproducible: the two Release binaries differ" >&2
  status=1
fi
for deb in "$first"/lava-mcp_*.deb; do
  if ! cmp "$deb" "$second/$(basename "$deb")"; then
    echo "check_reproducible: the two packages differ: $(basename "$deb")" >&2
    status=1
  fi
done
if ((status == 0)); then
  echo "check_reproducible: the same bytes twice (binary and $(basename "$first"/lava-mcp_*.deb)), $((SECONDS - start)) s"
fi
exit "$status"
