#!/usr/bin/env bash
# Installs Microsoft's SARIF multitool, used by the optional lit test that
# validates lockgraph's SARIF output against the SARIF 2.1.0 rules.
#
# It goes into a cache directory outside the repository (default
# /work/.cache/npm-sarif, override with LOCKGRAPH_SARIF_VALIDATOR_DIR) and
# is skipped quickly when already installed. Needs node and npm.
set -euo pipefail

dir="${LOCKGRAPH_SARIF_VALIDATOR_DIR:-/work/.cache/npm-sarif}"
tool="$dir/node_modules/.bin/sarif-multitool"

if [ -x "$tool" ]; then
  echo "sarif-multitool already installed: $tool"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-sarif-validator: npm not found; install nodejs and npm first" >&2
  exit 1
fi

mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund @microsoft/sarif-multitool
"$tool" --version >/dev/null 2>&1 || "$tool" help >/dev/null 2>&1 || true
echo "sarif-multitool installed: $tool"
