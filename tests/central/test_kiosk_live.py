"""End to end: a running kiosk (offscreen) on the real central server: push, proof of play, screenshot."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from kiosk.cli import main as kioskctl
from kiosk.core import KioskCore, open_core
from tests.central.conftest import Fleet
from tests.central.kiosk_fixtures import kiosk_settings
from tests.kiosk.content.channel import card, simple_source, svg, write_source
from ui.app import KioskApp, create_application

KIOSK = "baku-1-lobby"


@pytest.fixture
def live(qtbot: QtBot, fleet: Fleet, tmp_path: Path, data_dir: Path) -> Iterator[tuple[KioskApp, KioskCore]]:
    """A kiosk polling only once an hour: whatever arrives sooner came by push."""
    core = open_core(kiosk_settings(fleet, tmp_path / "config", poll_seconds=3600), data_dir)
    create_application([])
    app = KioskApp(core)
    qtbot.addWidget(app.window)
    app.window.resize(1920, 1080)
    app.window.show()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(lambda: app.content.loaded)  # the first release is read in the thread pool
    try:
        yield app, core
    finally:
        app.stop()
        core.close()


def publish(fleet: Fleet, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREEN_KIOSK_ADMIN_TOKEN", fleet.admin_token)
    to = fleet.server.channel_url()  # each version is a new folder: --replace, as its admin would
    code = kioskctl(["publish", str(source), "--to", to, "--key", str(fleet.key), "--replace"])
    assert code == 0


def card_titles(app: KioskApp) -> list[str]:
    return [c.title.text() for c in app.window.services_section.cards]


def test_a_release_published_on_the_server_is_on_screen_within_five_seconds(
    qtbot: QtBot,
    fleet: Fleet,
    tmp_path: Path,
    live: tuple[KioskApp, KioskCore],
    monkeypatch: pytest.MonkeyPatch,
    record_property: pytest.RecordProperty,
) -> None:
    app, core = live
    publish(fleet, simple_source(tmp_path / "src1", count=2), monkeypatch)
    assert core.sync is not None and core.sync.push is not None
    with qtbot.waitSignal(app.content.changed, timeout=15_000):
        app.start()  # the first sync runs at start
    qtbot.waitUntil(core.sync.push.connected.is_set, timeout=5000)

    write_source(
        tmp_path / "src2",
        [
            card("item-0", title={"az": "Yeni başlıq", "en": "New title", "ru": "Новый заголовок"}),
            card("item-1"),
        ],
        {"icons/item-0.svg": svg("item 0 v2"), "icons/item-1.svg": svg("item 1 v1")},
    )
    publish(fleet, tmp_path / "src2", monkeypatch)
    published = time.monotonic()
    qtbot.waitUntil(lambda: card_titles(app)[:1] == ["Yeni başlıq"], timeout=5000)
    record_property("publish_to_screen_s", round(time.monotonic() - published, 3))
    assert app.content.content.release == 2


def test_the_kiosk_reports_what_was_shown_and_sends_a_screenshot_when_asked(
    qtbot: QtBot, fleet: Fleet, live: tuple[KioskApp, KioskCore]
) -> None:
    app, core = live
    reporter = core.reporter
    assert reporter is not None
    assert app.play is not None
    ticks = iter(range(1000, 2000, 5))
    app.play._monotonic = lambda: float(next(ticks))  # each section stays 5 s
    app.play._since = app.play._service_since = app.play._video_since = 995.0
    app.start()
    app.window.show_section("video")
    app.languages.set_language("en")
    app.window.show_section("services")
    cards = app.window.services_section.cards
    app.window.services_section.open_service(cards[0].service)
    app.stop()  # closes the section on screen
    fleet.central.request_screenshot(KIOSK)
    app.core.reporter.screenshot_provider = app.screenshots.take  # stop() let go of the screen: take it back

    expected = {
        ("section", "energy", "az"): 5.0,
        ("section", "video", "az"): 10.0,  # the player starting its video took a tick
        ("language", "video", "en"): 0.0,
        ("section", "video", "en"): 5.0,
        ("video", "video", "en"): 10.0,  # the demo's video, from its start until the section left
        ("service", "services", "en"): 5.0,  # the page, from opening to the kiosk stopping
        ("section", "services", "en"): 10.0,
    }

    def delivered() -> bool:
        summary = fleet.central.event_summary(KIOSK)
        return {(e["kind"], e["section"], e["language"]): e["seconds"] for e in summary} == expected

    def send() -> bool:
        reporter.flush()
        return delivered() and fleet.central.kiosk(KIOSK)["screenshot_at"] is not None

    qtbot.waitUntil(send, timeout=10_000)
    png = fleet.central.screenshot_path(KIOSK)
    assert png is not None and png.read_bytes().startswith(b"\x89PNG")
    assert fleet.central.kiosk(KIOSK)["screenshot_requested"] is False  # set with screenshot_at
    assert fleet.central.history(KIOSK)[0]["release"] == 0


def test_the_admin_screen_says_how_reports_are_getting_through(
    qtbot: QtBot, fleet: Fleet, live: tuple[KioskApp, KioskCore]
) -> None:
    app, core = live
    reporter = core.reporter
    assert reporter is not None
    assert app.play is not None
    ticks = iter(range(1000, 2000, 5))
    app.play._monotonic = lambda: float(next(ticks))  # the section on screen stays 5 s: always recorded
    app.play._since = app.play._service_since = app.play._video_since = 995.0
    screen = app.admin.screen
    fleet.server.stop()
    app.languages.set_language("en")  # closes the section on screen and records the change
    # Both events are written to the outbox in the thread pool: wait for those writes, not for luck.
    assert QThreadPool.globalInstance().waitForDone(5000)
    reporter.record_heartbeat()
    queued = reporter.outbox.count()
    assert queued == 3  # the section, the language change and the heartbeat
    assert not reporter.send_pending().ok
    with qtbot.waitSignal(screen.status_shown):  # read in the thread pool
        app.admin.refresh()
    shown = screen.rows["reports"][1].text()
    assert "cannot be reached" in shown and shown.endswith(f"{queued} records waiting")
    assert screen.rows["reports"][0].text() == "Reports to the central server"

    fleet.server.start()
    qtbot.waitUntil(lambda: reporter.send_pending().ok, timeout=10_000)
    with qtbot.waitSignal(screen.status_shown):  # read in the thread pool
        app.admin.refresh()
    shown = screen.rows["reports"][1].text()
    assert f"sent {queued} records" in shown and shown.endswith("0 records waiting")


def test_a_self_test_on_a_reporting_kiosk_sends_no_plays(qtbot: QtBot, fleet: Fleet, tmp_path: Path) -> None:
    from ui.self_test import run_self_test

    settings = kiosk_settings(fleet, tmp_path / "config")
    results = run_self_test(settings, tmp_path / "self-test-data", video_seconds=0.2)
    assert {r.name for r in results} >= {"database", "sections"}
    assert fleet.central.event_summary(KIOSK) == []  # checking the installation is not a visitor
    assert fleet.central.kiosk(KIOSK)["last_seen"] is None
