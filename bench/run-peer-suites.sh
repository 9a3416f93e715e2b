#!/usr/bin/env bash
# Runs other tools' lock tests under `lockgraph run`, built without those
# tools: ThreadSanitizer's deadlock and mutex tests (compiler-rt/test/tsan)
# and Helgrind's tc* lock tests (valgrind's helgrind/tests). Their sources
# are not part of lockgraph; point the script at checkouts of them.
#   usage: bench/run-peer-suites.sh LOCKGRAPH_RUN TSAN_TEST_DIR HELGRIND_TEST_DIR
# (either directory may be "-" to skip that suite). Prints, per program (and
# per case of TSan's deadlock_detector_stress_test, whose cases print
# "Starting TestN"), the kinds the peer's own expectations name, translated
# to lockgraph's report kinds, and what lockgraph reported. docs/figures.md
# has the result and a verdict per line.
set -uo pipefail

run=$1
tsan=$2
helgrind=$3
work=$(mktemp -d /tmp/lockgraph-peer.XXXXXX)
trap 'rm -rf "$work"' EXIT
: >"$work/config.h" # Helgrind's tests include valgrind's config.h; nothing in it is needed here

# name source compiler flags args expected-kinds
cases=()
if [[ $tsan != - ]]; then
  cases+=(
    "tsan/mutex_cycle2 $tsan/mutex_cycle2.c gcc - - lock-order-inversion"
    "tsan/mutex_cycle_long(5) $tsan/mutex_cycle_long.c gcc - 5 lock-order-inversion"
    "tsan/mutex_cycle_long(20) $tsan/mutex_cycle_long.c gcc - 20 lock-order-inversion"
    "tsan/mutex_cycle_long(30) $tsan/mutex_cycle_long.c gcc - 30 lock-order-inversion"
    "tsan/must_deadlock $tsan/must_deadlock.cc g++ - - lock-order-inversion,deadlock"
    "tsan/mutex_destroy_locked $tsan/mutex_destroy_locked.cc g++ - - destroy-locked"
    "tsan/deadlock_detector_stress(mutex) $tsan/deadlock_detector_stress_test.cc g++ -DLockType=PthreadMutex - per-case"
    "tsan/deadlock_detector_stress(spin) $tsan/deadlock_detector_stress_test.cc g++ -DLockType=PthreadSpinLock - per-case"
    "tsan/deadlock_detector_stress(rwlock) $tsan/deadlock_detector_stress_test.cc g++ -DLockType=PthreadRWLock - per-case"
  )
fi
if [[ $helgrind != - ]]; then
  cases+=(
    "helgrind/tc03_re_excl $helgrind/tc03_re_excl.c gcc - - none"
    "helgrind/tc04_free_lock $helgrind/tc04_free_lock.c gcc - - destroy-locked"
    "helgrind/tc09_bad_unlock $helgrind/tc09_bad_unlock.c gcc - - bad-unlock"
    "helgrind/tc10_rec_lock $helgrind/tc10_rec_lock.c gcc - - bad-unlock"
    "helgrind/tc12_rwl_trivial $helgrind/tc12_rwl_trivial.c gcc - - bad-unlock"
    "helgrind/tc13_laog1 $helgrind/tc13_laog1.c gcc - - lock-order-inversion"
    "helgrind/tc14_laog_dinphils $helgrind/tc14_laog_dinphils.c gcc - - lock-order-inversion"
    "helgrind/tc15_laog_lockdel $helgrind/tc15_laog_lockdel.c gcc - - lock-order-inversion"
    "helgrind/tc22_exit_w_lock $helgrind/tc22_exit_w_lock.c gcc - - none"
    "helgrind/tc23_bogus_condwait $helgrind/tc23_bogus_condwait.c gcc - - bad-unlock"
  )
fi

# TSan's stress test: what each case's CHECK lines expect (lock-order
# inversions), and what they expect of a read lock build only (Test8).
declare -A stress_expect=([Test1]=1 [Test2]=1 [Test3]=1 [Test4]=0 [Test5]=1 [Test6]=0 [Test7]=2 [Test8]=2)

printf '%-40s %-36s %s\n' program "expected (peer's own test)" "lockgraph run"
for entry in "${cases[@]}"; do
  read -r name source compiler flags args expected <<<"$entry"
  exe="$work/$(echo "$name" | tr '/()' '___')"
  [[ $flags == - ]] && flags=""
  [[ $args == - ]] && args=""
  if ! $compiler -O1 -g -pthread -I"$(dirname "$source")" -I"$work" $flags "$source" -o "$exe" 2>"$exe.build"; then
    printf '%-40s %s\n' "$name" "(does not build: $(head -1 "$exe.build"))"
    continue
  fi
  json="$exe.json"
  timeout 120 "$run" --report-path="$json" "$exe" $args >"$exe.out" 2>"$exe.err"
  status=$?
  if [[ $expected == per-case ]]; then
    python3 - "$exe.err" "$name" "$(declare -p stress_expect)" <<'PY'
import re, sys
err = open(sys.argv[1]).read()
expect = dict(re.findall(r'\[(\w+)\]="?(\d+)', sys.argv[3]))
for case in re.split(r'(?=Starting Test\d)', err):
    m = re.match(r'Starting (Test\d)', case)
    if not m:
        continue
    got = len(re.findall(r'==\d+== lockgraph: lock-order-inversion', case))
    print(f"{sys.argv[2] + ' ' + m.group(1):40} {expect[m.group(1)] + ' inversion(s)':36} {got} inversion(s)")
PY
    echo "  (exit $status)"
    continue
  fi
  got=$(python3 -c 'import json,sys
try: d=json.load(open(sys.argv[1]))
except Exception: print("(no report file)"); sys.exit()
k=[]
[k.append(r["kind"]) for r in d["reports"] if r["kind"] not in k]
print(",".join(k) or "none")' "$json")
  printf '%-40s %-36s %s (exit %d)\n' "$name" "$expected" "$got" "$status"
done
