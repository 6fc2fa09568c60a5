#!/usr/bin/env bash
# Run the whole test suite (Redis is started by the tests themselves; PostgreSQL is used when reachable).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_THREAD_LIMIT=1
exec .venv/bin/python -m pytest "$@"
