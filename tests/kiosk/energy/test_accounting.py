"""Accounting through the real service and SQLite store: midnight, restarts, counter resets, gaps, DST."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kiosk.energy.equivalents import EquivalentFactors
from kiosk.energy.reading import EnergyReading
from kiosk.energy.service import LIVE, OFFLINE, EnergyService
from kiosk.store.db import Store, open_store
from kiosk.store.models import EnergyBucketRow, EnergyDayRow, EnergyReadingRow
from tests.conftest import FakeClock

BAKU = ZoneInfo("Asia/Baku")


class PlantSource:
    """A plant whose power the test sets; with ``counting`` it keeps an exact lifetime counter (Wh)."""

    name = "plant"

    def __init__(self, clock: FakeClock, *, counting: bool = True, counter_wh: float = 1_000_000.0) -> None:
        self.clock = clock
        self.counting = counting
        self.counter_wh = counter_wh
        self.power_w = 0.0
        self.day_counter_wh: float | None = None
        self._last = clock()

    def run_until(self, when: datetime) -> None:
        """Advance the plant (not the kiosk) to ``when`` at the current power."""
        self.counter_wh += self.power_w * (when - self._last).total_seconds() / 3600.0
        self._last = when

    def read(self) -> EnergyReading:
        self.run_until(self.clock())
        return EnergyReading(
            read_at=self.clock(),
            power_w=self.power_w,
            energy_total_wh=self.counter_wh if self.counting else None,
            energy_today_wh=self.day_counter_wh,
        )


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir)
    yield opened
    opened.close()


def service_for(
    source: PlantSource, store: Store, clock: FakeClock, zone: str = "Asia/Baku"
) -> EnergyService:
    return EnergyService(
        source, store, rated_power_w=10_000, clock=clock, zone=zone, gap_limit=timedelta(minutes=15)
    )


def poll_every(service: EnergyService, clock: FakeClock, until: datetime, minutes: float = 5.0) -> None:
    while clock() + timedelta(minutes=minutes) <= until:
        clock.advance(minutes=minutes)
        service.poll_once()


def baku(day: date, hour: int, minute: int = 0) -> datetime:
    """A Baku wall time as UTC: the fake clock moves in real (UTC) time, never by wall clock."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BAKU).astimezone(UTC)


DAY = date(2026, 6, 21)


@pytest.mark.parametrize("counting", [True, False])
def test_today_restarts_at_local_midnight(store: Store, counting: bool) -> None:
    clock = FakeClock(baku(DAY, 22))
    plant = PlantSource(clock, counting=counting)
    plant.power_w = 1200.0
    service = service_for(plant, store, clock)
    service.poll_once()
    poll_every(service, clock, baku(DAY + timedelta(days=1), 1, 30))
    snap = service.current()
    assert snap.day == DAY + timedelta(days=1)
    assert snap.energy_today_wh == pytest.approx(1200.0 * 1.5)
    assert service.history.daily_totals(30) == [
        (DAY, pytest.approx(1200.0 * 2)),
        (DAY + timedelta(days=1), pytest.approx(1200.0 * 1.5)),
    ]


def test_today_is_unknown_after_midnight_until_a_reading_arrives(store: Store) -> None:
    clock = FakeClock(baku(DAY, 23, 50))
    plant = PlantSource(clock)
    service = service_for(plant, store, clock)
    service.poll_once()
    clock.advance(minutes=20)
    snap = service.current()
    assert snap.energy_today_wh is None and snap.co2_today_kg is None
    assert snap.energy_total_wh == 1_000_000.0


