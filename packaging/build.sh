#!/usr/bin/env bash
# One command for a release: set up (Debian build tools, .venv, translations), then build the bundle
# and the .deb into dist/. PyInstaller runs in .venv-build/ (run-time packages only; build.py makes it).
# Arguments go to packaging/build.py (--compression, --version, --out …).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
exec .venv/bin/python packaging/build.py "$@"
