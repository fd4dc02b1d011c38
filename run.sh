#!/usr/bin/env bash
# Set up (first run only) and start the kiosk. Arguments go to main.py: --windowed, --screenshot DIR, …
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh runtime
needs_screen=yes
for arg in "$@"; do  # these need no screen: help, PNGs, the offscreen self-test
  case "$arg" in -h|--help|--screenshot|--screenshot=*|--self-test) needs_screen=no ;; esac
done
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ] && [ "$needs_screen" = yes ]; then
  cat <<'MSG'
Green Kiosk is set up, but this machine has no screen (neither DISPLAY nor WAYLAND_DISPLAY is set).
To see it:
  - on a desktop:           ./run.sh --windowed
  - without a screen:       ./run.sh --screenshot screenshots    (PNG of every section, both orientations)
  - in a virtual screen:    xvfb-run -s '-screen 0 1920x1080x24' ./run.sh
MSG
  exit 0
fi
exec .venv/bin/python main.py "$@"
