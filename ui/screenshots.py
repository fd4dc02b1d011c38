"""Rendering every section in every language and orientation to PNG, with no screen needed.

Admins preview content this way, and developers look at what a visitor will see.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from kiosk.config import LANGUAGES
from ui.app import KioskApp
from ui.main_window import SECTION_KEYS

log = logging.getLogger(__name__)

SIZES = ((1920, 1080), (1080, 1920))


def render_screenshots(
    kiosk: KioskApp,
    out_dir: Path,
    *,
    sizes: tuple[tuple[int, int], ...] = SIZES,
    languages: tuple[str, ...] = LANGUAGES,
) -> list[Path]:
    """Write ``<section>_<language>_<w>x<h>.png`` for every combination; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    window = kiosk.window
    kiosk.energy.poll()
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()
    window.show()
    written: list[Path] = []
    for width, height in sizes:
        window.resize(width, height)
        for language in languages:
            kiosk.languages.set_language(language)
            for key in SECTION_KEYS:
                window.show_section(key)
                QApplication.processEvents()
                path = out_dir / f"{key}_{language}_{width}x{height}.png"
                if not window.grab().save(str(path), "PNG"):
                    raise OSError(f"cannot write {path}")
                written.append(path)
    log.info("Wrote %d screenshots to %s", len(written), out_dir)
    return written
