#!/bin/sh
# Usage: make_db.sh <build dir> <source dir> <file>...: writes
# <build dir>/compile_commands.json compiling each file with -std=c++20.
build=$1; src=$2; shift 2
mkdir -p "$build"
{
  echo '['
  sep=''
  for f in "$@"; do
    printf '%s{"directory": "%s", "file": "%s/%s", "command": "clang++ -std=c++20 -c %s/%s"}\n' "$sep" "$build" "$src" "$f" "$src" "$f"
    sep=','
  done
  echo ']'
} > "$build/compile_commands.json"
