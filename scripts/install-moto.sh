#!/usr/bin/env bash
# Installs moto's server, which speaks the Route 53 and STS APIs over HTTP, for the deploy tests
# (issue 6). Pinned so every machine and CI run test against the same Route 53 behaviour.
# test/support/moto.global.ts runs this when no Python it knows can `import moto.server`.
# Safe to re-run. Tries the current python3 first; where pip refuses to install there (PEP 668
# "externally managed" Pythons, e.g. Debian's), installs into a venv at .tools/moto-venv instead.
set -euo pipefail

MOTO_VERSION="${MOTO_VERSION:-5.2.1}"
PYTHON="${FAILOVER_PYTHON:-python3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.tools/moto-venv"
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "install-moto: $PYTHON not found; install Python 3 (e.g. apt-get install python3 python3-venv)" >&2
  exit 1
fi

if "$PYTHON" -m pip install --quiet "moto[server]==${MOTO_VERSION}"; then
  "$PYTHON" -c "import moto, moto.server; print('moto ' + moto.__version__ + ' installed for ' + __import__('sys').executable)"
  exit 0
fi

echo "install-moto: pip refused to install into $PYTHON; using a venv at $VENV" >&2
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet "moto[server]==${MOTO_VERSION}"
"$VENV/bin/python" -c "import moto, moto.server; print('moto ' + moto.__version__ + ' installed in $VENV')"
