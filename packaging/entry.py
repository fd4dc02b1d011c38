"""Entry point of the packaged build: one bundle, two programs, told apart by the executable's name.

``green-kiosk`` is the kiosk (main.py); ``kioskctl`` is the admin and IT command line. Both share one
``_internal`` folder, so the bundle carries Python and Qt once.
"""

from __future__ import annotations

import sys
from pathlib import Path


def run() -> int:
    program = Path(sys.executable if getattr(sys, "frozen", False) else sys.argv[0]).stem
    if program == "kioskctl":
        from kiosk.cli import main as kioskctl_main

        return kioskctl_main()
    from main import main as kiosk_main

    return kiosk_main()


if __name__ == "__main__":
    sys.exit(run())
