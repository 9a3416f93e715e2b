#!/bin/sh
# Usage: render.sh PAGE.html [#FRAGMENT] > DOM.html
# Loads a page in headless Chromium and prints its DOM after the page's
# scripts ran. --virtual-time-budget lets the page settle without waiting
# in real time; `timeout` ends a browser that hangs (exit 124: the test
# fails instead of stalling CI). Chromium's own chatter on stderr is kept
# in a file next to the page, shown only when it fails.
page=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
if ! command -v chromium >/dev/null 2>&1; then
  echo "render.sh: chromium is not installed (scripts/install-deps.sh installs it;" \
       "configure with -DLOCKGRAPH_BROWSER_TESTS=OFF to skip these tests)" >&2
  exit 2
fi
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --no-first-run --user-data-dir="$profile" --virtual-time-budget=5000 \
  --dump-dom "file://$page$2" 2>"$page.chromium-stderr"
status=$?
if [ $status -ne 0 ]; then
  cat "$page.chromium-stderr" >&2
  echo "render.sh: chromium failed with status $status" >&2
fi
exit $status
