#!/usr/bin/env bash
# The whole test suite (unit, integration, e2e) on a build with AddressSanitizer and
# UndefinedBehaviorSanitizer: any finding aborts the process that has it, and so fails its test.
# Part of scripts/test.sh; run alone with `scripts/sanitize.sh [ctest arguments]`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${LAVA_MCP_SANITIZE_BUILD:-$root/build/sanitize}"

"$root/scripts/install_deps.sh" --test

# -O0 -g1: compiling the instrumented code is the longest step of CI, and at -O1 -g it took twice
# as long (14 min against 7.5 on 2 cores) while the tests ran only a minute faster; line tables
# are all a sanitizer's stack trace needs. Warnings are not errors here: GCC's flow-based warnings
# (-Wmaybe-uninitialized in libstdc++'s regex, for one) misfire on instrumented code, and the
# plain build in scripts/test.sh already holds the code to -Werror.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O0" \
  -DLAVA_MCP_SANITIZE=ON -DLAVA_MCP_WARNINGS_AS_ERRORS=OFF
cmake --build "$build" -j "$(nproc)"
# Leaks count as findings too; a report names the test's process and exits non-zero.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The resolver-budget test asserts wall-clock bounds (3 s budgets under a DNS server that is
# silent or 4 s late), and at -O0 with ASan the whole run took 4.0 and 5.0 s against its 3.8 s
# bound (why the late case takes a second more there is not yet known: noted in the issue). The
# optimised build in scripts/test.sh runs it; this build checks memory safety, which every other
# HTTP client test still exercises.
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure \
  -E "^network: a resolver that never answers" "$@"
