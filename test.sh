#!/usr/bin/env bash
# Set up (first run only), lint, type-check and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh dev
echo "== ruff"
.venv/bin/ruff check kiosk ui central tests benchmarks packaging main.py
.venv/bin/ruff format --check kiosk ui central tests benchmarks packaging main.py
echo "== mypy"
.venv/bin/mypy
echo "== import contracts (pyproject.toml [tool.importlinter])"
.venv/bin/lint-imports --no-cache
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
