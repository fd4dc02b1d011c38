"""Fronius Solar API v1 and the central feed, each against a local HTTP server replaying responses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kiosk.energy.central import CentralFeedSource
from kiosk.energy.fronius import POWER_FLOW_PATH, FroniusSource
from kiosk.energy.history import EnergyHistory
from kiosk.energy.ledger import EnergyLedger, FeedLedger, LedgerState, LedgerUpdate
from kiosk.energy.service import LIVE, OFFLINE, STALE, EnergyService
from kiosk.errors import SourceError
from kiosk.store.db import Store, open_store
from tests.conftest import FakeClock
from tests.kiosk.energy.peers import JsonServer

BAKU = ZoneInfo("Asia/Baku")


def power_flow(
    p_pv: float | None, e_day: float | None, e_total: float | None, code: int = 0
) -> dict[str, Any]:
    """A GetPowerFlowRealtimeData.fcgi answer as the Solar API v1 documents it (Datamanager / GEN24)."""
    return {
        "Body": {
            "Data": {
                "Inverters": {"1": {"DT": 1, "E_Day": e_day, "E_Total": e_total, "E_Year": None, "P": p_pv}},
                "Site": {
                    "E_Day": e_day,
                    "E_Total": e_total,
                    "E_Year": None,
                    "Meter_Location": "grid",
                    "Mode": "meter",
                    "P_Akku": None,
                    "P_Grid": -1200.5,
                    "P_Load": -800.0,
                    "P_PV": p_pv,
                    "rel_Autonomy": 100.0,
                    "rel_SelfConsumption": 40.0,
                },
                "Version": "12",
            }
        },
        "Head": {
            "RequestArguments": {},
            "Status": {"Code": code, "Reason": "" if code == 0 else "Transfer timeout", "UserMessage": ""},
            "Timestamp": "2026-06-21T13:00:00+04:00",
        },
    }


@pytest.fixture
def server() -> Iterator[JsonServer]:
    running = JsonServer()
    yield running
    running.close()


def test_fronius_with_day_energy(server: JsonServer, clock: FakeClock) -> None:
    server.body = power_flow(2000.5, 13_250.0, 8_123_456.0)
    reading = FroniusSource(server.url, clock=clock).read()
    assert (reading.power_w, reading.energy_today_wh, reading.energy_total_wh) == (
        2000.5,
        13_250.0,
        8_123_456.0,
    )
    assert server.paths == ["/" + POWER_FLOW_PATH]


def test_fronius_gen24_null_day_energy_is_derived_from_the_total(
    server: JsonServer, clock: FakeClock, data_dir: Path
) -> None:
    clock.now = datetime(2026, 6, 21, 8, 0, tzinfo=UTC)  # 12:00 in Baku
    server.body = power_flow(3600.0, None, 1_000_000.0)
    service = EnergyService(
        FroniusSource(server.url, clock=clock), open_store(data_dir), rated_power_w=10_000, clock=clock
    )
    assert service.poll_once().energy_today_wh == 0.0  # nothing known of the morning
    clock.advance(minutes=10)
    server.body = power_flow(3600.0, None, 1_000_600.0)
    snap = service.poll_once()
    assert snap.state == LIVE and snap.energy_today_wh == 600.0 and snap.energy_total_wh == 1_000_600.0


def test_fronius_null_power_at_night_is_zero(server: JsonServer, clock: FakeClock) -> None:
    server.body = power_flow(None, 0.0, 8_123_456.0)
    assert FroniusSource(server.url, clock=clock).read().power_w == 0.0


@pytest.mark.parametrize(
    ("body", "raw", "status", "message"),
    [
        (power_flow(1.0, 1.0, 1.0, code=8), None, 200, "error 8: Transfer timeout"),
        ({"Head": {}}, None, 200, "status header"),
        (None, b"<html>login</html>", 200, "not JSON"),
        (None, b"", 500, "HTTP 500"),
        (power_flow("lots", 1.0, 1.0), None, 200, "P_PV is 'lots'"),  # type: ignore[arg-type]
    ],
)
def test_fronius_garbage_is_a_source_error(
    server: JsonServer, clock: FakeClock, body: Any, raw: bytes | None, status: int, message: str
) -> None:
    server.body, server.raw, server.status = body, raw, status
    with pytest.raises(SourceError, match=message):
        FroniusSource(server.url, clock=clock).read()


def test_fronius_unreachable_goes_offline(clock: FakeClock, data_dir: Path) -> None:
    server = JsonServer()
    url = server.url
    server.close()
    service = EnergyService(
        FroniusSource(url, timeout=1.0, clock=clock), open_store(data_dir), rated_power_w=10_000, clock=clock
    )
    snap = service.poll_once()
    assert snap.state == OFFLINE and "cannot be reached" in snap.error


def test_central_feed_gives_network_totals(server: JsonServer, clock: FakeClock) -> None:
    server.body = {
        "read_at": "2026-06-21T12:59:30+04:00",
        "power_w": 812_000.0,
        "energy_total_wh": 1.2e9,
        "energy_today_wh": 3.1e6,
        "centres": 27,
    }
    source = CentralFeedSource(server.url, name="network", clock=clock)
    reading = source.read()
    assert reading.read_at == datetime(2026, 6, 21, 8, 59, 30, tzinfo=UTC)
    assert (reading.power_w, reading.energy_total_wh, reading.energy_today_wh) == (812_000.0, 1.2e9, 3.1e6)
    assert source.centres == 27


def network_service(
    server: JsonServer, store: Store, clock: FakeClock, ledger: type[EnergyLedger] = FeedLedger
) -> EnergyService:
    """The network's service as ``network_from_settings`` builds it, reading the feed at ``server``."""
    source = CentralFeedSource(server.url, name="network", clock=clock)
    return EnergyService(source, store, rated_power_w=10e6, clock=clock, location=None, ledger=ledger)


