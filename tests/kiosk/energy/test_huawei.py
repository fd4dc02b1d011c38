"""A Huawei SUN2000 on a real Modbus TCP simulator whose register image is laid out by huawei-solar.

The kiosk reads the registers itself (pymodbus, its own small table); huawei-solar (AGPL, a test
dependency only) is the independent reference: the simulator's image is encoded from the library's
register map, the kiosk's table is checked against that map, and for a range of register images the
kiosk's reading must agree with the library's own decoding of the same words.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from huawei_solar import register_names as rn
from huawei_solar.register_values import DEVICE_STATUS_DEFINITIONS
from huawei_solar.registers import REGISTERS
from pymodbus.client.mixin import ModbusClientMixin
from pymodbus.constants import ExcCodes

from kiosk.cli import main
from kiosk.config import EnergySettings
from kiosk.energy import huawei
from kiosk.energy.huawei import HuaweiSource
from kiosk.energy.reading import DeviceState
from kiosk.energy.service import LIVE, OFFLINE, EnergyService, make_source
from kiosk.errors import ConfigError, SourceError
from kiosk.store.db import open_store
from tests.conftest import FakeClock
from tests.kiosk.energy.peers import SunSpecSimulator

STATUS = {text: code for code, text in DEVICE_STATUS_DEFINITIONS.items()}
ON_GRID = STATUS["On-grid"]
NO_IRRADIATION = STATUS["Standby: no irradiation"]
FAULT = STATUS["Shutdown: fault"]
END = REGISTERS[rn.DAILY_YIELD_ENERGY].register + REGISTERS[rn.DAILY_YIELD_ENERGY].length


class Sun2000Simulator(SunSpecSimulator):
    """A SUN2000's holding registers from 30000 (model name) to past the daily yield (32115).

    ``set(active_power=W, device_status=code, accumulated_yield_energy=kWh, ...)`` takes values in
    the library's units and encodes them with the library's register definitions; ``raw(name, words)``
    puts exact words (e.g. a "not implemented" marker).
    """

    base = 30000

    def __init__(self, **values: Any) -> None:
        self.values: dict[str, Any] = {rn.MODEL_NAME: "SUN2000-10KTL-M1"} | values
        self.raws: dict[str, list[int]] = {}
        super().__init__()

    def _build(self) -> list[int]:
        image = [0] * (END - self.base)
        for name, value in self.values.items():
            self._place(image, name, self.raws.get(name) or encode(name, value))
        for name, words in self.raws.items():
            self._place(image, name, words)
        return image

    def _place(self, image: list[int], name: str, words: list[int]) -> None:
        register = REGISTERS[name]
        assert len(words) == register.length
        offset = register.register - self.base
        image[offset : offset + register.length] = words

    def set(self, **values: Any) -> None:
        self.values.update(values)
        for name in values:
            self.raws.pop(name, None)
        self._image = self._build()

    def raw(self, name: str, words: list[int]) -> None:
        self.raws[name] = words
        self._image = self._build()

    async def _refresh(self, *args: Any) -> ExcCodes | None:
        if self.busy_answers > 0:
            self.busy_answers -= 1
            return ExcCodes.DEVICE_BUSY
        await super()._refresh(*args)
        return None

    busy_answers = 0  # how many requests to answer "device busy" before serving them


def encode(name: str, value: Any) -> list[int]:
    """A value as the inverter holds it, by the library's definition of the register."""
    register = REGISTERS[name]
    if name == rn.MODEL_NAME:
        text = str(value).encode().ljust(2 * register.length, b"\0")
        return [int.from_bytes(text[i : i + 2], "big") for i in range(0, len(text), 2)]
    words: list[int] = register.encode(value)
    return words


@pytest.fixture(autouse=True)
def quick_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    # The kiosk waits 1.5 s after connecting before its first request, for real dongles;
    # the simulator is ready at once, and the tests connect often.
    monkeypatch.setattr(huawei, "SETTLE_AFTER_CONNECT_S", 0.02)


def day() -> dict[str, Any]:
    return {
        rn.ACTIVE_POWER: 4321,
        rn.DEVICE_STATUS: ON_GRID,
        rn.ACCUMULATED_YIELD_ENERGY: 12345.67,
        rn.DAILY_YIELD_ENERGY: 18.5,
    }


@pytest.fixture
def inverter() -> Iterator[Sun2000Simulator]:
    simulator = Sun2000Simulator(**day())
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def source(inverter: Sun2000Simulator, clock: FakeClock) -> Iterator[HuaweiSource]:
    reader = HuaweiSource("127.0.0.1", inverter.port, 1, timeout=1.0, clock=clock)
    yield reader
    reader.close()


