#!/usr/bin/env bash
# Builds the `lockgraph` command line and the clang-tidy plugin with
# AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/ (or
# $LOCKGRAPH_ASAN_BUILD_DIR) and runs the lit suites of the static half
# (testdata/checks, cli, wholeprogram, lsp, plugin) against it. Any
# sanitizer report fails the test that triggered it. Too slow for every CI
# run (a full sanitized build); run it before a release or after changing
# a reader, and record the figures in docs/figures.md.
#
#   scripts/sanitizer-test.sh            # build (incremental) and test
#   scripts/sanitizer-test.sh cli        # one suite
#
# The plugin is loaded into the uninstrumented clang-tidy-19, so the ASan
# runtime is preloaded into every test process; leak checking is left to
# the processes that are lockgraph's own (see the ASAN_OPTIONS below).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LOCKGRAPH_ASAN_BUILD_DIR:-$root/build-asan}"
sanitize="-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

if [[ ! -f "$build/build.ninja" ]]; then
  # -O1 -g1: stack traces with lines, and a build that takes a fraction of
  # the time of -O2 -g on the 2-core machine.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" -DCMAKE_C_FLAGS_RELEASE="-O1 -g1" \
    -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_C_FLAGS="$sanitize" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize" -DCMAKE_SHARED_LINKER_FLAGS="$sanitize" \
    -DCMAKE_MODULE_LINKER_FLAGS="$sanitize" \
    -DLOCKGRAPH_BUILD_RUNTIME=OFF -DLOCKGRAPH_BUILD_BENCH=OFF
fi
cmake --build "$build" -j "$(nproc)" --target lockgraph lockgraph-tidy-plugin
suites=("$@")
[[ ${#suites[@]} -gt 0 ]] || suites=(checks cli wholeprogram lsp plugin)
dirs=()
for s in "${suites[@]}"; do dirs+=("$root/testdata/$s"); done

# GCC's ASan runtime, preloaded so that clang-tidy-19 can load the
# sanitized plugin; halt on the first report of either sanitizer.
asan_runtime="$(${CXX:-c++} -print-file-name=libasan.so)"
export LD_PRELOAD="$asan_runtime"
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LOCKGRAPH_LIT_SITE_CONFIG="$build/testdata/lit.site.cfg.py"
start=$(date +%s)
python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv -j "$(nproc)" "${dirs[@]}"
echo "sanitizer-test: lit suites ${suites[*]} passed under ASan+UBSan in $(( $(date +%s) - start )) s"
