"""Energy in the field: recorded answers of real Fronius loggers, night, whole sites, a missing counter.

Recorded answers (tests/kiosk/energy/fixtures/fronius/, bytes as published, see its README.md):
- home-assistant/core, tests/components/fronius/fixtures/{symo,gen24,igplus_v2}/*.json, Apache-2.0
  (Fronius Symo, GEN24 and IG Plus loggers, day and night);
- josephhanceslm/restful-clojure, README.md (a Fronius Primo's GetInverterRealtimeData.cgi?Scope=System
  answer quoted there), EPL-1.0.
Each is served by a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.energy.fronius import INVERTER_SYSTEM_PATH, POWER_FLOW_PATH, FroniusSource
from kiosk.energy.reading import DeviceState, EnergyReading
from kiosk.energy.service import LIVE, PARTIAL, SLEEPING, EnergyService, make_sources
from kiosk.energy.simulator import ClearSkySource
from kiosk.errors import ConfigError, SourceError
from kiosk.store.db import open_store
from tests.conftest import FakeClock
from tests.kiosk.energy.peers import JsonServer, recorded

BAKU = ZoneInfo("Asia/Baku")
FLOW = "/" + POWER_FLOW_PATH


@pytest.fixture
def server() -> Iterator[JsonServer]:
    running = JsonServer()
    yield running
    running.close()


def serve(server: JsonServer, name: str, path: str = FLOW) -> None:
    server.routes = {path: recorded(f"fronius/{name}")}


def test_symo_at_night_is_asleep_at_zero_watts_with_its_counters(
    server: JsonServer, clock: FakeClock
) -> None:
    serve(server, "symo_powerflow_night.json")
    reading = FroniusSource(server.url, clock=clock).read()
    assert (reading.state, reading.power_w) == (DeviceState.SLEEPING, 0.0)
    assert (reading.energy_total_wh, reading.energy_today_wh) == (44_186_900.0, 10_828.0)


def test_igplus_night_answers_null_for_everything_and_is_asleep(server: JsonServer, clock: FakeClock) -> None:
    serve(server, "igplus_powerflow_night.json")
    reading = FroniusSource(server.url, clock=clock).read()
    assert (reading.state, reading.power_w, reading.energy_total_wh) == (DeviceState.SLEEPING, 0.0, None)


def test_a_full_endpoint_url_with_a_query_is_used_as_given(server: JsonServer, clock: FakeClock) -> None:
    path = FLOW + "?humanreadable=false"
    serve(server, "gen24_powerflow_day.json", path)
    reading = FroniusSource(server.url + path, clock=clock).read()
    assert server.paths == [path]
    assert reading.state == DeviceState.PRODUCING and reading.power_w == pytest.approx(62.948, abs=0.001)


def test_a_logger_without_power_flow_is_read_from_inverter_realtime_data(
    server: JsonServer, clock: FakeClock
) -> None:
    serve(server, "primo_inverter_system.json", "/" + INVERTER_SYSTEM_PATH)
    source = FroniusSource(server.url + "/", clock=clock)
    reading = source.read()
    assert (reading.power_w, reading.energy_today_wh, reading.energy_total_wh) == (2130.0, 870.0, 1_574_178.0)
    source.read()
    assert server.paths == [FLOW, "/" + INVERTER_SYSTEM_PATH, "/" + INVERTER_SYSTEM_PATH]  # remembered


def test_a_configured_endpoint_that_is_missing_is_an_error_not_a_guess(
    server: JsonServer, clock: FakeClock
) -> None:
    serve(server, "primo_inverter_system.json", "/" + INVERTER_SYSTEM_PATH)
    with pytest.raises(SourceError, match="HTTP 404"):
        FroniusSource(server.url + FLOW, clock=clock).read()


def test_lifetime_total_never_drops_when_the_counter_goes_null_at_night(
    server: JsonServer, data_dir: Path
) -> None:
    clock = FakeClock(datetime(2026, 7, 14, 17, 29, tzinfo=BAKU))
    service = EnergyService(
        FroniusSource(server.url, clock=clock), open_store(data_dir), rated_power_w=5000, clock=clock
    )
    serve(server, "igplus_powerflow_day.json")
    day = service.poll_once()
    serve(server, "igplus_powerflow_night.json")
    for _ in range(3):
        clock.advance(hours=2)
        night = service.poll_once()
        assert (night.state, night.power_w) == (SLEEPING, 0.0)
        assert night.energy_total_wh == day.energy_total_wh == 1_230_000.0
        assert night.co2_total_kg == day.co2_total_kg


def test_a_counter_missing_for_one_poll_is_neither_lost_nor_counted_twice(
    server: JsonServer, data_dir: Path
) -> None:
    clock = FakeClock(datetime(2026, 11, 26, 12, 0, tzinfo=BAKU))
    answer = json.loads(recorded("fronius/gen24_powerflow_day.json"))
    site = answer["Body"]["Data"]["Site"]
    service = EnergyService(
        FroniusSource(server.url, clock=clock), open_store(data_dir), rated_power_w=5000, clock=clock
    )
    server.body = answer
    first = service.poll_once()
    site["P_PV"], site["E_Total"] = 1200.0, None
    clock.advance(minutes=5)
    missing = service.poll_once()
    bridged = (62.948 + 1200.0) / 2 * 5 / 60  # Wh integrated from power while the counter was missing
    assert first.energy_total_wh is not None
    assert missing.energy_total_wh == pytest.approx(first.energy_total_wh + bridged)
    site["E_Total"] = 1_530_193.42 + 200.0  # 10 minutes at about 1.2 kW since the first poll
    clock.advance(minutes=5)
    back = service.poll_once()
    assert back.energy_total_wh == pytest.approx(1_530_393.42)
    assert back.energy_today_wh == pytest.approx(200.0)


def test_a_counter_reading_zero_after_a_known_count_is_missing_not_a_reset(data_dir: Path) -> None:
    clock = FakeClock(datetime(2026, 6, 21, 22, 0, tzinfo=BAKU))

    class Night:
        name = "night"
        counter = 5_000_000.0

        def read(self) -> EnergyReading:
            return EnergyReading(clock(), 0.0, self.counter, state=DeviceState.SLEEPING)

    night = Night()
    service = EnergyService(night, open_store(data_dir), rated_power_w=5000, clock=clock)
    service.poll_once()
    night.counter = 0.0  # SunSpec acc32 "not implemented" at night
    for _ in range(5):
        clock.advance(minutes=30)
        assert service.poll_once().energy_total_wh == 5_000_000.0


def site_config(tmp_path: Path, urls: list[str], extra: str = "") -> Path:
    tables = "".join(
        f'\n[[energy.sources]]\nsource = "fronius"\nurl = "{url}"\ntimeout_seconds = 0.5\n' for url in urls
    )
    path = tmp_path / "kiosk.toml"
    path.write_text(f"[energy]\nrated_power_w = 20000\n{extra}{tables}", encoding="utf-8")
    return path


def test_config_takes_a_table_per_device_and_names_a_wrong_key_by_line(tmp_path: Path) -> None:
    path = site_config(tmp_path, ["http://192.0.2.10", "http://192.0.2.11"])
    devices = load_settings(path).energy.devices()
    assert [(d.source, d.url, d.timeout_seconds) for d in devices] == [
        ("fronius", "http://192.0.2.10", 0.5),
        ("fronius", "http://192.0.2.11", 0.5),
    ]
    path.write_text(path.read_text() + "colour = 'red'\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value).startswith(f"{path}, line 13: unknown key 'colour' in [[energy.sources]] #2")


def test_config_refuses_device_keys_in_energy_beside_device_tables(tmp_path: Path) -> None:
    path = site_config(tmp_path, ["http://192.0.2.10"], extra='host = "192.0.2.9"\n')
    with pytest.raises(ConfigError, match=r"line 3: \[energy\] host: with \[\[energy.sources\]\] tables"):
        load_settings(path)


def test_two_devices_with_the_same_address_are_refused(tmp_path: Path) -> None:
    settings = load_settings(site_config(tmp_path, ["http://192.0.2.10", "http://192.0.2.10"]))
    with pytest.raises(ConfigError, match="two devices are both"):
        make_sources(settings.energy)


def test_site_sums_its_devices_and_one_silent_device_makes_it_partial(data_dir: Path) -> None:
    clock = FakeClock(datetime(2026, 7, 14, 12, 0, tzinfo=BAKU))
    servers = [JsonServer() for _ in range(3)]
    try:
        for one, name in zip(servers, ("symo", "igplus", "gen24"), strict=True):
            serve(one, f"{name}_powerflow_day.json")
        sources = {
            f"roof {i}": FroniusSource(one.url, timeout=0.5, clock=clock) for i, one in enumerate(servers, 1)
        }
        service = EnergyService(sources, open_store(data_dir), rated_power_w=20_000, clock=clock)
        whole = service.poll_once()
        assert whole.state == LIVE and whole.reporting == 3
        assert whole.power_w == pytest.approx(1111 + 2241 + 62.948, abs=0.01)
        assert whole.energy_total_wh == pytest.approx(44_188_000 + 1_230_000 + 1_530_193.42)
        servers[1].close()
        clock.advance(minutes=5)
        partial = service.poll_once()
        assert (partial.state, partial.reporting, partial.silent) == (PARTIAL, 2, ("roof 2",))
        assert partial.short_state == "partial 2/3"
        assert partial.power_w == pytest.approx(1111 + 62.948, abs=0.01)
        assert partial.energy_total_wh == pytest.approx(whole.energy_total_wh)  # never a drop
    finally:
        for one in servers:
            one.close()


def test_kioskctl_prints_the_sum_and_each_device(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    servers = [JsonServer() for _ in range(2)]
    try:
        serve(servers[0], "symo_powerflow_day.json")
        serve(servers[1], "primo_inverter_system.json", "/" + INVERTER_SYSTEM_PATH)
        silent = JsonServer()
        silent.close()
        path = site_config(tmp_path, [servers[0].url, servers[1].url, silent.url])
        assert main(["energy", "--once", "--config", str(path), "--data-dir", str(data_dir)]) == 0
    finally:
        for one in servers:
            one.close()
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (result["source"], result["state"], result["power_w"]) == ("site", "partial", 1111 + 2130)
    assert result["energy_total_wh"] == 44_188_000 + 1_574_178
    states = [(d["name"], d["state"]) for d in result["sources"]]
    assert states == [
        (f"fronius {servers[0].url}", "producing"),
        (f"fronius {servers[1].url}", "producing"),
        (f"fronius {silent.url}", "offline"),
    ]
    assert "cannot be reached" in result["sources"][2]["error"]


def test_simulator_sleeps_at_night_and_a_demo_starts_with_a_history(data_dir: Path) -> None:
    from kiosk.config import Settings

    night = datetime(2026, 6, 21, 23, 0, tzinfo=BAKU)
    assert ClearSkySource(clock=lambda: night).read().state == DeviceState.SLEEPING
    clock = FakeClock(datetime(2026, 6, 21, 13, 0, tzinfo=BAKU))
    service = EnergyService.from_settings(Settings(), open_store(data_dir), clock=clock)
    snap = service.poll_once()
    curve = service.history.today_curve(date(2026, 6, 21))
    days = service.history.daily_totals(31, until=date(2026, 6, 21))
    assert len(curve) >= 13 * 12 - 1  # every 5 minutes since midnight
    assert len(days) == 31 and days[-1][0] == date(2026, 6, 21)
    assert snap.energy_today_wh == pytest.approx(days[-1][1])  # the figure and the bar agree
    midday = [power for when, power in curve if when.hour == 12]
    assert snap.energy_today_wh is not None and min(midday) > 0
    assert sum(p for _, p in curve) * 5 / 60 == pytest.approx(snap.energy_today_wh, rel=0.03)


def test_kiosk_off_two_days_shares_the_gap_by_daylight_and_marks_today_estimated(data_dir: Path) -> None:
    """Off from Monday 00:05 to Wednesday 10:00; the plant has a lifetime counter, no day counter."""
    clock = FakeClock(datetime(2026, 6, 22, 0, 0, tzinfo=BAKU).astimezone(UTC))
    plant = ClearSkySource(30_000.0, clock=clock)

    class CounterOnly:
        name = "plant"

        def read(self) -> EnergyReading:
            reading = plant.read()
            return EnergyReading(reading.read_at, reading.power_w, reading.energy_total_wh)

    service = EnergyService(CounterOnly(), open_store(data_dir), rated_power_w=30_000, clock=clock)
    service.poll_once()
    clock.advance(minutes=5)
    service.poll_once()
    clock.now = datetime(2026, 6, 24, 10, 0, tzinfo=BAKU).astimezone(UTC)
    snap = service.poll_once()
    made_since_sunrise = plant.energy_today_wh_at(clock())
    assert snap.estimated_today
    assert snap.energy_today_wh == pytest.approx(made_since_sunrise, rel=0.05)
    days = dict(service.history.daily_totals(3, until=date(2026, 6, 24)))
    for day in (date(2026, 6, 22), date(2026, 6, 23)):
        whole_day = plant.day_energy_and_peak(day)[0]
        assert days[day] == pytest.approx(whole_day, rel=0.05)
    clock.advance(minutes=5)
    assert service.poll_once().estimated_today  # all day long
    clock.now = datetime(2026, 6, 25, 0, 5, tzinfo=BAKU).astimezone(UTC)
    assert not service.poll_once().estimated_today  # the next day is counted, not estimated


def test_a_zero_lifetime_before_the_first_count_is_no_counter_to_jump_from(
    server: JsonServer, data_dir: Path
) -> None:
    clock = FakeClock(datetime(2021, 10, 7, 10, 0, tzinfo=BAKU))
    answer = json.loads(recorded("fronius/symo_powerflow_day.json"))
    site = answer["Body"]["Data"]["Site"]
    real_total = site["E_Total"]
    service = EnergyService(
        FroniusSource(server.url, clock=clock), open_store(data_dir), rated_power_w=10_000, clock=clock
    )
    site["E_Total"] = 0  # the kiosk's very first answer: a lifetime of 0, not yet a count
    server.body = answer
    first = service.poll_once()
    site["E_Total"] = real_total  # the recorded answer as the Symo gave it
    shown = []
    for _ in range(3):
        clock.advance(minutes=1)
        snap = service.poll_once()
        shown.append((snap.state, snap.energy_total_wh))
    assert first.state == LIVE
    assert shown == [(LIVE, 44_188_000.0)] * 3
    assert service.dropped == 0
