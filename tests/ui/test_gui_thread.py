"""The screen keeps moving while the store is slow: content and status are read in the thread pool.

Another connection holds SQLite's write lock (every kiosk session begins IMMEDIATE, reads too), so the
store answers only when the test lets go: a read on the GUI thread would freeze the timer below.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from kiosk.content.releases import install_release
from tests.content_docs import document, service
from ui.app import KioskApp

TICK_MS = 10
TICKS_WHILE_LOCKED = 5  # the GUI thread handled this many timer events while a read was waiting


@pytest.fixture
def ticks(qtbot: QtBot) -> Iterator[list[int]]:
    """Counts a fast timer's events: they only arrive while the GUI thread runs its event loop."""
    fired: list[int] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: fired.append(len(fired)))
    timer.start()
    yield fired
    timer.stop()


@pytest.fixture
def locked_store(kiosk: KioskApp) -> Iterator[sqlite3.Connection]:
    """The kiosk's database with its write lock held by another connection until the test commits."""
    other = sqlite3.connect(kiosk.core.store.path, isolation_level=None, timeout=5)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


def test_a_new_release_reaches_the_screen_while_the_gui_keeps_running_on_a_locked_store(
    kiosk: KioskApp, qtbot: QtBot, ticks: list[int]
) -> None:
    doc = document(channel={"name": {"az": "Yeni kanal", "en": "New channel", "ru": "Новый канал"}})
    doc["services"] = [service("late")]
    install_release(kiosk.core.store, 5, doc, datetime.now(UTC))
    other = sqlite3.connect(kiosk.core.store.path, isolation_level=None, timeout=5)
    try:
        other.execute("BEGIN IMMEDIATE")
        kiosk.content.reload()
        seen = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= seen + TICKS_WHILE_LOCKED, timeout=4000)
        assert kiosk.content.content.release != 5  # the read is still waiting for the lock
        assert kiosk.window.brand_tagline.text() != "Yeni kanal"
        with qtbot.waitSignal(kiosk.content.changed, timeout=5000):
            other.execute("ROLLBACK")
    finally:
        other.close()
    assert kiosk.content.content.release == 5
    assert kiosk.window.brand_tagline.text() == "Yeni kanal"
    assert [card.service.id for card in kiosk.window.services_section.cards] == ["late"]


def test_the_admin_status_arrives_while_the_gui_keeps_running_on_a_locked_store(
    kiosk: KioskApp, qtbot: QtBot, ticks: list[int], locked_store: sqlite3.Connection
) -> None:
    screen = kiosk.admin.screen
    kiosk.languages.set_language("en")
    kiosk.admin.refresh()
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + TICKS_WHILE_LOCKED, timeout=4000)
    assert screen.rows["release"][1].text() == ""  # nothing shown until the status has been read
    with qtbot.waitSignal(screen.status_shown, timeout=5000):
        locked_store.execute("ROLLBACK")
    assert screen.rows["release"][1].text() == f"{kiosk.content.content.release} (bundled demo content)"
    assert screen.rows["disk"][1].text() != ""
