#!/usr/bin/env bash
# Lint first (ruff.toml), then the whole test suite (Redis is started by the tests themselves; PostgreSQL is used
# when reachable). A lint finding stops here with its output, before any test runs.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
export OMP_THREAD_LIMIT=1
exec .venv/bin/python -m pytest "$@"
