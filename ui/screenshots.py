"""Rendering every section in every language and orientation to PNG, with no screen needed.

Admins preview content this way, and developers look at what a visitor will see.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config import LANGUAGES
from kiosk.content.model import Announcement, LocalizedText
from ui.app import KioskApp
from ui.main_window import SECTION_KEYS

log = logging.getLogger(__name__)

SIZES = ((1920, 1080), (1080, 1920), (1366, 768))
VIEWS = (*SECTION_KEYS, "service-page")
OVERLAY_SIZES = ((1920, 1080), (1080, 1920))
OVERLAYS = ("pin-pad", "admin", "announcement", "emergency")
SAMPLE_ANNOUNCEMENT = {
    "az": "Bu gün saat 14:00-dan 15:00-dək elektrik şəbəkəsində planlı işlər aparılır. "
    "Xidmətlər fasiləsiz davam edir.",
    "en": "Planned work on the power grid today from 14:00 to 15:00. Services continue as usual.",
    "ru": "Сегодня с 14:00 до 15:00 плановые работы в электросети. Обслуживание продолжается.",
}


def render_screenshots(
    kiosk: KioskApp,
    out_dir: Path,
    *,
    sizes: tuple[tuple[int, int], ...] = SIZES,
    languages: tuple[str, ...] = LANGUAGES,
) -> list[Path]:
    """Write ``<view>_<language>_<w>x<h>[_large].png`` for every combination; returns the files written.

    Views are the three sections and the first featured service's page; ``_large`` is the large-text,
    high-contrast mode. Then, in the default language and in landscape and portrait only, the admin PIN
    pad, the admin screen and a sample announcement at both levels (``OVERLAYS``).
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
                        if view == "services":  # not the page a previous language left open
                            services.show_list()
                    QApplication.processEvents()
                    suffix = "_large" if large else ""
                    path = out_dir / f"{view}_{language}_{width}x{height}{suffix}.png"
                    if not window.grab().save(str(path), "PNG"):
                        raise OSError(f"cannot write {path}")
                    written.append(path)
    window.set_accessible(False)
    written += _render_overlays(kiosk, out_dir, sizes=tuple(s for s in sizes if s in OVERLAY_SIZES))
    log.info("Wrote %d screenshots to %s", len(written), out_dir)
    return written


def _render_overlays(kiosk: KioskApp, out_dir: Path, *, sizes: tuple[tuple[int, int], ...]) -> list[Path]:
    """The pages staff and announcements put above the sections: ``<overlay>_<language>_<w>x<h>.png``."""
    window = kiosk.window
    language = kiosk.languages.default
    kiosk.languages.set_language(language)
    now = datetime.now(UTC)
    text = LocalizedText(SAMPLE_ANNOUNCEMENT, key="screenshot-announcement")
    pages: dict[str, QWidget] = {
        "pin-pad": kiosk.admin.pin_pad,
        "admin": kiosk.admin.screen,
        "announcement": window.announcement_view,
        "emergency": window.announcement_view,
    }
    written: list[Path] = []
    for width, height in sizes:
        window.resize(width, height)
        QApplication.processEvents()
        window.resize(width, height)
        for overlay in OVERLAYS:
            if overlay == "pin-pad":
                kiosk.admin.pin_pad.reset()
                kiosk.admin.pin_pad.set_locked(False)
                for digit in "1234":
                    kiosk.admin.pin_pad.press(digit)
            elif overlay == "admin":
                kiosk.admin.screen.refresh()
            else:
                level = "info" if overlay == "announcement" else "emergency"
                sample = Announcement("screenshot", level, text, now, now + timedelta(hours=1))
                window.announcement_view.show_announcement(sample, language)
            window.show_overlay(pages[overlay])
            QApplication.processEvents()
            path = out_dir / f"{overlay}_{language}_{width}x{height}.png"
            if not window.grab().save(str(path), "PNG"):
                raise OSError(f"cannot write {path}")
            written.append(path)
    kiosk.admin.pin_pad.reset()
    window.show_overlay(None)
    return written
