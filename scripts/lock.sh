#!/usr/bin/env bash
# Lock requirements/*.in into requirements/*.txt: every package pinned, with the sha256 of each file
# PyPI serves for it, so scripts/bootstrap.sh can install with --require-hashes.
# The dev lock is the union of all; the kiosk and central locks are resolved inside it, so the tests
# run exactly the versions that ship. Existing pins are kept unless you ask for a new version:
#   scripts/lock.sh                      after adding or removing a line in an .in file
#   scripts/lock.sh --upgrade-package X  to move X (and what it needs) to its newest version
#   scripts/lock.sh --upgrade            to move everything
set -euo pipefail
cd "$(dirname "$0")/../requirements"
uv=../.venv/bin/uv
[ -x "$uv" ] || { echo "uv is missing: run scripts/bootstrap.sh dev first" >&2; exit 1; }
# Debian 12 (glibc 2.36) on x86-64, Python 3.11. PyPI itself, whatever index or wheel folder this machine's pip is configured with: the hashes must
# be those of the files a fresh machine downloads.
common=(--quiet --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_36
  --index-url https://pypi.org/simple --no-config --custom-compile-command "scripts/lock.sh")
"$uv" pip compile "${common[@]}" "$@" dev.in -o dev.txt
for profile in kiosk central; do
  "$uv" pip compile "${common[@]}" -c dev.txt "$profile.in" -o "$profile.txt"
done
echo "Locked: requirements/dev.txt, kiosk.txt, central.txt"
