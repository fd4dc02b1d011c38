"""Where the kiosk's bundled files live, from source and from a PyInstaller bundle alike."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder holding ``resources/`` and ``translations/``."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


RESOURCES_DIR = app_root() / "resources"
TRANSLATIONS_DIR = app_root() / "translations"
DEMO_CONTENT_DIR = RESOURCES_DIR / "demo"