def test_network_feed_without_a_day_figure_counts_growth_not_a_centre_joining_or_leaving(
    server: JsonServer, clock: FakeClock, data_dir: Path
) -> None:
    network = network_service(server, open_store(data_dir), clock)
    totals = [1.2e9, 1.2e9 + 50_000.0, 1.2e9 + 90_954_748.0, 1.2e9 + 70_954_748.0]
    shown = []
    for total in totals:  # 600 kW for 5 min; a centre joins; a centre leaves
        server.body = {"power_w": 600_000.0, "energy_total_wh": total, "centres": 27}
        snap = network.poll_once()
        shown.append((snap.state, snap.energy_total_wh, snap.energy_today_wh))
        clock.advance(minutes=5)
    assert shown == [
        (LIVE, 1.2e9, 0.0),
        (LIVE, 1.2e9 + 50_000.0, 50_000.0),
        (LIVE, 1.2e9 + 90_954_748.0, 50_000.0),
        (LIVE, 1.2e9 + 70_954_748.0, 50_000.0),
    ]
    assert network.dropped == 0


def test_a_feed_repeating_its_last_figures_shows_their_age_and_drops_only_older_ones(
    server: JsonServer, clock: FakeClock, data_dir: Path
) -> None:
    network = network_service(server, open_store(data_dir), clock)
    server.body = {"read_at": "2026-06-21T12:59:30+04:00", "power_w": 812_000.0, "energy_total_wh": 1.2e9}
    shown = []
    for seconds in (0, 30, 150):  # the feed updates less often than the kiosk polls it
        clock.advance(seconds=seconds)
        snap = network.poll_once()
        shown.append((snap.state, snap.age_s, snap.power_w, snap.energy_total_wh, snap.dropped))
    assert shown == [
        (LIVE, 30.0, 812_000.0, 1.2e9, 0),
        (LIVE, 60.0, 812_000.0, 1.2e9, 0),
        (STALE, 210.0, 812_000.0, 1.2e9, 0),  # older than stale_after: said with its age, not "offline"
    ]
    server.body = {"read_at": "2026-06-21T12:50:00+04:00", "power_w": 5.0, "energy_total_wh": 1.0}
    clock.advance(seconds=30)
    older = network.poll_once()
    assert (older.state, older.dropped, older.energy_total_wh) == (OFFLINE, 1, 1.2e9)
    assert "older than the last" in older.error


def test_a_network_total_saved_by_a_meters_accounting_heals_at_once(
    server: JsonServer, clock: FakeClock, data_dir: Path
) -> None:
    store = open_store(data_dir)
    # As a meter's ledger saved it after taking a centre joining for a counter reset: re-based to ~0 Wh.
    rebased = LedgerState(
        day=clock().astimezone(BAKU).date(),
        today_wh=0.0,
        counter_offset_wh=-90_854_748.0,
        last_read_at=clock(),
        last_power_w=0.0,
        last_counter_wh=90_854_748.0,
    )
    EnergyHistory(store, "network", BAKU).record(LedgerUpdate(), rebased)
    assert network_service(server, store, clock, ledger=EnergyLedger).current().energy_total_wh == 0.0

    healed = network_service(server, store, clock)
    assert healed.current().energy_total_wh == 90_854_748.0
    server.body = {"power_w": 1500.0, "energy_total_wh": 90_854_748.0, "energy_today_wh": 4e3, "centres": 1}
    clock.advance(minutes=1)
    snap = healed.poll_once()
    assert (snap.energy_total_wh, snap.energy_today_wh) == (90_854_748.0, 4000.0)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([1, 2], "not an object"),
        ({"energy_total_wh": 5.0}, "no power_w"),
        ({"power_w": 5.0, "read_at": "2026-06-21T12:00:00"}, "no time zone"),
    ],
)
def test_central_feed_garbage(server: JsonServer, clock: FakeClock, body: Any, message: str) -> None:
    server.body = body
    with pytest.raises(SourceError, match=message):
        CentralFeedSource(server.url, clock=clock).read()
