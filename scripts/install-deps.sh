#!/usr/bin/env bash
# Installs everything lockgraph needs to build, test and run on Debian 12.
# Idempotent: when every package is already present it only checks and exits.
set -euo pipefail

packages=(
  build-essential cmake ninja-build python3 python3-yaml git nodejs npm
  clang-19 libclang-19-dev llvm-19-dev llvm-19-tools clang-tidy-19
  libclang-rt-19-dev
  libgtest-dev libgmock-dev libbenchmark-dev valgrind
  neovim
  chromium
  pkg-config
)

missing=()
for p in "${packages[@]}"; do
  # A machine may have node and npm from elsewhere (NodeSource); keep them.
  if [[ $p == nodejs || $p == npm ]] && command -v npm >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Microsoft's SARIF validator, for the test that validates our SARIF.
"$(dirname "${BASH_SOURCE[0]}")/install-sarif-validator.sh" >/dev/null
