#!/usr/bin/env bash
# Runs the runtime test programs (testdata/runtime) under `lockgraph run` and
# under Valgrind's Helgrind, and prints, per program, what each tool
# reported and how long the run took. Programs with a planted bug should be
# reported; programs without one (clean_program, mutex_churn) should stay
# silent.
#
# usage: bench/compare-helgrind.sh [build-dir]   (default: <repo>/build)
# Needs a build with the runtime (scripts/build.sh) and valgrind.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
bin="$build/testdata/runtime/bin"
lockgraph="$build/bin/lockgraph"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
limit=120 # seconds per run; programs that really deadlock are stopped here

# program | planted bug | extra lockgraph run options
programs=(
  "abba|lock-order-inversion|"
  "three_cycle|lock-order-inversion|"
  "two_cycles|lock-order-inversion|"
  "rwlock_inversion|lock-order-inversion|"
  "recursive_lock|recursive-lock|--halt-on-error"
  "bad_unlock|bad-unlock|"
  "destroy_locked|destroy-locked|"
  "real_deadlock|deadlock|--deadlock-timeout-ms=300"
  "clean_program|none|"
  "mutex_churn|none|"
)

# What Helgrind's messages mean in lockgraph's report kinds.
helgrind_kinds() {
  local log=$1 kinds=()
  grep -q 'lock order .* violated' "$log" && kinds+=(lock-order-inversion)
  grep -q 'Attempt to re-lock a non-recursive lock' "$log" && kinds+=(recursive-lock)
  grep -Eq 'unlocked a not-locked lock|unlocked lock .* currently held by|unlocked an invalid lock' "$log" &&
    kinds+=(bad-unlock)
  grep -Eq 'destroy of a locked mutex|pthread_mutex_destroy of a locked mutex' "$log" && kinds+=(destroy-locked)
  local IFS=,
  echo "${kinds[*]:-none}"
}

lockgraph_kinds() {
  python3 - "$1" <<'EOF'
import json, sys
try:
    reports = json.load(open(sys.argv[1])).get("reports", [])
except (OSError, ValueError):
    reports = []
kinds = sorted({r.get("kind", "?") for r in reports})
print(",".join(kinds) or "none")
EOF
}

seconds_of() { # runs "$@" with the time limit, prints wall seconds
  local start end
  start=$(date +%s.%N)
  timeout -s KILL "$limit" "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}

printf '%-18s %-22s %-34s %8s   %-34s %8s\n' program "planted bug" "lockgraph run reports" "time" \
  "helgrind reports" "time"
for entry in "${programs[@]}"; do
  IFS='|' read -r name bug options <<<"$entry"
  program="$bin/$name"
  report="$work/$name.json"
  # shellcheck disable=SC2086 # options is a list of words
  t_lockgraph=$(seconds_of "$lockgraph" run $options --report-path="$report" -- "$program")
  t_helgrind=$(seconds_of valgrind --tool=helgrind --log-file="$work/$name.helgrind" "$program")
  printf '%-18s %-22s %-34s %7ss   %-34s %7ss\n' "$name" "$bug" "$(lockgraph_kinds "$report")" "$t_lockgraph" \
    "$(helgrind_kinds "$work/$name.helgrind")" "$t_helgrind"
done
