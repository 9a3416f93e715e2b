#!/usr/bin/env bash
# Builds lockgraph's libFuzzer targets (fuzz/*Fuzzer.cpp: facts files,
# runtime reports, baselines, LSP framing) with clang++-19 and
# -fsanitize=fuzzer,address,undefined, and runs each for SECONDS (default
# 5) from its seed corpus in fuzz/corpus/<reader>/. CI runs it for a few
# seconds per reader (scripts/test.sh); run it longer by hand:
#
#   scripts/fuzz.sh 600              # ten minutes per reader
#   scripts/fuzz.sh 60 facts         # one reader
#
# Inputs the fuzzer finds are kept in $out/corpus-<reader>/ (not in the
# source tree); a crash leaves crash-* there and fails the script.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=${1:-5}
shift || true
out="${LOCKGRAPH_FUZZ_BUILD_DIR:-$root/build/fuzz}"
cxx="${LOCKGRAPH_FUZZ_CXX:-clang++-19}"
command -v "$cxx" >/dev/null || { echo "fuzz.sh: $cxx not found" >&2; exit 2; }
launcher=()
command -v ccache >/dev/null && launcher=(ccache)
llvm=/usr/lib/llvm-19
flags=(-std=c++20 -O1 -g -w -fno-rtti -fsanitize=fuzzer,address,undefined -fno-sanitize=vptr
       -fno-sanitize-recover=undefined -I"$root/tool" -I"$root/tool/findings" -I"$root/tool/graph" -I"$root/tool/project" -I"$root/checks" -isystem "$llvm/include"
       -D_GNU_SOURCE -D__STDC_CONSTANT_MACROS -D__STDC_FORMAT_MACROS -D__STDC_LIMIT_MACROS)
mkdir -p "$out"

# reader -> fuzzer source and the sources it reads with.
declare -A sources=(
  [facts]="fuzz/FactsReaderFuzzer.cpp checks/analysis/FactsFile.cpp checks/analysis/BoundedJson.cpp checks/analysis/BlockingKinds.cpp"
  [runtime-report]="fuzz/RuntimeReportFuzzer.cpp tool/graph/RuntimeReport.cpp checks/analysis/BoundedJson.cpp"
  [baseline]="fuzz/BaselineFuzzer.cpp tool/findings/Baseline.cpp tool/findings/Findings.cpp tool/findings/OutputFile.cpp checks/analysis/BoundedJson.cpp"
  [lsp-framing]="fuzz/LspFramingFuzzer.cpp tool/lsp/JsonRpcTransport.cpp checks/analysis/BoundedJson.cpp"
)
readers=("$@")
[[ ${#readers[@]} -gt 0 ]] || readers=(facts runtime-report baseline lsp-framing)

# An object is rebuilt when it, or its dependency list, is missing, or when
# its source or any header it includes is newer: a header that changes a
# struct's layout (LockOrderFacts.h) must not leave an object built against
# the old one, which ASan then reports as an overflow in the reader.
objectIsStale() { # object
  [[ -f $1 && -f $1.d ]] || return 0
  local dep
  for dep in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$1.d"); do
    [[ $dep -nt $1 ]] && return 0
  done
  return 1
}

build() { # reader
  local objects=() src obj
  for src in ${sources[$1]}; do
    obj="$out/obj/${src//\//_}.o"
    mkdir -p "$out/obj"
    if objectIsStale "$obj"; then
      "${launcher[@]}" "$cxx" "${flags[@]}" -MMD -MF "$obj.d" -c "$root/$src" -o "$obj"
    fi
    objects+=("$obj")
  done
  local binary="$out/fuzz-$1" stale=0
  for obj in "${objects[@]}"; do [[ $obj -nt $binary ]] && stale=1; done
  [[ -f $binary && $stale == 0 ]] ||
    "$cxx" "${flags[@]}" "${objects[@]}" -L"$llvm/lib" -lLLVM-19 -Wl,-rpath,"$llvm/lib" -o "$binary"
}

status=0
for reader in "${readers[@]}"; do
  [[ -n ${sources[$reader]:-} ]] || { echo "fuzz.sh: unknown reader '$reader'" >&2; exit 2; }
  build "$reader"
  mkdir -p "$out/corpus-$reader"
  # -close_fd_mask=3: the readers print nothing worth seeing.
  if ! (cd "$out/corpus-$reader" && "$out/fuzz-$reader" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "$out/corpus-$reader" "$root/fuzz/corpus/$reader" > "$out/$reader.log" 2>&1); then
    echo "fuzz.sh: $reader: the fuzzer found a problem; see $out/$reader.log" >&2
    tail -30 "$out/$reader.log" >&2
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$reader.log" | grep -o '[0-9]*$' || echo '?')
  corpus=$(ls "$out/corpus-$reader" | wc -l)
  echo "fuzz $reader: $runs inputs in ${seconds} s, corpus $corpus files"
done
exit $status
