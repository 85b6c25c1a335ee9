#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang-14, ASan + UBSan) into build/fuzz and runs
# each one for a bounded time. Exits non-zero when any target crashes, hangs, runs out of memory
# or breaks one of its invariants.
#
#   scripts/fuzz.sh [seconds_per_target]        default 10 seconds per target
#
# Longer campaigns: give more seconds, e.g. `scripts/fuzz.sh 600` (10 minutes per target) or
# `scripts/fuzz.sh 3600` overnight. The grown corpus is kept in build/fuzz/run/<target>/corpus,
# so repeated runs continue where the last one stopped (delete that folder to start over).
#
# Environment:
#   FUZZ_TARGETS="fuzz_framing fuzz_lava_api"  run only these targets
#   FUZZ_FLAGS="-max_len=65536"                extra libFuzzer flags for every target
#   FUZZ_BUILD=<dir>                           build folder (default build/fuzz)
#
# The seed corpora in tests/fuzz/corpus are only read: libFuzzer writes new inputs into the copy
# under build/fuzz. Crashing inputs land in build/fuzz/run/<target>/artifacts; to keep one as a
# regression input, copy it to tests/fuzz/crashes/<target>-<short-name> (replayed by every run).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-10}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: $0 [seconds_per_target]" >&2
  exit 2
fi
build="${FUZZ_BUILD:-$root/build/fuzz}"
fuzz_dir="$root/tests/fuzz"
read -r -a targets <<<"${FUZZ_TARGETS:-fuzz_framing fuzz_schema_validator fuzz_translators fuzz_html_to_text fuzz_lava_api fuzz_http_fields fuzz_sse_reader fuzz_stream_decoders}"

# The toolchain (clang-14, libclang-rt-14-dev) is part of the test dependencies.
"$root/scripts/install_deps.sh" --test

echo "fuzz: building into $build" >&2
mkdir -p "$build"
CXX=clang++-14 cmake -S "$fuzz_dir" -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)" >"$build/build.log" 2>&1 ||
  { tail -n 60 "$build/build.log" >&2; exit 1; }

# "#123  DONE  cov: 45 ft: 67 corp: 8/900b ..." -> "execs=123 cov=45 ft=67 corpus=8"
stats() {
  local line
  line="$(grep -aE '^#[0-9]+' "$1" | tail -n 1 || true)"
  if [[ -z "$line" ]]; then
    echo "execs=0"
    return
  fi
  awk '{
    execs = substr($1, 2); cov = "?"; ft = "?"; corp = "?"
    for (i = 2; i < NF; i++) {
      if ($i == "cov:") cov = $(i + 1)
      if ($i == "ft:") ft = $(i + 1)
      if ($i == "corp:") { corp = $(i + 1); sub(/\/.*/, "", corp) }
    }
    printf "execs=%s cov=%s ft=%s corpus=%s", execs, cov, ft, corp
  }' <<<"$line"
}

passed=0
failed=0
summary=()
for target in "${targets[@]}"; do
  binary="$build/$target"
  if [[ ! -x "$binary" ]]; then
    summary+=("$(printf '%-22s FAIL  no such target' "$target")")
    failed=$((failed + 1))
    continue
  fi
  work="$build/run/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  # A copy of the seeds; inputs grown by earlier runs stay.
  cp -n "$fuzz_dir/corpus/$target"/* "$work/corpus/" 2>/dev/null || true
  status="PASS"
  notes=""

  # Regression inputs: every kept reproducer must run clean.
  total=0
  crashing=0
  for input in "$fuzz_dir/crashes/$target"-*; do
    [[ -e "$input" ]] || continue
    total=$((total + 1))
    if ! "$binary" -timeout=10 -rss_limit_mb=2048 "$input" >"$work/replay-$(basename "$input").log" 2>&1; then
      crashing=$((crashing + 1))
      notes+=" reproducer:$(basename "$input")"
    fi
  done
  if ((crashing > 0)); then
    status="FAIL"
    notes=" ($crashing/$total kept reproducers crash again)$notes"
  fi

  dict=()
  [[ -f "$fuzz_dir/dict/$target.dict" ]] && dict=("-dict=$fuzz_dir/dict/$target.dict")
  log="$work/fuzz.log"
  rc=0
  # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
  timeout --kill-after=30 $((seconds + 300)) \
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "${dict[@]}" ${FUZZ_FLAGS:-} "$work/corpus" >"$log" 2>&1 ||
    rc=$?
  if ((rc != 0)); then
    status="FAIL"
    artifact="$(grep -aoE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/Test unit written to //' || true)"
    reason="$(grep -aoE 'FUZZ INVARIANT FAILED[^)]*\)|runtime error: .*|ERROR: AddressSanitizer: [a-z-]+|ERROR: libFuzzer: [a-z -]+' "$log" | head -n 1 || true)"
    notes+=" fuzzing: rc=$rc ${reason:-see log}${artifact:+, input $artifact}"
  fi
  if [[ "$status" == "PASS" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    notes+=" [log $log]"
  fi
  summary+=("$(printf '%-22s %s  %s (%ss)%s' "$target" "$status" "$(stats "$log")" "$seconds" "$notes")")
done

printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
((failed == 0))
