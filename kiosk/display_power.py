"""Asking the display to sleep outside opening hours where the platform allows: saving energy is the point."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

log = logging.getLogger(__name__)


def request_display_power(on: bool) -> bool:
    """Best effort: DPMS through ``xset`` on X11, ``wlopm`` on wlroots compositors (e.g. cage).

    Returns True when a command accepted the request; the kiosk paints black either way.
    """
    commands: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY") and shutil.which("wlopm"):
        commands.append(["wlopm", "--on" if on else "--off", "*"])
    if os.environ.get("DISPLAY") and shutil.which("xset"):
        commands.append(["xset", "dpms", "force", "on" if on else "off"])
    for command in commands:
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=5)
            log.info("Display power %s via %s", "on" if on else "off", command[0])
            return True
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("Could not switch the display %s with %s: %s", "on" if on else "off", command[0], exc)
    return False
