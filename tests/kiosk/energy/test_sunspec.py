from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.energy.service import LIVE, OFFLINE, EnergyService
from kiosk.energy.sunspec import SunSpecSource
from kiosk.errors import SourceError
from kiosk.store.db import open_store
from tests.conftest import FakeClock
from tests.kiosk.energy.peers import SunSpecSimulator


@pytest.fixture
def inverter() -> Iterator[SunSpecSimulator]:
    simulator = SunSpecSimulator(W=1234, W_SF=1, WH=56789, WH_SF=2)
    simulator.start()
    yield simulator
    simulator.stop()


def source_for(sim: SunSpecSimulator, clock: FakeClock) -> SunSpecSource:
    return SunSpecSource("127.0.0.1", sim.port, 1, timeout=2.0, clock=clock)


def test_reads_exactly_the_values_put_in_with_scale_factors(
    inverter: SunSpecSimulator, clock: FakeClock
) -> None:
    reading = source_for(inverter, clock).read()
    assert reading.power_w == 12_340.0  # 1234 x 10^1
    assert reading.energy_total_wh == 5_678_900.0  # 56789 x 10^2
    assert reading.read_at == clock()


def test_reading_follows_changed_registers(inverter: SunSpecSimulator, clock: FakeClock) -> None:
    source = source_for(inverter, clock)
    source.read()
    inverter.set(W=25, W_SF=-1, WH=60000, WH_SF=2)  # negative scale factor: 2.5 W
    reading = source.read()
    assert reading.power_w == 2.5
    assert reading.energy_total_wh == 6_000_000.0


def test_unimplemented_power_is_garbage(inverter: SunSpecSimulator, clock: FakeClock) -> None:
    inverter.set(W=-32768)  # 0x8000: SunSpec's "not implemented" for int16
    with pytest.raises(SourceError, match="does not report AC power"):
        source_for(inverter, clock).read()


def test_model_701_is_read_where_there_is_no_10x_model(clock: FakeClock) -> None:
    sim = SunSpecSimulator(inverter_model=701, W=4321, W_SF=0, TotWhInj=987654, TotWh_SF=1)
    sim.start()
    try:
        reading = source_for(sim, clock).read()
        assert (reading.power_w, reading.energy_total_wh) == (4321.0, 9_876_540.0)
    finally:
        sim.stop()


def test_stopped_device_goes_offline_then_recovers(
    inverter: SunSpecSimulator, clock: FakeClock, data_dir: Path
) -> None:
    service = EnergyService(
        source_for(inverter, clock), open_store(data_dir), rated_power_w=30_000, clock=clock
    )
    assert service.poll_once().state == LIVE
    inverter.stop()
    clock.advance(seconds=5)
    snap = service.poll_once()
    assert snap.state == OFFLINE
    assert snap.power_w == 12_340.0 and snap.age_s == 5.0  # the last figure, with its age
    assert "127.0.0.1" in snap.error
    inverter.set(W=1500, W_SF=0, WH=56800)
    inverter.start()
    clock.advance(seconds=5)
    snap = service.poll_once()
    assert (snap.state, snap.power_w, snap.energy_total_wh) == (LIVE, 1500.0, 5_680_000.0)


def test_nothing_listening_is_a_source_error(clock: FakeClock) -> None:
    sim = SunSpecSimulator()  # never started: its port is free
    with pytest.raises(SourceError, match="cannot be read"):
        SunSpecSource("127.0.0.1", sim.port, timeout=1.0, clock=clock).read()
