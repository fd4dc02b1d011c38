#!/usr/bin/env bash
# Refresh translations/*.ts from the tr() strings in ui/ (then translate the new entries, e.g. with
# .venv/bin/pyside6-linguist). Locations are left out so the files change only when strings do.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(git ls-files -co --exclude-standard 'ui/*.py' 'ui/**/*.py')
.venv/bin/pyside6-lupdate -locations none -no-obsolete "${sources[@]}" \
  -ts translations/green_kiosk_az.ts translations/green_kiosk_en.ts translations/green_kiosk_ru.ts
