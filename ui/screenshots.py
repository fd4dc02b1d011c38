"""Rendering what a visitor sees to PNG, with no screen needed: ``main.py --screenshot DIR``.

Developers look at every view this way, and ``kioskctl approve --preview`` and the console's preview
(``central/preview.py``) run it on a draft before the key signs it, so it draws everything a release
holds: every section (the services grid in as many scrolled pages as its cards need), every service's
page, every announcement, a real video frame, in each language and screen size. A run never records
proof of play (main.py builds it without a reporter).
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QThreadPool, QTimer
from PySide6.QtGui import QImage, QImageWriter
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config import LANGUAGES
from kiosk.content.model import Announcement, LocalizedText
from ui.app import KioskApp
from ui.main_window import SECTION_KEYS

log = logging.getLogger(__name__)

SIZES = ((1920, 1080), (1080, 1920), (1366, 768))
OVERLAY_SIZES = ((1920, 1080), (1080, 1920))
OVERLAYS = ("pin-pad", "admin", "announcement", "emergency")
FRAME_AT_MS = 1500  # the video frame shown: this far in, past a fade from black
FRAME_WAIT_MS = 5000  # the poster stays when no such frame arrives in time
THUMBNAIL_QUALITY = 80
"""JPEG quality of thumbnails: text on a 480 px picture stays legible, each is well under 100 KB."""
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
    staff_pages: bool = True,
    thumbnail_width: int | None = None,
) -> list[Path]:
    """Write the PNGs for every language and size; returns the files written.

    Names are ``<view>_<language>_<w>x<h>[_large].png``: the sections ``energy``, ``video``, ``services``
    (``services-page2`` … when the cards need more than one screen), ``service-<id>`` for every service
    of the release and ``announcement-<id>`` for every announcement. ``_large`` is the large-text,
    high-contrast mode. With ``staff_pages``, also the large mode, the admin PIN pad, the admin screen
    and a sample announcement at both levels (default language, landscape and portrait only). With
    ``thumbnail_width``, each PNG also gets a small JPEG of that width, ``<name>.jpg`` (not returned).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    window = kiosk.window
    kiosk.energy.poll()
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()
    window.show()
    _first_video_frame(kiosk)
    written: list[Path] = []
    for large in (False, True) if staff_pages else (False,):
        window.set_accessible(large)
        for width, height in sizes:
            _resize(window, width, height)
            for language in languages:
                kiosk.languages.set_language(language)
                suffix = f"_{language}_{width}x{height}{'_large' if large else ''}.png"
                written += _render_views(kiosk, out_dir, suffix)
    window.set_accessible(False)
    window.show_section("energy")
    if staff_pages:
        written += _render_overlays(kiosk, out_dir, sizes=tuple(s for s in sizes if s in OVERLAY_SIZES))
    if thumbnail_width is not None:
        write_thumbnails(written, thumbnail_width)
    log.info("Wrote %d screenshots to %s", len(written), out_dir)
    return written


def write_thumbnails(pictures: list[Path], width: int) -> list[Path]:
    """A JPEG ``width`` pixels wide beside each PNG: what a page of many pictures shows, so that a phone
    loads a few hundred kilobytes instead of tens of megabytes."""
    written = []
    for picture in pictures:
        image = QImage(str(picture))
        if image.isNull():
            raise OSError(f"cannot read {picture}")
        small = image.scaledToWidth(min(width, image.width()), Qt.TransformationMode.SmoothTransformation)
        thumbnail = picture.with_suffix(".jpg")
        writer = QImageWriter(str(thumbnail), b"jpeg")
        writer.setQuality(THUMBNAIL_QUALITY)
        if not writer.write(small.convertToFormat(QImage.Format.Format_RGB32)):
            raise OSError(f"cannot write {thumbnail}: {writer.errorString()}")
        written.append(thumbnail)
    return written


def _resize(window: QWidget, width: int, height: int) -> None:
    window.resize(width, height)
    QApplication.processEvents()
    window.resize(width, height)  # again: the layout for the new orientation may need less room
    QApplication.processEvents()


