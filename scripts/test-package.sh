#!/usr/bin/env bash
# Installs a build of lockgraph into a temporary prefix and uses it the way a
# separate project would (docs/install.md):
#  - testdata/package-consumer, with find_package(lockgraph): the Debug build
#    is instrumented and reports its planted lock-order inversion, whose two
#    halves are in a shared library and the executable (exit 66); the Release
#    build compiles the instrumentation out (silent, no lockgraph symbol);
#  - the installed lockgraph-run / lockgraph run catch the same inversion in
#    the Release binary's plain std::mutexes through the preload library;
#  - with the static half: lockgraph --version, lockgraph check (clang's
#    builtin headers found from the prefix), lockgraph_add_facts + lockgraph
#    graph, the clang-tidy plugin;
#  - testdata/package-consumer-pkgconfig, built with pkg-config.
# The prefix is installed, then moved: nothing may depend on where it was.
#
# Usage: scripts/test-package.sh BUILD_DIR   (CTest: package/install-and-consume)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:?usage: test-package.sh BUILD_DIR}" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/lockgraph-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "test-package: FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }

# expect_exit STATUS LOG CMD...: runs CMD with stdout and stderr in LOG.
expect_exit() {
  local want=$1 log=$2 got=0
  shift 2
  "$@" >"$log" 2>&1 || got=$?
  [[ $got == "$want" ]] || { cat "$log" >&2; fail "'$*' exited $got, expected $want"; }
}
# expect_in LOG REGEX
expect_in() {
  grep -qE -- "$2" "$1" || { cat "$1" >&2; fail "'$2' not in $(basename "$1")"; }
}
# quietly LOG CMD...: runs CMD, shows LOG only when it fails.
quietly() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "'$*' failed"; }
}

libdir=$(cache CMAKE_INSTALL_LIBDIR)
version=$(cache CMAKE_PROJECT_VERSION)
with_cli=$(cache LOCKGRAPH_BUILD_STATIC)

step "cmake --install into a staging prefix, then move it"
quietly "$work/install.log" cmake --install "$build" --prefix "$work/stage"
mv "$work/stage" "$work/prefix"
prefix=$work/prefix
for f in include/lockgraph/mutex.h include/lockgraph/hooks.h bin/lockgraph-run \
         "$libdir/liblockgraph-runtime.a" "$libdir/liblockgraph-preload.so" \
         "$libdir/cmake/lockgraph/lockgraphConfig.cmake" \
         "$libdir/cmake/lockgraph/lockgraphConfigVersion.cmake" \
         "$libdir/cmake/lockgraph/LockgraphFacts.cmake" \
         "$libdir/pkgconfig/lockgraph-runtime.pc"; do
  [[ -f $prefix/$f ]] || fail "not installed: $f"
done

consumer=$root/testdata/package-consumer
for config in Debug Release; do
  step "find_package consumer, $config"
  quietly "$work/$config-configure.log" cmake -S "$consumer" -B "$work/$config" -G Ninja \
    -DCMAKE_BUILD_TYPE=$config -DCMAKE_PREFIX_PATH="$prefix"
  quietly "$work/$config-build.log" cmake --build "$work/$config" --target orders
done

step "Debug: instrumented, reports the inversion"
expect_exit 66 "$work/debug.out" "$work/Debug/orders"
expect_in "$work/debug.out" "lockgraph: lock-order-inversion"
expect_in "$work/debug.out" 'lockgraph mutex class "Inventory::mu"'
expect_in "$work/debug.out" 'lockgraph mutex class "Orders::mu"'

for f in orders libshop.so; do nm -C "$work/Debug/$f"; done >"$work/debug.nm"
grep -q "lockgraph::" "$work/debug.nm" || fail "the Debug binaries have no lockgraph symbol"

step "Release: plain std types, silent, no lockgraph symbol"
expect_exit 0 "$work/release.out" "$work/Release/orders"
[[ ! -s $work/release.out ]] || { cat "$work/release.out" >&2; fail "the Release binary printed"; }
for f in orders libshop.so; do nm -C "$work/Release/$f"; done >"$work/release.nm"
if grep -i lockgraph "$work/release.nm"; then
  fail "the Release binaries reference lockgraph"
fi

step "installed lockgraph-run preloads the installed library into the Release binary"
expect_exit 66 "$work/run.out" env -u LOCKGRAPH_PRELOAD "$prefix/bin/lockgraph-run" "$work/Release/orders"
expect_in "$work/run.out" "lockgraph: lock-order-inversion"
expect_in "$work/run.out" "pthread_mutex"

if [[ $with_cli == ON ]]; then
  step "installed lockgraph: --version, run, check, facts, graph"
  expect_exit 0 "$work/version.out" "$prefix/bin/lockgraph" --version
  expect_in "$work/version.out" "^lockgraph $version\$"
  expect_exit 66 "$work/cli-run.out" env -u LOCKGRAPH_PRELOAD "$prefix/bin/lockgraph" run -- "$work/Release/orders"
  expect_in "$work/cli-run.out" "lockgraph: lock-order-inversion"
  # shop.h includes <cstddef>, which needs clang's builtin <stddef.h>.
  expect_exit 1 "$work/check.out" "$prefix/bin/lockgraph" check -p "$work/Debug" \
    "$consumer/shop.cpp" "$consumer/orders.cpp"
  expect_in "$work/check.out" "\[lockgraph-lock-order\]"
  if grep -q "file not found" "$work/check.out"; then cat "$work/check.out" >&2; fail "lockgraph check misses headers"; fi
  quietly "$work/facts.log" cmake --build "$work/Debug" --target shop-lockgraph_facts orders-lockgraph_facts
  expect_exit 0 "$work/graph.out" "$prefix/bin/lockgraph" graph \
    "$work/Debug/lockgraph_facts/shop" "$work/Debug/lockgraph_facts/orders"
  expect_in "$work/graph.out" '"Inventory::mu" -> "Orders::mu" \[.*color=red'

  step "installed clang-tidy plugin"
  expect_exit 0 "$work/plugin.out" clang-tidy-19 --load "$prefix/$libdir/libLockgraphTidyPlugin.so" \
    --checks='-*,lockgraph-*' --list-checks
  expect_in "$work/plugin.out" "lockgraph-lock-order"
fi

step "pkg-config consumer"
mkdir "$work/pkg-config"
quietly "$work/pkg-config.log" env PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" \
  make -C "$work/pkg-config" -f "$root/testdata/package-consumer-pkgconfig/Makefile"
expect_exit 66 "$work/pkg-config.out" "$work/pkg-config/accounts"
expect_in "$work/pkg-config.out" "lockgraph: lock-order-inversion"
expect_in "$work/pkg-config.out" "Account::mu"

echo "test-package: PASS"
