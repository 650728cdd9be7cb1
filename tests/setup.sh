#!/usr/bin/env bash
# Installs what the interop tests compare against, into the checkout (idempotent):
#   .venv/            Python with Apache Avro's Python port (and the registry interop client)
# Tests find these by default; SCHEMACTL_PYTHON overrides the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
for req in tests/interop/requirements*.txt; do
  [ -f "$req" ] && .venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
done
if [ -f tests/interop/buf/package.json ]; then
  (cd tests/interop/buf && npm ci --no-audit --no-fund --silent)
fi
echo "setup: interop tools ready"
