from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.energy.reading import EnergyReading
from kiosk.energy.service import LIVE, OFFLINE, SLEEPING, STALE, STARTING, EnergyService
from kiosk.errors import SourceError
from kiosk.store.db import open_store
from kiosk.store.models import EnergyReadingRow
from tests.conftest import FakeClock


class ScriptedSource:
    """A source that returns (or raises) what the test queued: the service's real peer is any Source."""

    name = "scripted"

    def __init__(self) -> None:
        self.queue: list[EnergyReading | Exception] = []

    def read(self) -> EnergyReading:
        item = self.queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


@pytest.fixture
def service(data_dir: Path, clock: FakeClock) -> EnergyService:
    return EnergyService(ScriptedSource(), open_store(data_dir), rated_power_w=10_000, clock=clock)


def reading(clock: FakeClock, power: float, total: float | None = 1000.0) -> EnergyReading:
    return EnergyReading(read_at=clock(), power_w=power, energy_total_wh=total, energy_today_wh=None)


def stored_count(service: EnergyService) -> int:
    with service.store.session() as session:
        return session.scalar(select(func.count()).select_from(EnergyReadingRow)) or 0


def test_a_good_reading_is_stored_and_live(service: EnergyService, clock: FakeClock) -> None:
    assert service.current().state == STARTING
    source = service.source
    assert isinstance(source, ScriptedSource)
    source.queue.append(reading(clock, 4200.0, 5_000_000.0))
    snap = service.poll_once()
    assert (snap.state, snap.power_w, snap.energy_total_wh, snap.read_at) == (
        LIVE,
        4200.0,
        5_000_000.0,
        clock(),
    )
    assert stored_count(service) == 1


def test_failure_reports_offline_and_keeps_last_figures(service: EnergyService, clock: FakeClock) -> None:
    source = service.source
    assert isinstance(source, ScriptedSource)
    source.queue += [reading(clock, 3000.0), SourceError("connection refused")]
    service.poll_once()
    clock.advance(minutes=3)
    snap = service.poll_once()
    assert snap.state == OFFLINE
    assert snap.power_w == 3000.0  # shown with its age, never as a fresh figure
    assert snap.read_at == clock() - timedelta(minutes=3)
    assert "connection refused" in snap.error


@pytest.mark.parametrize("power", [-201.0, math.nan, math.inf, 12_001.0])
def test_impossible_power_is_dropped(service: EnergyService, clock: FakeClock, power: float) -> None:
    source = service.source
    assert isinstance(source, ScriptedSource)
    source.queue += [reading(clock, 1000.0), reading(clock, power)]
    service.poll_once()
    snap = service.poll_once()
    assert snap.state == OFFLINE and snap.power_w == 1000.0
    assert stored_count(service) == 1


def test_old_reading_becomes_stale(service: EnergyService, clock: FakeClock) -> None:
    source = service.source
    assert isinstance(source, ScriptedSource)
    source.queue.append(reading(clock, 1000.0))
    service.poll_once()
    clock.advance(minutes=1)
    assert service.current().state == LIVE
    clock.advance(minutes=2)
    assert service.current().state == STALE


def test_simulator_is_the_default_source(core: object) -> None:
    from kiosk.core import KioskCore

    assert isinstance(core, KioskCore)
    snap = core.energy.poll_once()
    assert snap.source == "simulator" and snap.state in (LIVE, SLEEPING)  # SLEEPING at night
    assert snap.energy_total_wh is not None and snap.energy_total_wh > 0
    assert isinstance(snap.read_at, datetime)


@pytest.mark.parametrize("power", [-5.0, -200.0])
def test_standby_draw_at_night_is_zero_watts_not_an_impossible_reading(
    service: EnergyService, clock: FakeClock, power: float
) -> None:
    """Rated 10 kW: a plant at rest may draw down to max(50 W, 2 % of rated) = 200 W."""
    source = service.source
    assert isinstance(source, ScriptedSource)
    source.queue.append(reading(clock, power))
    snap = service.poll_once()
    assert (snap.state, snap.power_w, snap.dropped) == (LIVE, 0.0, 0)