def _save(window: QWidget, path: Path) -> Path:
    QApplication.processEvents()
    if not window.grab().save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path


def _render_views(kiosk: KioskApp, out_dir: Path, suffix: str) -> list[Path]:
    """The sections under any announcement, every service page and every announcement, in one language."""
    window = kiosk.window
    services = window.services_section
    written: list[Path] = []
    window.show_announcements(())  # the sections as they show when no announcement runs
    for view in SECTION_KEYS:
        window.show_section(view)
        if view == "services":
            services.show_list()
            written += _render_card_pages(kiosk, out_dir, suffix)
        else:
            written.append(_save(window, out_dir / f"{view}{suffix}"))
    for service in kiosk.content.content.services:
        services.open_service(service)
        written.append(_save(window, out_dir / f"service-{service.id}{suffix}"))
    services.show_list()
    window.show_section("energy")
    for announcement in kiosk.content.content.announcements:
        window.show_announcements((announcement,))  # a band over the energy section, or the whole screen
        written.append(_save(window, out_dir / f"announcement-{announcement.id}{suffix}"))
    window.show_announcements(())
    window.tick()
    return written


def _render_card_pages(kiosk: KioskApp, out_dir: Path, suffix: str) -> list[Path]:
    """The services grid, scrolled a screen at a time until the last card has been shown."""
    window = kiosk.window
    area = kiosk.window.services_section.card_area
    bar = area.verticalScrollBar()
    QApplication.processEvents()
    step = max(1, area.viewport().height() - area.viewport().height() // 10)  # a little overlap
    pages = 1 + math.ceil(bar.maximum() / step) if bar.maximum() > 0 else 1
    written = []
    for page in range(pages):
        bar.setValue(min(page * step, bar.maximum()))
        name = "services" if page == 0 else f"services-page{page + 1}"
        written.append(_save(window, out_dir / f"{name}{suffix}"))
    bar.setValue(0)
    return written


def _first_video_frame(kiosk: KioskApp) -> None:
    """Play the campaign video until a frame ``FRAME_AT_MS`` in is decoded (the very first one is often
    black: videos fade in), so screenshots show its picture; the poster stays if none comes in time."""
    section = kiosk.window.video_section
    player = section.player
    if not section.has_video():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)

    def check() -> None:
        if (player.frame_time_ms or 0) >= FRAME_AT_MS:
            loop.quit()

    player.frame_arrived.connect(check)
    player.looped.connect(loop.quit)
    player.unavailable.connect(loop.quit)
    section.set_active(True)
    timer.start(FRAME_WAIT_MS)
    loop.exec()
    timer.stop()
    player.frame_arrived.disconnect(check)
    player.looped.disconnect(loop.quit)
    player.unavailable.disconnect(loop.quit)
    section.set_active(False)
    if player.frame_count == 0:
        log.warning("No video frame within %d ms: screenshots show the poster", FRAME_WAIT_MS)


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
        "announcement": window.visitor_view,
        "emergency": window.announcement_view,
    }
    written: list[Path] = []
    for width, height in sizes:
        _resize(window, width, height)
        for overlay in OVERLAYS:
            if overlay == "pin-pad":
                kiosk.admin.pin_pad.reset()
                kiosk.admin.pin_pad.set_locked(False)
                for digit in "1234":
                    kiosk.admin.pin_pad.press(digit)
            elif overlay == "admin":
                kiosk.admin.refresh()  # read in the thread pool: wait for it, as for the energy poll
                QThreadPool.globalInstance().waitForDone(10_000)
                QApplication.processEvents()
            else:
                level = "info" if overlay == "announcement" else "emergency"
                sample = Announcement("screenshot", level, text, now, now + timedelta(hours=1))
                window.show_section("energy")
                window.show_announcements((sample,))
            window.show_overlay(pages[overlay])
            written.append(_save(window, out_dir / f"{overlay}_{language}_{width}x{height}.png"))
    kiosk.admin.pin_pad.reset()
    window.show_announcements(())
    window.show_overlay(None)
    window.tick()
    return written
