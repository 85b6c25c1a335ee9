# shellcheck shell=bash
# lava_fake_services for the shell e2e tests: started in the background, its origin read.
#
#   . tests/e2e/fake_services.sh
#   lava_e2e_start_fake <path/to/lava_fake_services> <scratch dir> || ...   # sets fake_pid, origin
#   lava_e2e_stop_fake                                                      # in the EXIT trap
#
# The fake serves until its stdin closes: it reads a FIFO that this shell holds open on fd 3,
# so closing fd 3 (or this shell's exit) stops it. Its stdout and stderr go to fake.out and
# fake.err in the scratch dir.

fake_pid=""
origin=""

lava_e2e_start_fake() {
  local fake_bin="$1" dir="$2"
  mkfifo "$dir/fake.in"
  "$fake_bin" <"$dir/fake.in" >"$dir/fake.out" 2>"$dir/fake.err" &
  fake_pid=$!
  exec 3>"$dir/fake.in"
  origin=""
  for _ in $(seq 100); do # up to 10 s for its "origin http://127.0.0.1:PORT" line
    origin="$(sed -n 's|^origin \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$dir/fake.out")"
    [[ -n "$origin" ]] && return 0
    sleep 0.1
  done
  return 1
}

lava_e2e_stop_fake() {
  exec 3>&- 2>/dev/null # closing the fake's stdin stops it
  [[ -n "$fake_pid" ]] && kill "$fake_pid" 2>/dev/null
  fake_pid=""
}
