#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, then type check,
# lint, vitest (which starts DynamoDB Local and moto on 127.0.0.1 itself) and the k6 load test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n== %s\n' "$*"; }

step "dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# The project brings its own Node (the `node` package in package.json, Node 24 LTS); `npm test`
# already puts node_modules/.bin first on PATH, and this makes `bash scripts/test-all.sh` do the same.
export PATH="$PWD/node_modules/.bin:$PATH"
node_version="$(node --version)"
echo "node: $node_version ($(command -v node))"
node_major="${node_version#v}"
if [ "${node_major%%.*}" -lt 24 ]; then
  echo "test-all: Node $node_version is older than 24: node_modules/.bin/node is missing (see npm ci's output)" >&2
  exit 1
fi
bash scripts/install-tools.sh

step "type check"
npm run --silent typecheck

step "lint and format"
npm run --silent lint

step "unit, contract and integration tests (vitest)"
mkdir -p results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=results/vitest.json || status=$?

# The router ships on Bun as well (deploy/Dockerfile.bun), so its tests run on Bun too: the same
# files, under the Bun the lockfile pins (devDependency `bun`).
step "router tests on Bun"
bash scripts/test-router-bun.sh || status=$?

if [ -x scripts/loadtest-ci.sh ]; then
  step "k6 load test through a live failover"
  bash scripts/loadtest-ci.sh || status=$?
fi

# The port reservations the test processes held (core/free-port.ts): vitest stops its workers
# with a signal, so they could not remove their own.
node --import tsx -e 'import("./core/free-port.ts").then((m) => m.sweepStaleReservations())' || true

step "summary"
node scripts/print-test-summary.mjs results/vitest.json results/failover-summary.json
exit "$status"
