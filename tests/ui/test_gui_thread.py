"""The screen keeps moving while the store is slow: content and status are read in the thread pool.

Another connection holds SQLite's write lock (every kiosk session begins IMMEDIATE, reads too), so the
store answers only when the test lets go: a read on the GUI thread would freeze the timer below.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import cast

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from pytestqt.qtbot import QtBot

from kiosk.content.releases import install_release
from kiosk.status import KioskStatus
from tests.content_docs import document, service
from ui.app import KioskApp
from ui.bridge import StatusFeed

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


def test_a_feed_deleted_while_its_read_is_in_the_pool_drops_the_answer(qtbot: QtBot) -> None:
    """A window closed during a slow read: the worker's answer must go nowhere, not raise in the pool.

    (Before, the worker emitted on the deleted feed: "RuntimeError: Signal source has been deleted".)
    """
    release = threading.Event()
    started = threading.Event()

    def slow_status() -> KioskStatus:
        started.set()
        release.wait(5)
        return cast(KioskStatus, object())

    feed = StatusFeed(slow_status)
    delivered: list[object] = []
    feed.loaded.connect(delivered.append)
    feed.load()
    assert started.wait(5)
    shiboken6.delete(feed)  # what a parent does to its children when the window goes
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    assert delivered == []


def test_a_live_feed_still_gets_its_answer_through_the_job(qtbot: QtBot) -> None:
    answer = cast(KioskStatus, object())
    feed = StatusFeed(lambda: answer)
    with qtbot.waitSignal(feed.loaded, timeout=5000) as got:
        feed.load()
    assert got.args == [answer]
