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

SIZES = ((1920, 1080), (1080, 1920), (1366, 768))
VIEWS = (*SECTION_KEYS, "service-page")


def render_screenshots(
    kiosk: KioskApp,
    out_dir: Path,
    *,
    sizes: tuple[tuple[int, int], ...] = SIZES,
    languages: tuple[str, ...] = LANGUAGES,
) -> list[Path]:
    """Write ``<view>_<language>_<w>x<h>[_large].png`` for every combination; returns the files written.

    Views are the three sections and the first featured service's page; ``_large`` is the large-text,
    high-contrast mode.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    window = kiosk.window
    kiosk.energy.poll()
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()
    window.show()
    written: list[Path] = []
    services = kiosk.window.services_section
    for large in (False, True):
        window.set_accessible(large)
        for width, height in sizes:
            window.resize(width, height)
            QApplication.processEvents()
            window.resize(width, height)  # again: the layout for the new orientation may need less room
            for language in languages:
                kiosk.languages.set_language(language)
                for view in VIEWS:
                    if view == "service-page":
                        window.show_section("services")
                        featured = window.featured or tuple(card.service for card in services.cards)
                        if not featured:
                            continue
                        services.open_service(featured[0])
                    else:
                        window.show_section(view)
                    QApplication.processEvents()
                    suffix = "_large" if large else ""
                    path = out_dir / f"{view}_{language}_{width}x{height}{suffix}.png"
                    if not window.grab().save(str(path), "PNG"):
                        raise OSError(f"cannot write {path}")
                    written.append(path)
    window.set_accessible(False)
    log.info("Wrote %d screenshots to %s", len(written), out_dir)
    return written
