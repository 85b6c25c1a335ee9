#!/usr/bin/env bash
# Fails when a C++ file in src/, tests/ or bench/ differs from what clang-format-14 makes of it
# with the project's .clang-format; `scripts/check_format.sh --fix` formats them instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mapfile -t files < <(git ls-files -- 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')
if [[ "${1:-}" == "--fix" ]]; then
  clang-format-14 -i "${files[@]}"
  exit 0
fi
findings="$(mktemp)"
trap 'rm -f "$findings"' EXIT
if ! clang-format-14 --dry-run --Werror "${files[@]}" 2>"$findings"; then
  grep -E '^[^ ].*: error:' "$findings" | cut -d: -f1 | sort -u | sed 's/^/unformatted: /' >&2
  echo "check_format: run scripts/check_format.sh --fix" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