def test_day_reading_has_power_lifetime_and_daily_yield(source: HuaweiSource, clock: FakeClock) -> None:
    reading = source.read()
    assert reading.read_at == clock()
    assert (reading.power_w, reading.energy_total_wh, reading.energy_today_wh) == (
        4321.0,
        12_345_670.0,
        18_500.0,
    )
    assert reading.state == DeviceState.PRODUCING
    assert reading.detail == "On-grid (0x0200)"


def test_no_irradiation_at_night_is_sleeping_at_zero_watts(
    inverter: Sun2000Simulator, source: HuaweiSource
) -> None:
    inverter.set(**{rn.ACTIVE_POWER: 0, rn.DEVICE_STATUS: NO_IRRADIATION})
    reading = source.read()
    assert (reading.power_w, reading.state, reading.energy_total_wh) == (
        0.0,
        DeviceState.SLEEPING,
        12_345_670.0,
    )
    assert reading.detail == "Standby: no irradiation (0xA000)"


def test_standby_draw_is_zero_watts(inverter: Sun2000Simulator, source: HuaweiSource) -> None:
    inverter.set(**{rn.ACTIVE_POWER: -7, rn.DEVICE_STATUS: NO_IRRADIATION})
    reading = source.read()
    assert (reading.power_w, reading.state) == (0.0, DeviceState.SLEEPING)
    assert "drawing 7 W" in reading.detail


def test_fault_status_is_a_fault(inverter: Sun2000Simulator, source: HuaweiSource) -> None:
    inverter.set(**{rn.ACTIVE_POWER: 0, rn.DEVICE_STATUS: FAULT})
    reading = source.read()
    assert (reading.power_w, reading.state, reading.detail) == (
        0.0,
        DeviceState.FAULT,
        "Shutdown: fault (0x0300)",
    )


def test_counter_not_reported_for_one_poll_is_no_counter(
    inverter: Sun2000Simulator, source: HuaweiSource
) -> None:
    assert source.read().energy_total_wh == 12_345_670.0
    inverter.raw(rn.ACCUMULATED_YIELD_ENERGY, [0xFFFF, 0xFFFF])  # the library's "invalid" u32
    assert source.read().energy_total_wh is None
    inverter.set(**{rn.ACCUMULATED_YIELD_ENERGY: 12345.68})
    assert source.read().energy_total_wh == 12_345_680.0


def test_unknown_status_code_still_reads_the_figures(
    inverter: Sun2000Simulator, source: HuaweiSource
) -> None:
    unknown = 0x0B00
    assert unknown not in DEVICE_STATUS_DEFINITIONS
    inverter.raw(rn.DEVICE_STATUS, [unknown])
    reading = source.read()
    assert (reading.power_w, reading.state, reading.detail) == (
        4321.0,
        DeviceState.PRODUCING,
        "device status unknown",
    )


def test_port_closed_at_night_is_offline_then_live_again(
    inverter: Sun2000Simulator, clock: FakeClock, data_dir: Path
) -> None:
    source = HuaweiSource("127.0.0.1", inverter.port, 1, timeout=0.4, clock=clock)
    service = EnergyService(source, open_store(data_dir), rated_power_w=10_000, clock=clock)
    assert service.poll_once().state == LIVE
    inverter.stop()
    clock.advance(seconds=5)
    snap = service.poll_once()
    assert snap.state == OFFLINE and "127.0.0.1" in snap.error
    assert snap.power_w == 4321.0  # the last figure, with its age
    inverter.set(**{rn.ACTIVE_POWER: 1500, rn.ACCUMULATED_YIELD_ENERGY: 12346.0})
    inverter.start()
    clock.advance(seconds=5)
    snap = service.poll_once()
    assert (snap.state, snap.power_w, snap.energy_total_wh) == (LIVE, 1500.0, 12_346_000.0)
    source.close()


