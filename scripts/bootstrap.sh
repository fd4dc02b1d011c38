#!/usr/bin/env bash
# Set up everything Green Kiosk needs on a Debian machine: Debian libraries for Qt (when root),
# the .venv with pinned packages, and the compiled translations. Idempotent and quick when done.
# Usage: scripts/bootstrap.sh runtime|dev|central|preview   (central: the server only, no Qt;
# preview: the kiosk's packages in .venv-preview, for the server's console previews, apart from its venv)
set -euo pipefail
profile=${1:-runtime}
cd "$(dirname "$0")/.."
# One lock per profile, every file's hash in it (scripts/lock.sh writes them from requirements/*.in).
venv=.venv
case "$profile" in
  runtime) lock=requirements/kiosk.txt ;;
  central) lock=requirements/central.txt ;;
  dev) lock=requirements/dev.txt ;;
  preview) lock=requirements/kiosk.txt; venv=.venv-preview ;;
  *) echo "Unknown profile '$profile': use runtime, dev, central or preview." >&2; exit 2 ;;
esac

# Qt's xcb/wayland platform plugins, QtMultimedia (PulseAudio client) and fonts need these.
runtime_debs=(libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
  libglib2.0-0 libpulse0 libwayland-cursor0 libwayland-egl1 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0)
# The tests also make videos (ffmpeg), decode QR codes (zbarimg), serve content with nginx and
# open real windows under Xvfb. Packaging (tests/packaging): PyInstaller needs binutils (objdump);
# the .deb is checked with lintian, its service with systemd-analyze (which wants cage, the ExecStart).
# The central server's tests run on a throwaway PostgreSQL cluster too, its console in headless Chromium.
# The update repository (packaging/repo.py) is built with apt-ftparchive (apt-utils) and signed with gpg;
# its signature is checked with sqv too, the verifier of Debian 13's apt. debootstrap makes the minimal
# Debian root the .deb is installed into with apt (tests/packaging/test_bare_root.py).
dev_debs=(ffmpeg zbar-tools nginx-light xvfb binutils lintian systemd cage postgresql chromium apt-utils gpg gpg-agent sqv
  debootstrap)

# The central server reads uploaded videos and pictures with ffprobe (in Debian's ffmpeg package).
central_debs=(ffmpeg)

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Green Kiosk needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

wanted=("${runtime_debs[@]}")
[ "$profile" = central ] && wanted=("${central_debs[@]}")
[ "$profile" = dev ] && wanted+=("${dev_debs[@]}")
# A fresh Debian python3 has no ensurepip: python3-venv brings it.
"$python" -c 'import ensurepip' 2>/dev/null || wanted+=("python3-venv")
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Green Kiosk needs these Debian packages. Install them as root, then run this again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "== Creating $venv"
  "$python" -m venv "$venv"
fi
stamp=$venv/.green-kiosk-$profile
want=$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "== Installing Python packages ($lock)"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e .
  echo "$want" > "$stamp"
fi

# Translations: .ts are the sources, .qm are built here (never committed).
shopt -s nullglob
[ -x "$venv/bin/pyside6-lrelease" ] || exit 0  # the central profile has no Qt
for ts in translations/*.ts; do
  qm=${ts%.ts}.qm
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    "$venv/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
  fi
done
