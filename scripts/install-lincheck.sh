#!/usr/bin/env bash
# Builds the linearizability checker (tools/lincheck: Porcupine, pinned in its go.sum) into
# .tools/bin/lincheck (gitignored). Skipped when the binary was built from the same sources.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/tools/lincheck"
BIN="$ROOT/.tools/bin"
STAMP="$BIN/lincheck.stamp"

sources_hash() { cat "$SRC"/go.mod "$SRC"/go.sum "$SRC"/*.go | sha256sum | cut -d' ' -f1; }

if [ -x "$BIN/lincheck" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(sources_hash)" ]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-lincheck: Go is not installed; the linearizability tests need it (tools/lincheck)" >&2
  exit 1
fi
echo "install-lincheck: building tools/lincheck into .tools/bin" >&2
mkdir -p "$BIN"
(cd "$SRC" && CGO_ENABLED=0 go build -mod=readonly -o "$BIN/lincheck" .)
sources_hash >"$STAMP"