def test_a_dead_inverter_is_logged_once_when_it_stops_and_once_when_it_answers_again(
    inverter: Sun2000Simulator, clock: FakeClock, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    logging.getLogger("pymodbus").setLevel(logging.NOTSET)  # as in a fresh kiosk process
    caplog.set_level(logging.DEBUG)
    source = HuaweiSource("127.0.0.1", inverter.port, 1, timeout=0.4, clock=clock)
    service = EnergyService(source, open_store(data_dir), rated_power_w=10_000, clock=clock)
    assert service.poll_once().state == LIVE

    def said(level: int, words: str) -> list[str]:
        return [r.getMessage() for r in caplog.records if r.levelno == level and words in r.getMessage()]

    for _night in range(2):
        inverter.stop()
        for _poll in range(5):  # a night of polls, one a minute
            clock.advance(seconds=60)
            assert service.poll_once().state == OFFLINE
        inverter.start()
        clock.advance(seconds=60)
        assert service.poll_once().state == LIVE
    down = said(logging.WARNING, "not answering since")
    assert [line.split(": Huawei inverter")[0] for line in down] == [
        "Energy source huawei not answering since 2026-06-21 13:01:00 +04",
        "Energy source huawei not answering since 2026-06-21 13:07:00 +04",
    ]  # one line per outage (not one per poll), in the centre's local time, with the reason
    assert all(f"127.0.0.1:{inverter.port} unit 1 cannot be" in line for line in down)
    assert said(logging.INFO, "answering again") == [
        "Energy source huawei answering again (it did not answer from 2026-06-21 13:01:00 +04 for 5 min)",
        "Energy source huawei answering again (it did not answer from 2026-06-21 13:07:00 +04 for 5 min)",
    ]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pymodbus")] == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    source.close()


def test_slow_device_is_a_source_error_within_the_timeout(
    inverter: Sun2000Simulator, clock: FakeClock
) -> None:
    inverter.delay = 3.0
    source = HuaweiSource("127.0.0.1", inverter.port, 1, timeout=0.3, clock=clock)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"did not answer within 0\.3 s"):
        source.read()
    elapsed = time.monotonic() - started
    source.close()
    assert elapsed < 1.0


def test_unit_id_reaches_the_device_behind_a_logger(clock: FakeClock) -> None:
    # A SmartLogger or SDongle passes requests on by unit id; a wrong id gets no answer.
    second = Sun2000Simulator(**day() | {rn.ACTIVE_POWER: 2222})
    second.device_id = 2
    second.start()
    try:
        right = HuaweiSource("127.0.0.1", second.port, 2, timeout=0.3, clock=clock)
        assert right.read().power_w == 2222.0
        right.close()
        wrong = HuaweiSource("127.0.0.1", second.port, 1, timeout=0.3, clock=clock)
        with pytest.raises(SourceError, match="unit 1 did not answer"):
            wrong.read()
        wrong.close()
    finally:
        second.stop()


def test_nothing_listening_is_a_source_error(clock: FakeClock) -> None:
    free = Sun2000Simulator()  # never started: its port is free
    source = HuaweiSource("127.0.0.1", free.port, 1, timeout=0.5, clock=clock)
    with pytest.raises(SourceError, match="cannot be reached"):
        source.read()
    source.close()


