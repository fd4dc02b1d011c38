"""Every text that comes from content is drawn as the characters it holds, never as Qt rich text.

A server (or a careless editor) that writes ``<font color=red size=7>`` into a text must not make it big
and red on every lobby screen, nor slip a link or a remote image into one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.config import Settings
from kiosk.content.releases import install_release
from kiosk.core import KioskCore, open_core
from tests.content_docs import document, service
from ui.app import KioskApp, create_application

FONT = "<font color=red size=7>BIG</font>"
LINK = "<a href='https://evil.example/'>tap here</a>"
IMAGE = "<img src='https://evil.example/x.png'>"


def hostile(place: str) -> dict[str, str]:
    return {lang: f"{place} {lang} {FONT} {LINK} {IMAGE}" for lang in ("az", "en", "ru")}


@pytest.fixture
def hostile_kiosk(qtbot: QtBot, data_dir: Path) -> Iterator[KioskApp]:
    core: KioskCore = open_core(Settings(), data_dir)
    now = datetime.now(UTC)
    doc = document(
        channel={"name": hostile("channel")},
        services=[
            service(
                "evil",
                url="https://evil.example/?q=<b>x</b>",
                title=hostile("title"),
                summary=hostile("summary"),
                body=hostile("body"),
            )
        ],
        videos=[{"id": "clip", "file": "blob:" + "ab" * 32, "title": hostile("video")}],
        announcements=[
            {
                "id": "note",
                "level": "info",
                "text": hostile("announcement"),
                "starts": (now - timedelta(hours=1)).isoformat(),
                "ends": (now + timedelta(days=1)).isoformat(),
            }
        ],
    )
    install_release(core.store, 7, doc, now)
    create_application([])
    app = KioskApp(core)
    qtbot.addWidget(app.window)
    app.window.resize(1920, 1080)
    app.window.show()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(lambda: app.content.loaded)  # the first release is read in the thread pool
    yield app
    app.stop()
    core.close()


def _assert_plain(label: QLabel, place: str) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText, place
    assert FONT in label.text() and LINK in label.text() and IMAGE in label.text(), (place, label.text())


def _red_pixels(image: QImage) -> int:
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            if colour.red() > 200 and colour.green() < 80 and colour.blue() < 80:
                count += 1
    return count


def test_hostile_markup_in_content_shows_as_characters_everywhere(
    hostile_kiosk: KioskApp, qtbot: QtBot, tmp_path: Path
) -> None:
    window = hostile_kiosk.window
    band = window.band  # an info announcement is a band over the kiosk, paged a line or two at a time
    qtbot.waitUntil(lambda: band.isVisible() and bool(band.pages))
    assert band.text.textFormat() == Qt.TextFormat.PlainText
    shown = " ".join(" ".join(text for _, text in band.pages).split())
    for markup in (FONT, LINK, IMAGE):
        assert " ".join(markup.split()) in shown, ("announcement band", shown)
    _assert_plain(window.brand_tagline, "channel name")
    _assert_plain(window.video_section.caption, "video title")
    services = window.services_section
    qtbot.waitUntil(lambda: [c.service.id for c in services.cards] == ["evil"])
    card = services.cards[0]
    _assert_plain(card.title, "service title")
    _assert_plain(card.summary, "service summary")
    services.open_service(card.service)
    _assert_plain(services.page.title, "service page title")
    _assert_plain(services.page.text, "service body")
    assert services.page.url.textFormat() == Qt.TextFormat.PlainText
    assert "<b>x</b>" in services.page.url.text()

    card.resize(900, 400)
    picture = card.grab().toImage()
    picture.save(str(tmp_path / "hostile-card.png"))
    assert _red_pixels(picture) == 0  # rich text would paint "BIG" in red