def test_restart_in_the_middle_of_the_day_loses_nothing_with_a_counter(store: Store, data_dir: Path) -> None:
    clock = FakeClock(baku(DAY, 8))
    plant = PlantSource(clock)
    plant.power_w = 6000.0
    first = service_for(plant, store, clock)
    first.poll_once()
    poll_every(first, clock, baku(DAY, 12))
    store.close()
    plant.run_until(baku(DAY, 12, 40))  # the kiosk is down for 40 minutes; the plant keeps producing
    clock.now = baku(DAY, 12, 40)
    reopened = open_store(data_dir)
    try:
        second = service_for(plant, reopened, clock)
        assert second.current().energy_today_wh == pytest.approx(6000.0 * 4)  # remembered
        second.poll_once()
        poll_every(second, clock, baku(DAY, 16))
        assert second.current().energy_today_wh == pytest.approx(6000.0 * 8)
        assert second.history.day_energy_wh(DAY) == pytest.approx(6000.0 * 8)
    finally:
        reopened.close()


def test_first_reading_takes_the_sources_own_day_counter(store: Store) -> None:
    clock = FakeClock(baku(DAY, 13))
    plant = PlantSource(clock)
    plant.day_counter_wh = 21_500.0
    snap = service_for(plant, store, clock).poll_once()
    assert snap.energy_today_wh == 21_500.0


def test_first_reading_ignores_an_impossible_day_counter(store: Store) -> None:
    clock = FakeClock(baku(DAY, 6))
    plant = PlantSource(clock)
    plant.day_counter_wh = 500_000.0  # more than 10 kW for 6 hours could make
    assert service_for(plant, store, clock).poll_once().energy_today_wh == 0.0


def test_counter_reset_is_followed_after_three_consistent_readings(store: Store) -> None:
    clock = FakeClock(baku(DAY, 10))
    plant = PlantSource(clock, counter_wh=5_000_000.0)
    plant.power_w = 3000.0
    service = service_for(plant, store, clock)
    service.poll_once()
    poll_every(service, clock, baku(DAY, 11))
    assert service.current().energy_today_wh == pytest.approx(3000.0)
    plant.counter_wh = 0.0  # inverter replaced / counter cleared
    states = []
    for _ in range(3):
        clock.advance(minutes=5)
        states.append(service.poll_once().state)
    assert states == [OFFLINE, OFFLINE, LIVE]
    poll_every(service, clock, baku(DAY, 12))
    snap = service.current()
    # Nothing lost: the hour before, the 5 minutes bridged by power, and the counter after the reset.
    assert snap.energy_today_wh == pytest.approx(3000.0 * 2)
    assert snap.energy_total_wh == pytest.approx(5_000_000.0 + 3000.0 * 2)
    assert snap.dropped == 2