def test_kioskctl_energy_once_reads_a_huawei_inverter(
    inverter: Sun2000Simulator, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[energy]\nsource = "huawei"\nhost = "127.0.0.1"\nport = {inverter.port}\nunit_id = 1\n',
        encoding="utf-8",
    )
    assert main(["energy", "--once", "--config", str(config), "--data-dir", str(data_dir)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (result["source"], result["power_w"], result["energy_total_wh"]) == (
        "huawei",
        4321.0,
        12_345_670.0,
    )


def test_huawei_source_without_host_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"source = 'huawei'.* needs host"):
        make_source(EnergySettings(source="huawei"))


def test_register_table_matches_huawei_solar_definitions() -> None:
    datatypes = {
        "string": ModbusClientMixin.DATATYPE.STRING,
        "uint16": ModbusClientMixin.DATATYPE.UINT16,
        "uint32": ModbusClientMixin.DATATYPE.UINT32,
        "int32": ModbusClientMixin.DATATYPE.INT32,
    }
    assert set(huawei.READ_NAMES) | {rn.MODEL_NAME} == set(huawei.REGISTERS)
    for name, ours in huawei.REGISTERS.items():
        theirs = REGISTERS[name]
        assert (ours.address, ours.length, datatypes[ours.datatype]) == (
            theirs.register,
            theirs.length,
            theirs.datatype,
        ), name
        if ours.datatype != "string":
            assert (ours.gain, ours.unit or None, ours.not_reported) == (
                theirs.gain,  # type: ignore[attr-defined]
                theirs.unit if isinstance(theirs.unit, str) else None,
                theirs._invalid_value,  # type: ignore[attr-defined]
            ), name
    assert huawei.STATUS_TEXT == DEVICE_STATUS_DEFINITIONS


def words(value: int, length: int = 2) -> list[int]:
    """A raw integer as big-endian 16-bit words, two's complement when negative."""
    value %= 1 << (16 * length)
    return [(value >> (16 * (length - 1 - i))) & 0xFFFF for i in range(length)]


# Register images (raw words) and the state the status must give; the figures are the library's.
CROSS_CHECK = {
    "day": (
        {
            rn.ACTIVE_POWER: words(4321),
            rn.DEVICE_STATUS: [ON_GRID],
            rn.ACCUMULATED_YIELD_ENERGY: words(1_234_567),
            rn.DAILY_YIELD_ENERGY: words(1850),
        },
        DeviceState.PRODUCING,
    ),
    "night": (
        {
            rn.ACTIVE_POWER: words(0),
            rn.DEVICE_STATUS: [NO_IRRADIATION],
            rn.ACCUMULATED_YIELD_ENERGY: words(1_234_567),
            rn.DAILY_YIELD_ENERGY: words(0),
        },
        DeviceState.SLEEPING,
    ),
    "fault": (
        {
            rn.ACTIVE_POWER: words(0),
            rn.DEVICE_STATUS: [FAULT],
            rn.ACCUMULATED_YIELD_ENERGY: words(98_765),
            rn.DAILY_YIELD_ENERGY: words(3),
        },
        DeviceState.FAULT,
    ),
    "large counters, high words set": (
        {
            rn.ACTIVE_POWER: words(185_000),
            rn.DEVICE_STATUS: [STATUS["Grid Connection: power limited"]],
            rn.ACCUMULATED_YIELD_ENERGY: words(0xFFFF_FFFE),
            rn.DAILY_YIELD_ENERGY: words(0x0001_0001),
        },
        DeviceState.PRODUCING,
    ),
    "negative power, two words": (
        {
            rn.ACTIVE_POWER: words(-123_456),
            rn.DEVICE_STATUS: [STATUS["Shutdown: command"]],
            rn.ACCUMULATED_YIELD_ENERGY: words(0x0123_4567),
            rn.DAILY_YIELD_ENERGY: words(1),
        },
        DeviceState.SLEEPING,
    ),
    "standby draw": (
        {
            rn.ACTIVE_POWER: words(-7),
            rn.DEVICE_STATUS: [STATUS["Standby: detecting irradiation"]],
            rn.ACCUMULATED_YIELD_ENERGY: words(10),
            rn.DAILY_YIELD_ENERGY: words(0),
        },
        DeviceState.SLEEPING,
    ),
    "nothing reported": (
        {
            rn.ACTIVE_POWER: [0x7FFF, 0xFFFF],
            rn.DEVICE_STATUS: [STATUS["Shutdown: input underpowered"]],
            rn.ACCUMULATED_YIELD_ENERGY: [0xFFFF, 0xFFFF],
            rn.DAILY_YIELD_ENERGY: [0xFFFF, 0xFFFF],
        },
        DeviceState.SLEEPING,
    ),
}


def test_readings_agree_with_huawei_solar_decoding(inverter: Sun2000Simulator, source: HuaweiSource) -> None:
    for case, (image, state) in CROSS_CHECK.items():
        for name, raw in image.items():
            inverter.raw(name, raw)
        power = REGISTERS[rn.ACTIVE_POWER].decode(image[rn.ACTIVE_POWER])
        status = REGISTERS[rn.DEVICE_STATUS].decode(image[rn.DEVICE_STATUS])
        total = REGISTERS[rn.ACCUMULATED_YIELD_ENERGY].decode(image[rn.ACCUMULATED_YIELD_ENERGY])
        today = REGISTERS[rn.DAILY_YIELD_ENERGY].decode(image[rn.DAILY_YIELD_ENERGY])
        reading = source.read()
        assert reading.power_w == max(0, power or 0), case
        if power is not None and power < 0:
            assert f"drawing {-power} W" in reading.detail, case
        assert reading.energy_total_wh == (pytest.approx(total * 1000, rel=1e-15) if total else None), case
        assert reading.energy_today_wh == (
            pytest.approx(today * 1000, rel=1e-15) if today is not None else None
        ), case
        assert reading.detail.startswith(f"{status} (0x{STATUS[status]:04X})"), case
        assert reading.state == state, case


def test_busy_device_is_asked_again_within_the_timeout(
    inverter: Sun2000Simulator, source: HuaweiSource
) -> None:
    inverter.busy_answers = 3  # e.g. just after connecting, or after a long pause
    assert source.read().power_w == 4321.0
    assert inverter.busy_answers == 0


def test_device_busy_for_longer_than_the_timeout_is_a_source_error(
    inverter: Sun2000Simulator, clock: FakeClock
) -> None:
    inverter.busy_answers = 1_000_000
    source = HuaweiSource("127.0.0.1", inverter.port, 1, timeout=0.3, clock=clock)
    started = time.monotonic()
    stayed_busy = r"did not answer within 0\.3 s: it stayed busy \(Modbus exception 6\)"
    with pytest.raises(SourceError, match=stayed_busy):
        source.read()
    assert time.monotonic() - started < 1.0
    source.close()


def test_kiosk_reads_huawei_without_importing_the_agpl_library() -> None:
    # huawei-solar (AGPL-3.0) is installed here as the tests' reference; the shipped kiosk must not use it.
    probe = (
        "import sys, kiosk.cli, kiosk.energy.huawei, kiosk.energy.service\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'huawei_solar', 'backoff', 'pytz'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
