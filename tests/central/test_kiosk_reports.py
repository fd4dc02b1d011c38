"""A kiosk's reports to the real central server: queued while it is down, delivered once, never twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.core import KioskCore, open_core
from kiosk.energy.service import LIVE, OFFLINE, EnergyService
from kiosk.fleet import Reporter, SendResult
from kiosk.outbox import EVENT, HEARTBEAT, Outbox
from kiosk.wire import Heartbeat, PlayEvent, new_id
from tests.central.conftest import Fleet
from tests.central.kiosk_fixtures import kiosk_settings

KIOSK = "baku-1-lobby"


@pytest.fixture
def core(fleet: Fleet, tmp_path: Path, data_dir: Path) -> Iterator[KioskCore]:
    opened = open_core(kiosk_settings(fleet, tmp_path / "config"), data_dir)
    yield opened
    opened.close()


def reporter_of(core: KioskCore) -> Reporter:
    assert core.reporter is not None
    return core.reporter


class AnswerLost(requests.Session):
    """The server gets the batch and commits it, but its answer never reaches the kiosk."""

    def post(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        super().post(*args, **kwargs)
        raise requests.ConnectionError("connection reset before the answer arrived")


def test_records_queued_while_the_server_is_down_arrive_exactly_once(fleet: Fleet, core: KioskCore) -> None:
    reporter = reporter_of(core)
    fleet.server.stop()
    reporter.record_heartbeat()
    reporter.record_event("section", section="energy", seconds=12.5, language="az")
    reporter.record_event("service_opened", section="services", item="item-1", language="en")
    reporter.record_event("language", section="services", language="en")
    reporter.record_heartbeat()
    failed = reporter.send_pending()
    assert not failed.ok and "cannot be reached" in failed.message
    assert reporter.outbox.count() == 5  # nothing lost while offline

    fleet.server.start()  # same port, same data
    sent = reporter.send_pending()
    assert sent.ok and sent.sent == 5
    assert reporter.outbox.count() == 0
    assert len(fleet.central.history(KIOSK)) == 2
    summary = {(e["kind"], e["section"], e["language"]): e for e in fleet.central.event_summary(KIOSK)}
    assert summary[("section", "energy", "az")]["seconds"] == 12.5
    assert sum(e["count"] for e in summary.values()) == 3
    kiosk = fleet.central.kiosk(KIOSK)
    assert kiosk["release"] == 0 and kiosk["app_version"] and kiosk["energy_state"]


def test_a_batch_resent_after_a_lost_answer_is_not_counted_twice(
    fleet: Fleet, core: KioskCore, tmp_path: Path
) -> None:
    outbox = reporter_of(core).outbox
    token = fleet.kiosk_tokens[KIOSK]
    losing = Reporter(outbox, fleet.server.url, token, core.heartbeat, session=AnswerLost())
    losing.record_heartbeat()
    for second in range(3):
        losing.record_event("section", section="video", seconds=float(second + 1), language="ru")
    assert not losing.send_pending().ok
    assert outbox.count() == 4  # the kiosk cannot know the server has them: it keeps them
    assert len(fleet.central.history(KIOSK)) == 1  # ... but the server has them

    answers: list[dict[str, Any]] = []
    honest = Reporter(outbox, fleet.server.url, token, core.heartbeat)
    original = honest._http.post

    def remember(*args: Any, **kwargs: Any) -> requests.Response:
        response = original(*args, **kwargs)
        answers.append(response.json())
        return response

    honest._http.post = remember  # type: ignore[method-assign]
    assert honest.send_pending().ok
    assert answers == [
        {"accepted": {"heartbeats": 0, "events": 0}, "duplicates": 4, "screenshot_requested": False}
    ]
    assert outbox.count() == 0
    assert len(fleet.central.history(KIOSK)) == 1
    (video,) = [e for e in fleet.central.event_summary(KIOSK) if e["section"] == "video"]
    assert (video["count"], video["seconds"]) == (3, 6.0)


def test_the_sender_thread_delivers_after_the_server_comes_back(fleet: Fleet, core: KioskCore) -> None:
    reporter = reporter_of(core)
    results: list[SendResult] = []
    delivered = threading.Event()

    def on_sent(result: SendResult) -> None:
        results.append(result)
        if result.ok and result.sent:
            delivered.set()

    reporter.on_sent = on_sent
    fleet.server.stop()
    reporter.record_event("section", section="energy", seconds=3.0, language="az")
    reporter.start()  # a heartbeat at once, then a failed send: backoff
    fleet.server.start()
    reporter.flush()  # as the next heartbeat would, without waiting a minute
    assert delivered.wait(15)
    reporter.stop()
    assert reporter.outbox.count() == 0
    assert len(fleet.central.history(KIOSK)) == 1
    assert [e["count"] for e in fleet.central.event_summary(KIOSK)] == [1]


def test_a_full_outbox_drops_the_oldest_heartbeats_first(data_dir: Path) -> None:
    from kiosk.store.db import open_store

    store = open_store(data_dir)
    try:
        outbox = Outbox(store, limit=5)
        for _ in range(3):
            outbox.add(Heartbeat(new_id(), datetime.now(UTC), app_version="1"))
        for index in range(4):
            outbox.add(PlayEvent(new_id(), datetime.now(UTC), "section", seconds=float(index)))
        assert outbox.trim() == 2
        kept = outbox.oldest(10)
        assert [r.kind for r in kept] == [HEARTBEAT] + [EVENT] * 4
        for _ in range(3):
            outbox.add(PlayEvent(new_id(), datetime.now(UTC), "section"))
        assert outbox.trim() == 3
        assert [r.kind for r in outbox.oldest(10)] == [EVENT] * 5
    finally:
        store.close()


def test_a_malformed_record_is_dropped_without_blocking_the_others(fleet: Fleet, core: KioskCore) -> None:
    reporter = reporter_of(core)
    reporter.record_event("section", section="energy", seconds=1.0)
    reporter.outbox.add(PlayEvent(new_id(), datetime.now(UTC), ""))  # the server refuses it: no kind
    reporter.record_event("section", section="video", seconds=2.0)
    assert reporter.send_pending().ok
    assert reporter.outbox.count() == 0
    assert sorted(e["section"] for e in fleet.central.event_summary(KIOSK)) == ["energy", "video"]


def test_the_network_source_reads_the_servers_totals_with_the_kiosk_token(
    fleet: Fleet, core: KioskCore, tmp_path: Path, data_dir: Path
) -> None:
    other = fleet.kiosk_tokens["ganja-lobby"]

    def beat() -> Heartbeat:
        now = datetime.now(UTC)
        return Heartbeat(new_id(), now, power_w=1500.0, energy_today_wh=4000.0, energy_total_wh=9.0e6)

    Reporter(Outbox(core.store), fleet.server.url, other, beat).record_heartbeat()
    assert Reporter(Outbox(core.store), fleet.server.url, other, beat).send_pending().ok

    assert isinstance(core.network, EnergyService)  # no network_url: the [central] server's totals
    snapshot = core.network.poll_once()
    assert snapshot.state == LIVE and snapshot.power_w == 1500.0 and snapshot.centres == 1

    wrong = kiosk_settings(fleet, tmp_path / "wrong", token="gkk_not-a-real-token")
    network = EnergyService.network_from_settings(wrong, core.store, central_token="gkk_not-a-real-token")
    assert network is not None
    failed = network.poll_once()
    assert failed.state == OFFLINE
    assert "refused access (HTTP 401)" in failed.error and "token" in failed.error


def test_a_centre_joining_the_network_adds_its_whole_lifetime_at_once(
    fleet: Fleet, core: KioskCore, data_dir: Path
) -> None:
    """The e2e kiosk's log said "lifetime energy jumped by 90854748 Wh in 0.01 h": a demo centre joining."""
    assert core.network is not None
    empty = core.network.poll_once()
    assert (empty.state, empty.energy_total_wh, empty.centres) == (LIVE, 0.0, 0)

    def report(kiosk: str, total_wh: float, today_wh: float) -> None:
        def beat() -> Heartbeat:
            now = datetime.now(UTC)
            return Heartbeat(new_id(), now, power_w=1.5e3, energy_today_wh=today_wh, energy_total_wh=total_wh)

        reporter = Reporter(Outbox(core.store), fleet.server.url, fleet.kiosk_tokens[kiosk], beat)
        reporter.record_heartbeat()
        assert reporter.send_pending().ok

    report("ganja-lobby", 90_854_748.0, 4000.0)  # a demo kiosk's simulated plant, running for years
    joined = core.network.poll_once()
    assert (joined.state, joined.dropped, joined.centres) == (LIVE, 0, 1)
    assert (joined.energy_total_wh, joined.energy_today_wh) == (90_854_748.0, 4000.0)

    report(KIOSK, 2_500_000.0, 1000.0)
    both = core.network.poll_once()
    assert (both.energy_total_wh, both.energy_today_wh, both.centres) == (93_354_748.0, 5000.0, 2)

    settings = kiosk_settings(fleet, data_dir / "restarted")
    token = fleet.kiosk_tokens[KIOSK]
    restarted = EnergyService.network_from_settings(settings, core.store, central_token=token)
    assert restarted is not None
    assert restarted.current().energy_total_wh == 93_354_748.0  # the saved figure, before the first poll
    assert restarted.poll_once().energy_total_wh == 93_354_748.0