def test_a_single_backwards_glitch_is_dropped_and_counted(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(baku(DAY, 10))
    plant = PlantSource(clock)
    plant.power_w = 2000.0
    service = service_for(plant, store, clock)
    service.poll_once()
    real = plant.counter_wh
    clock.advance(minutes=5)
    plant.run_until(clock())
    plant.counter_wh, saved = 12.0, plant.counter_wh
    snap = service.poll_once()
    assert snap.state == OFFLINE and "backwards" in snap.error and snap.dropped == 1
    assert "Dropped a reading" in caplog.text
    plant.counter_wh = saved
    poll_every(service, clock, baku(DAY, 11))
    assert service.current().state == LIVE
    assert service.current().energy_today_wh == pytest.approx(plant.counter_wh - real)


def test_counter_jump_beyond_the_plant_is_dropped(store: Store) -> None:
    clock = FakeClock(baku(DAY, 10))
    plant = PlantSource(clock)
    service = service_for(plant, store, clock)
    service.poll_once()
    clock.advance(minutes=5)
    plant.counter_wh += 1e9
    snap = service.poll_once()
    assert snap.state == OFFLINE and "jumped" in snap.error


def test_three_hour_gap_counter_keeps_the_energy_power_only_does_not_invent_it(data_dir: Path) -> None:
    results = {}
    for counting in (True, False):
        store = open_store(data_dir / str(counting))
        try:
            clock = FakeClock(baku(DAY, 8))
            plant = PlantSource(clock, counting=counting)
            plant.power_w = 5000.0
            service = service_for(plant, store, clock)
            service.poll_once()
            poll_every(service, clock, baku(DAY, 10))
            plant.run_until(baku(DAY, 13))  # the source is silent for three hours
            clock.now = baku(DAY, 13)
            service.poll_once()
            poll_every(service, clock, baku(DAY, 14))
            results[counting] = service.current().energy_today_wh
            curve = service.history.today_curve(DAY)
            assert not [t for t, _ in curve if baku(DAY, 10, 5) <= t < baku(DAY, 13)]  # a gap, not zeros
        finally:
            store.close()
    assert results[True] == pytest.approx(5000.0 * 6)
    assert results[False] == pytest.approx(5000.0 * 3)


def test_daylight_saving_day_has_23_hours(data_dir: Path) -> None:
    zone = ZoneInfo("Europe/Berlin")
    store = open_store(data_dir)
    try:
        clock = FakeClock(datetime(2026, 3, 28, 0, 0, tzinfo=zone).astimezone(UTC))
        plant = PlantSource(clock, counting=False)
        plant.power_w = 600.0
        service = service_for(plant, store, clock, zone="Europe/Berlin")
        service.poll_once()
        poll_every(service, clock, datetime(2026, 3, 30, 1, 0, tzinfo=zone))
        totals = dict(service.history.daily_totals(5, until=date(2026, 3, 30)))
        assert totals[date(2026, 3, 28)] == pytest.approx(600.0 * 24)
        assert totals[date(2026, 3, 29)] == pytest.approx(600.0 * 23)
        curve = service.history.today_curve(date(2026, 3, 29))
        assert len(curve) == 23 * 12
        assert curve[0][0] == datetime(2026, 3, 29, 0, 0, tzinfo=zone)
    finally:
        store.close()


def test_curve_averages_readings_in_each_five_minute_slot(store: Store) -> None:
    clock = FakeClock(baku(DAY, 12))
    plant = PlantSource(clock)
    service = service_for(plant, store, clock)
    for power in (1000.0, 2000.0, 3000.0, 7000.0):
        plant.power_w = power
        service.poll_once()
        clock.advance(seconds=100)  # readings at :00:00, :01:40, :03:20 | :05:00
    assert service.history.today_curve(DAY) == [(baku(DAY, 12), 2000.0), (baku(DAY, 12, 5), 7000.0)]
    assert all(t.tzinfo == BAKU for t, _ in service.history.today_curve(DAY))


def test_co2_and_equivalents_follow_the_factors(store: Store) -> None:
    clock = FakeClock(baku(DAY, 12))
    plant = PlantSource(clock, counter_wh=10_000_000.0)
    plant.day_counter_wh = 66_000.0
    factors = EquivalentFactors(
        emission_kg_per_kwh=0.5, tree_kg_co2_per_year=22.0, car_kg_co2_per_km=0.2, home_kwh_per_day=6.6
    )
    service = EnergyService(plant, store, rated_power_w=30_000, clock=clock, factors=factors)
    snap = service.poll_once()
    assert snap.co2_today_kg == pytest.approx(33.0)
    assert snap.co2_total_kg == pytest.approx(5000.0)
    eq = snap.equivalents_today
    assert eq is not None
    assert (eq.trees, eq.car_km, eq.home_days) == (
        pytest.approx(1.5),
        pytest.approx(165.0),
        pytest.approx(10.0),
    )


def test_pruning_keeps_48_hours_raw_400_days_of_averages_and_every_day(store: Store) -> None:
    clock = FakeClock(datetime(2025, 1, 1, 12, tzinfo=UTC))
    plant = PlantSource(clock)
    plant.power_w = 100.0
    service = service_for(plant, store, clock)
    for _ in range(420):
        service.poll_once()
        clock.advance(days=1)
    service.poll_once()
    with store.session() as session:
        raw = session.scalar(select(func.count()).select_from(EnergyReadingRow))
        buckets = session.scalar(select(func.min(EnergyBucketRow.start_ts)))
        days = session.scalar(select(func.count()).select_from(EnergyDayRow))
    assert raw is not None and raw <= 3
    assert buckets is not None and buckets >= int((clock() - timedelta(days=400)).timestamp())
    assert days == 421
