#!/usr/bin/env bash
# Installs what the tests need, builds with warnings as errors, and runs every suite: unit,
# integration (the installed binary over raw stdio) and e2e (real MCP clients from npm), the
# portable POSIX units among them (CTest "portable: ..."); then the Debian package test, the unit
# and integration suites on the forced-portable build (LAVA_MCP_FORCE_PORTABLE), the same suite
# on an ASan + UBSan build, and a bounded fuzzing run (10 s per libFuzzer target).
# Arguments go to the first ctest run. LAVA_MCP_TEST_QUICK=1 skips the sanitizer and fuzzing runs.
# Then the Windows phase (tests/windows/run_wine.sh: the MinGW-w64 cross-build through ccache and
# its tests under Wine, against this build's fake services); LAVA_MCP_TEST_WINDOWS=0 skips it.
# With the compiler cache warm (it lives in ~/.cache/ccache, kept on the machine between runs,
# and a fresh clone in another folder hits it) the phase takes under a minute; from a cold cache
# 4 to 14 min on the 2-core machine, depending on its load (README "Windows").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${LAVA_MCP_TEST_BUILD:-$root/build/test}"

"$root/scripts/install_deps.sh" --test
"$root/scripts/install_e2e_deps.sh"
"$root/scripts/check_format.sh"  # seconds: an unformatted file fails before the builds

# Both builds below compile through ccache, set so that the second build folder finds the
# first one's objects: paths relative to the checkout, the folder-mapping flag (which names the
# build folder but makes the objects folder-independent) left out of the key, and the compiler's
# own dependency file instead of a second preprocessor run on a miss.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1 CCACHE_DEPEND=1
export CCACHE_IGNOREOPTIONS="-ffile-prefix-map=*"
configure() {  # Optimised as shipped, with line tables only: full debug info made it a fifth slower.
  cmake -S "$root" -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DLAVA_MCP_WARNINGS_AS_ERRORS=ON \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "${@:2}"
}
configure "$build"
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure "$@"
"$root/tests/package/package_test.sh" "$build"  # about 15 s: cpack twice, lintian, dpkg, one search

# The unit and integration suites again on the forced-portable build (docs/portability.md): the
# generic POSIX code of src/platform/ in the whole product. Only its targets are built, and
# everything but the platform units and the files that include the build folder comes from ccache.
portable_start=$SECONDS
configure "$build-portable" -DLAVA_MCP_FORCE_PORTABLE=ON >/dev/null
cmake --build "$build-portable" -j "$(nproc)" --target lava-mcp lava_mcp_package_docs unit_tests \
  integration_tests lava_fake_services
ctest --test-dir "$build-portable" -L 'unit|integration' -j "$(nproc)" --output-on-failure
echo "test.sh: forced-portable build and its unit and integration suites: $((SECONDS - portable_start)) s"
if [[ "${LAVA_MCP_TEST_WINDOWS:-1}" != "0" ]]; then
  LAVA_MCP_FAKE_SERVICES="$build/tests/fake_services/lava_fake_services" \
    "$root/tests/windows/run_wine.sh"  # prints its own time
fi

if [[ "${LAVA_MCP_TEST_QUICK:-0}" == "0" ]]; then
  "$root/scripts/sanitize.sh"
  "$root/scripts/fuzz.sh" 10
fi
