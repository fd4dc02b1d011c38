"""SunSpec inverters and meters on a real Modbus TCP simulator, and recorded images of real devices.

The recorded images (``recorded/``: an SMA Sunny Boy 3.6 by day and at night, a SolarEdge
SE3000H, a Fimer PVS) are from Niels Basjes' Modbus Schema Toolkit (github.com/nielsbasjes/modbus-schema),
Apache License 2.0; ``recorded/README.md`` says which recording each one is.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.energy.reading import DeviceState
from kiosk.energy.service import LIVE, OFFLINE, SLEEPING, EnergyService
from kiosk.energy.sunspec import SunSpecSource
from kiosk.errors import SourceError
from kiosk.store.db import open_store
from tests.conftest import FakeClock
from tests.kiosk.energy.peers import SunSpecSimulator

RECORDED = Path(__file__).parent / "recorded"
NOT_IMPLEMENTED_INT16 = -32768


class RecordedDevice(SunSpecSimulator):
    """A simulator answering exactly the registers a real device answered (``----``: served as FFFF)."""

    def __init__(self, name: str) -> None:
        self.recording = RECORDED / name
        super().__init__()

    def _build(self) -> list[int]:
        words: list[int] = []
        for line in self.recording.read_text(encoding="utf-8").splitlines():
            for word in line.split("#", 1)[0].split():
                words.append(0xFFFF if word == "----" else int(word, 16))
        return words


@pytest.fixture
def inverter() -> Iterator[SunSpecSimulator]:
    simulator = SunSpecSimulator(W=1234, W_SF=1, WH=56789, WH_SF=2, St=4)
    simulator.start()
    yield simulator
    simulator.stop()


def running(sim: SunSpecSimulator) -> SunSpecSimulator:
    sim.start()
    return sim


@pytest.fixture
def simulators() -> Iterator[list[SunSpecSimulator]]:
    started: list[SunSpecSimulator] = []
    yield started
    for sim in started:
        sim.stop()


def source_for(sim: SunSpecSimulator, clock: FakeClock, timeout: float = 2.0) -> SunSpecSource:
    return SunSpecSource("127.0.0.1", sim.port, 1, timeout=timeout, clock=clock)


def read_once(sim: SunSpecSimulator, clock: FakeClock) -> Any:
    source = source_for(sim, clock)
    try:
        return source.read()
    finally:
        source.close()


def test_reads_exactly_the_values_put_in_with_scale_factors(
    inverter: SunSpecSimulator, clock: FakeClock
) -> None:
    reading = read_once(inverter, clock)
    assert reading.power_w == 12_340.0  # 1234 x 10^1
    assert reading.energy_total_wh == 5_678_900.0  # 56789 x 10^2
    assert reading.read_at == clock()
    assert (reading.state, reading.detail) == (DeviceState.PRODUCING, "St=4 MPPT")


def test_reading_follows_changed_registers(inverter: SunSpecSimulator, clock: FakeClock) -> None:
    source = source_for(inverter, clock)
    source.read()
    inverter.set(W=25, W_SF=-1, WH=60000, WH_SF=2)  # negative scale factor: 2.5 W
    reading = source.read()
    source.close()
    assert reading.power_w == 2.5
    assert reading.energy_total_wh == 6_000_000.0


@pytest.mark.parametrize(
    ("recording", "power_w", "energy_wh", "state"),
    [
        # 0x0170 x 10^1 W, 0x002E5E85 x 10^1 Wh, St 4 (MPPT)
        ("sma-sunnyboy-3.6-day.txt", 3680.0, 30_388_530.0, DeviceState.PRODUCING),
        # W 0x8000 and St 0xFFFF at night, the counter 0x002CFB4A x 10^1 Wh still there
        ("sma-sunnyboy-3.6-night.txt", 0.0, 29_479_140.0, DeviceState.SLEEPING),
        # 0x13E4 x 10^-1 W, 0x450F Wh; its common model is one register short
        ("solaredge-2019.txt", 509.2, 17_679.0, DeviceState.PRODUCING),
        # three-phase model 103: 0x373A x 10^1 W, 0x02BD2174 x 10^1 Wh, then two vendor models
        ("fimer-pvs-2024.txt", 141_380.0, 459_493_000.0, DeviceState.PRODUCING),
    ],
)
def test_recorded_real_devices_read_as_they_were(
    recording: str,
    power_w: float,
    energy_wh: float,
    state: DeviceState,
    simulators: list[SunSpecSimulator],
    clock: FakeClock,
) -> None:
    device = RecordedDevice(recording)
    simulators.append(running(device))
    reading = read_once(device, clock)
    assert math.isclose(reading.power_w, power_w, abs_tol=1e-9)
    assert reading.energy_total_wh == energy_wh
    assert reading.state == state


@pytest.mark.parametrize("st", [1, 2, 3, 8])  # OFF, SLEEPING, STARTING, STANDBY
def test_inverter_asleep_without_ac_power_is_live_at_zero_watts(
    st: int, inverter: SunSpecSimulator, clock: FakeClock
) -> None:
    inverter.set(W=NOT_IMPLEMENTED_INT16, St=st)
    reading = read_once(inverter, clock)
    assert (reading.power_w, reading.state) == (0.0, DeviceState.SLEEPING)
    assert reading.energy_total_wh == 5_678_900.0
    assert reading.detail.startswith(f"St={st} ")


def test_producing_state_without_ac_power_is_garbage(inverter: SunSpecSimulator, clock: FakeClock) -> None:
    inverter.set(W=NOT_IMPLEMENTED_INT16, St=4)  # says MPPT, reports no power
    with pytest.raises(SourceError, match="says it is producing"):
        read_once(inverter, clock)


def test_standby_draw_is_zero_watts_not_an_impossible_reading(
    inverter: SunSpecSimulator, clock: FakeClock
) -> None:
    inverter.set(W=-12, W_SF=0, St=8)
    reading = read_once(inverter, clock)
    assert (reading.power_w, reading.state) == (0.0, DeviceState.SLEEPING)
    assert "drawing 12 W" in reading.detail


def test_fault_state_is_a_fault_with_its_event_bits(inverter: SunSpecSimulator, clock: FakeClock) -> None:
    inverter.set(W=0, St=7, Evt1=(1 << 0) | (1 << 7))
    reading = read_once(inverter, clock)
    assert (reading.power_w, reading.state) == (0.0, DeviceState.FAULT)
    assert reading.detail == "St=7 FAULT; Evt1: GROUND_FAULT, OVER_TEMP"


def test_counter_not_implemented_for_one_poll_is_no_counter_never_zero(
    inverter: SunSpecSimulator, clock: FakeClock
) -> None:
    source = source_for(inverter, clock)
    assert source.read().energy_total_wh == 5_678_900.0
    inverter.set(WH=0)  # acc32 0: SunSpec's "not implemented"
    assert source.read().energy_total_wh is None
    inverter.set(WH=0xFFFFFFFF)  # the uint32 marker some devices use instead
    assert source.read().energy_total_wh is None
    inverter.set(WH=56790)
    assert source.read().energy_total_wh == 5_679_000.0
    source.close()


def test_float_model_asleep_reports_nan_as_not_implemented(
    simulators: list[SunSpecSimulator], clock: FakeClock
) -> None:
    nan = float("nan")
    device = running(SunSpecSimulator(inverter_model=113, W=nan, WH=nan, St=2))
    simulators.append(device)
    reading = read_once(device, clock)
    assert (reading.power_w, reading.energy_total_wh, reading.state) == (0.0, None, DeviceState.SLEEPING)
    device.set(W=2750.5, WH=1.5e6, St=4)
    reading = read_once(device, clock)
    assert (reading.power_w, reading.energy_total_wh, reading.state) == (
        2750.5,
        1.5e6,
        DeviceState.PRODUCING,
    )


def test_model_701_is_read_where_there_is_no_10x_model(
    simulators: list[SunSpecSimulator], clock: FakeClock
) -> None:
    sim = running(SunSpecSimulator(inverter_model=701, W=4321, W_SF=0, TotWhInj=987654, TotWh_SF=1, InvSt=3))
    simulators.append(sim)
    reading = read_once(sim, clock)
    assert (reading.power_w, reading.energy_total_wh, reading.state) == (
        4321.0,
        9_876_540.0,
        DeviceState.PRODUCING,
    )
    sim.set(W=NOT_IMPLEMENTED_INT16, InvSt=1)
    assert read_once(sim, clock).state == DeviceState.SLEEPING
    sim.set(W=0, InvSt=6)
    assert read_once(sim, clock).detail == "InvSt=6 FAULT"


@pytest.mark.parametrize("model", [201, 203, 204])
def test_meter_reads_export_as_production(
    model: int, simulators: list[SunSpecSimulator], clock: FakeClock
) -> None:
    # SunSpec meters count import as positive: a PV output meter exports what the plant makes.
    meter = running(
        SunSpecSimulator(inverter_model=model, W=-2500, W_SF=0, TotWhExp=123456, TotWhImp=80, TotWh_SF=1)
    )
    simulators.append(meter)
    reading = read_once(meter, clock)
    assert (reading.power_w, reading.energy_total_wh, reading.state) == (
        2500.0,
        1_234_560.0,
        DeviceState.PRODUCING,
    )
    meter.set(W=8)  # at night the inverter draws a few watts through the meter
    reading = read_once(meter, clock)
    assert (reading.power_w, reading.energy_total_wh, reading.state) == (
        0.0,
        1_234_560.0,
        DeviceState.SLEEPING,
    )


def test_meter_installed_the_other_way_round_reads_import_as_production(
    simulators: list[SunSpecSimulator], clock: FakeClock
) -> None:
    meter = running(SunSpecSimulator(inverter_model=213, W=1500.0, TotWhExp=40.0, TotWhImp=9.5e6, PhV=230.0))
    simulators.append(meter)
    reading = read_once(meter, clock)
    assert (reading.power_w, reading.energy_total_wh) == (1500.0, 9.5e6)
    assert "production = import" in reading.detail


def test_device_with_neither_inverter_nor_meter_is_refused(
    simulators: list[SunSpecSimulator], clock: FakeClock
) -> None:
    sim = running(SunSpecSimulator(inverter_model=120))  # a nameplate model only
    simulators.append(sim)
    with pytest.raises(SourceError, match="no inverter or meter model"):
        read_once(sim, clock)


def test_sleeping_inverter_is_live_then_closes_its_port_and_comes_back_at_sunrise(
    inverter: SunSpecSimulator, clock: FakeClock, data_dir: Path
) -> None:
    source = source_for(inverter, clock)
    service = EnergyService(source, open_store(data_dir), rated_power_w=30_000, clock=clock)
    inverter.set(W=NOT_IMPLEMENTED_INT16, St=2)
    snap = service.poll_once()
    assert (snap.state, snap.power_w) == (SLEEPING, 0.0)  # asleep: a live plant at 0 W, not "offline"
    inverter.stop()  # the inverter closes its Modbus port for the night
    clock.advance(seconds=5)
    snap = service.poll_once()
    assert snap.state == OFFLINE and "127.0.0.1" in snap.error
    assert (snap.power_w, snap.age_s) == (0.0, 5.0)  # the last figure, with its age
    inverter.set(W=1500, W_SF=0, WH=56800, St=4)
    inverter.start()
    clock.advance(seconds=5)
    snap = service.poll_once()
    assert (snap.state, snap.power_w, snap.energy_total_wh) == (LIVE, 1500.0, 5_680_000.0)
    source.close()


def test_slow_device_is_a_source_error_within_the_timeout(
    simulators: list[SunSpecSimulator], clock: FakeClock
) -> None:
    slow = SunSpecSimulator(W=100, St=4)
    slow.delay = 2.0
    simulators.append(running(slow))
    source = source_for(slow, clock, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(SourceError, match="cannot be read"):
        source.read()
    assert time.monotonic() - started < 1.5
    source.close()


def test_nothing_listening_is_a_source_error(clock: FakeClock) -> None:
    sim = SunSpecSimulator()  # never started: its port is free
    with pytest.raises(SourceError, match="cannot be read"):
        SunSpecSource("127.0.0.1", sim.port, timeout=1.0, clock=clock).read()


def test_kioskctl_energy_once_reads_a_sleeping_inverter(
    simulators: list[SunSpecSimulator],
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    device = running(RecordedDevice("sma-sunnyboy-3.6-night.txt"))
    simulators.append(device)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[energy]\nsource = "sunspec"\nhost = "127.0.0.1"\nport = {device.port}\nunit_id = 1\n',
        encoding="utf-8",
    )
    assert main(["energy", "--once", "--config", str(config), "--data-dir", str(data_dir)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (result["power_w"], result["energy_total_wh"]) == (0.0, 29_479_140.0)


def test_an_inverter_swapped_overnight_for_one_with_a_lower_counter_keeps_the_lifetime(
    simulators: list[SunSpecSimulator], data_dir: Path
) -> None:
    clock = FakeClock(datetime(2026, 6, 20, 18, 0, tzinfo=UTC))  # 22:00 in Baku
    old = running(RecordedDevice("sma-sunnyboy-3.6-night.txt"))
    source = source_for(old, clock)
    service = EnergyService(source, open_store(data_dir), rated_power_w=5000, clock=clock)
    night = service.poll_once()
    assert (night.state, night.energy_total_wh) == (SLEEPING, 29_479_140.0)
    old.stop()
    source.close()
    new = RecordedDevice("solaredge-2019.txt")  # its counter: 17,679 Wh
    new.port = old.port  # the same address, as the installer configures the replacement
    simulators.append(running(new))
    clock.advance(hours=12)  # 10:00, producing
    shown = []
    for _ in range(3):
        snap = service.poll_once()
        shown.append((snap.state, snap.energy_total_wh))
        clock.advance(minutes=5)
    assert shown == [(OFFLINE, 29_479_140.0)] * 2 + [(LIVE, 29_479_140.0)]  # a reset after 3 readings
    assert service.dropped == 2
    assert service.current().power_w == pytest.approx(509.2)
    source.close()
