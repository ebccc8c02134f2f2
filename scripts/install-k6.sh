#!/usr/bin/env bash
# Builds k6 from its Go module into .tools/bin (gitignored) when no k6 is on PATH, so the load
# tests work on a fresh machine. Pinned: every machine runs the scripts on the same k6.
set -euo pipefail
K6_VERSION="${K6_VERSION:-v1.8.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.tools/bin"

if [ -x "$BIN/k6" ] && "$BIN/k6" version 2>/dev/null | grep -q "${K6_VERSION}"; then
  exit 0
fi
if command -v k6 >/dev/null 2>&1 && k6 version 2>/dev/null | grep -q "${K6_VERSION}"; then
  mkdir -p "$BIN" && ln -sf "$(command -v k6)" "$BIN/k6"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-k6: neither k6 ${K6_VERSION} nor Go is installed; install one of them" >&2
  exit 1
fi
echo "install-k6: building k6 ${K6_VERSION} with go install (a few minutes the first time)" >&2
mkdir -p "$BIN"
GOBIN="$BIN" CGO_ENABLED=0 go install "go.k6.io/k6@${K6_VERSION}"
"$BIN/k6" version
