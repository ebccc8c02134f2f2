#!/usr/bin/env bash
# CI's load test: the k6 failover script, for real but short, against the live stack on
# 127.0.0.1 with synchronous replication. Fails when a k6 threshold fails or an acknowledged
# write is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
node bin/failover.js loadtest failover --replication sync --duration 30s --rate 50 --results results
