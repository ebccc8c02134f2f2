#!/usr/bin/env bash
# The router's tests on Bun (issue 18 item 4): the same files as on Node, run by vitest under Bun.
# Needs a Bun binary: $BUN, the npm `bun` package (a pinned devDependency), or bun on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
bun="${BUN:-}"
if [[ -z "$bun" && -x node_modules/bun/bin/bun.exe ]]; then bun=node_modules/bun/bin/bun.exe; fi
if [[ -z "$bun" ]] && command -v bun >/dev/null; then bun=bun; fi
if [[ -z "$bun" ]]; then
  echo "no Bun binary: set BUN=<path>, put bun on PATH, or run npm ci (the bun devDependency)" >&2
  exit 2
fi
exec "$bun" --bun node_modules/vitest/vitest.mjs run test/router "$@"
