#!/usr/bin/env bash
# Lint and type-check first (ruff.toml, mypy.ini), then the whole test suite (Redis is started by the tests
# themselves; PostgreSQL is used when reachable). A finding stops here with its output, before any test runs.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/mypy workflows storage extractors doc_templates
export OMP_THREAD_LIMIT=1
exec .venv/bin/python -m pytest "$@"
