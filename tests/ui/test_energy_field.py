"""What the energy screen SHOWS for devices in the field: night, sunrise, slow and silent devices, a missing
counter, a kiosk off for two days. Each case runs the real service against a real HTTP server on
127.0.0.1 replaying recorded answers of real Fronius loggers, and reads the energy section's widgets.

Recorded answers: tests/kiosk/energy/fixtures/fronius/ (origin and licence in its README.md):
home-assistant/core, tests/components/fronius/fixtures/{symo,gen24,igplus_v2}/, Apache-2.0;
josephhanceslm/restful-clojure, README.md (Fronius Primo, Scope=System), EPL-1.0.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core import KioskCore
from kiosk.energy.fronius import POWER_FLOW_PATH, FroniusSource
from kiosk.energy.reading import EnergyReading, Source
from kiosk.energy.service import EnergyService
from kiosk.energy.simulator import ClearSkySource
from kiosk.store.db import Store, open_store
from tests.conftest import FakeClock
from tests.kiosk.energy.peers import JsonServer, recorded
from ui.admin import AdminScreen
from ui.app import create_application
from ui.i18n import LanguageController
from ui.sections.energy import EnergySection
from ui.theme import Metrics, stylesheet

BAKU = ZoneInfo("Asia/Baku")
FLOW = "/" + POWER_FLOW_PATH
DEVICE = "/solar_api/v1/GetInverterRealtimeData.cgi?Scope=Device&DeviceId=1&DataCollection=CommonInverterData"


@pytest.fixture
def screen(qtbot: QtBot) -> Iterator[EnergySection]:
    """The energy section in English, styled at the size it has in a 1920x1080 window."""
    create_application([])
    languages = LanguageController("en")
    languages.set_language("en")
    view = EnergySection(languages)
    qtbot.addWidget(view)
    metrics = Metrics.for_size(1920, 1080)
    view.setStyleSheet(stylesheet(metrics))
    view.apply_layout(metrics, portrait=False)
    view.resize(1920, 880)
    view.show()
    qtbot.waitExposed(view)
    yield view
    languages.set_language("az")


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def servers() -> Iterator[list[JsonServer]]:
    running = [JsonServer() for _ in range(3)]
    yield running
    for one in running:
        one.close()


def serve(server: JsonServer, name: str, path: str = FLOW) -> None:
    server.routes = {path: recorded(f"fronius/{name}")}


def shown(view: EnergySection) -> dict[str, str]:
    """Every figure and word of the energy screen a visitor reads."""
    return {
        "power": f"{view.power.value.text()} {view.power.unit.text()}",
        "today": f"{view.today.value.text()} {view.today.unit.text()}",
        "today_caption": view.today.caption.text(),
        "total": f"{view.total.value.text()} {view.total.unit.text()}",
        "co2_total": f"{view.co2_total.value.text()} {view.co2_total.unit.text()}",
        "live": view.live_label.text(),
        "state": view.state_label.text(),
    }


def fronius_service(sources: dict[str, Source] | Source, store: Store, clock: FakeClock) -> EnergyService:
    return EnergyService(sources, store, rated_power_w=20_000, clock=clock)


def test_night_shows_a_sleeping_plant_live_at_zero_with_its_totals(
    screen: EnergySection, servers: list[JsonServer], store: Store
) -> None:
    clock = FakeClock(datetime(2026, 10, 6, 23, 49, tzinfo=BAKU))
    serve(servers[0], "symo_powerflow_night.json")
    service = fronius_service(FroniusSource(servers[0].url, clock=clock), store, clock)
    screen.show_snapshot(service.poll_once())
    figures = shown(screen)
    assert (figures["power"], figures["total"], figures["live"]) == ("0.0 kW", "44.2 MWh", "Inverter asleep")
    assert screen.live_dot.is_pulsing()  # a live plant at 0 W, not offline
    assert re.fullmatch(
        r"Solar inverter · Inverter asleep · producing again at sunrise, 0[67]:\d\d · updated at 23:49",
        figures["state"],
    ), figures["state"]


def test_a_device_asleep_in_daylight_promises_no_sunrise(
    screen: EnergySection, servers: list[JsonServer], store: Store
) -> None:
    clock = FakeClock(datetime(2026, 7, 14, 12, 0, tzinfo=BAKU))
    serve(servers[0], "igplus_powerflow_night.json")  # the logger's null answer, at noon (standby)
    service = fronius_service(FroniusSource(servers[0].url, clock=clock), store, clock)
    screen.show_snapshot(service.poll_once())
    assert shown(screen)["state"] == "Solar inverter · Inverter asleep · updated at 12:00"


def test_sunrise_wakes_the_plant_and_today_is_the_loggers_own(
    screen: EnergySection, servers: list[JsonServer], store: Store
) -> None:
    clock = FakeClock(datetime(2026, 10, 7, 5, 0, tzinfo=BAKU))
    serve(servers[0], "symo_powerflow_night.json")
    service = fronius_service(FroniusSource(servers[0].url, clock=clock), store, clock)
    screen.show_snapshot(service.poll_once())
    assert "Inverter asleep" in shown(screen)["state"]
    clock.now = datetime(2026, 10, 7, 10, 0, tzinfo=BAKU)
    serve(servers[0], "symo_powerflow_day.json")
    screen.show_snapshot(service.poll_once())
    figures = shown(screen)
    assert (figures["power"], figures["today"], figures["today_caption"]) == (
        "1.1 kW",
        "1.1 kWh",
        "Energy today",
    )
    assert figures["state"] == "Solar inverter · updated at 10:00"


def test_a_null_counter_at_night_never_lowers_the_total_on_screen(
    screen: EnergySection, servers: list[JsonServer], store: Store
) -> None:
    clock = FakeClock(datetime(2026, 7, 14, 17, 29, tzinfo=BAKU))
    service = fronius_service(FroniusSource(servers[0].url, clock=clock), store, clock)
    serve(servers[0], "igplus_powerflow_day.json")
    screen.show_snapshot(service.poll_once())
    day = shown(screen)
    assert (day["total"], day["co2_total"]) == ("1.2 MWh", "0.6 t")
    serve(servers[0], "igplus_powerflow_night.json")
    clock.now = datetime(2026, 7, 14, 22, 4, tzinfo=BAKU)
    screen.show_snapshot(service.poll_once())
    night = shown(screen)
    assert (night["total"], night["co2_total"], night["power"]) == ("1.2 MWh", "0.6 t", "0.0 kW")
    assert "Inverter asleep" in night["state"]


def test_a_counter_missing_for_one_poll_keeps_the_figures_on_screen(
    screen: EnergySection, servers: list[JsonServer], store: Store
) -> None:
    clock = FakeClock(datetime(2026, 11, 26, 12, 0, tzinfo=BAKU))
    answer = json.loads(recorded("fronius/gen24_powerflow_day.json"))
    site = answer["Body"]["Data"]["Site"]
    servers[0].body = answer
    service = fronius_service(FroniusSource(servers[0].url, clock=clock), store, clock)
    screen.show_snapshot(service.poll_once())
    before = shown(screen)["total"]
    site["E_Total"] = None
    clock.advance(minutes=5)
    screen.show_snapshot(service.poll_once())
    assert shown(screen)["total"] == before == "1.5 MWh"
    site["E_Total"] = 1_530_193.42 + 1000.0
    clock.advance(minutes=5)
    screen.show_snapshot(service.poll_once())
    assert (shown(screen)["total"], shown(screen)["today"]) == ("1.5 MWh", "1.0 kWh")


def test_a_slow_device_within_its_timeout_is_live(
    screen: EnergySection, servers: list[JsonServer], store: Store
) -> None:
    clock = FakeClock(datetime(2026, 7, 14, 12, 0, tzinfo=BAKU))
    serve(servers[0], "igplus_powerflow_day.json")
    servers[0].slow_s = 0.3
    service = fronius_service(FroniusSource(servers[0].url, timeout=3.0, clock=clock), store, clock)
    screen.show_snapshot(service.poll_once())
    assert (shown(screen)["power"], shown(screen)["live"]) == ("2.2 kW", "Live")


def test_one_silent_device_of_three_shows_the_others_and_the_admin_names_it(
    screen: EnergySection, servers: list[JsonServer], core: KioskCore, qtbot: QtBot
) -> None:
    clock = FakeClock(datetime(2026, 7, 14, 12, 0, tzinfo=BAKU))
    for server, name in zip(servers, ("symo", "igplus", "gen24"), strict=True):
        serve(server, f"{name}_powerflow_day.json")
    sources: dict[str, Source] = {
        name: FroniusSource(server.url, timeout=0.5, clock=clock)
        for name, server in zip(("roof east", "roof west", "car park"), servers, strict=True)
    }
    service = fronius_service(sources, core.store, clock)
    screen.show_snapshot(service.poll_once())
    whole = shown(screen)
    assert (whole["power"], whole["total"]) == ("3.4 kW", "46.9 MWh")
    servers[1].hold = threading.Event()  # roof west answers later than its timeout
    clock.advance(minutes=5)
    screen.show_snapshot(service.poll_once())
    partial = shown(screen)
    assert partial["state"] == "Solar inverters · partial: 2 of 3 inverters reporting · updated at 12:05"
    assert (partial["power"], partial["total"], partial["live"]) == ("1.2 kW", "46.9 MWh", "Live")
    assert screen.live_dot.is_pulsing()
    core.energy = service
    admin = AdminScreen()
    qtbot.addWidget(admin)
    admin.show_status(core.status())
    line = admin.rows["energy"][1].text()
    assert line.startswith("site: partial 2/3 · ") and "2 of 3 devices reporting" in line
    assert "not reporting: roof west (Fronius Solar API at" in line
    assert line.endswith("cannot be reached: no answer within 0.5 s)")  # the reason, in a few words
    assert core.heartbeat().energy_state.startswith("partial 2/3: roof west:")


def test_a_fault_is_said_in_words(screen: EnergySection, servers: list[JsonServer], store: Store) -> None:
    clock = FakeClock(datetime(2026, 10, 6, 21, 16, tzinfo=BAKU))
    answer = json.loads(recorded("fronius/symo_inverter_device_night.json"))
    servers[0].routes = {DEVICE: json.dumps(answer).encode()}
    service = fronius_service(FroniusSource(servers[0].url + DEVICE, clock=clock), store, clock)
    screen.show_snapshot(service.poll_once())
    assert "Inverter asleep" in shown(screen)["state"]  # status code 3: waiting for light
    answer["Body"]["Data"]["DeviceStatus"]["StatusCode"] = 10  # the same inverter reporting an error
    servers[0].routes = {DEVICE: json.dumps(answer).encode()}
    clock.advance(minutes=5)
    screen.show_snapshot(service.poll_once())
    figures = shown(screen)
    assert figures["live"] == "Inverter fault"
    assert figures["state"] == (
        "Solar inverter · inverter reports a fault (status code 10, error code 307) · updated at 21:21"
    )


def test_kiosk_off_two_days_shows_today_since_sunrise_marked_estimated(
    screen: EnergySection, store: Store
) -> None:
    clock = FakeClock(datetime(2026, 6, 22, 0, 0, tzinfo=BAKU).astimezone(UTC))  # a Monday
    plant = ClearSkySource(30_000.0, clock=clock)

    class CounterOnly:
        """A plant with a lifetime counter and no day counter (as most SunSpec inverters)."""

        name = "plant"

        def read(self) -> EnergyReading:
            reading = plant.read()
            return EnergyReading(reading.read_at, reading.power_w, reading.energy_total_wh)

    service = EnergyService(CounterOnly(), store, rated_power_w=30_000, clock=clock)
    service.poll_once()
    clock.advance(minutes=5)
    service.poll_once()
    clock.now = datetime(2026, 6, 24, 10, 0, tzinfo=BAKU).astimezone(UTC)  # Wednesday
    screen.show_snapshot(service.poll_once())
    figures = shown(screen)
    assert figures["today_caption"] == "Energy today (estimated)"
    assert screen.co2_today.caption.text() == "CO₂ avoided today (estimated)"
    today_kwh = float(screen.today.value.text().replace(",", ""))
    assert today_kwh == pytest.approx(plant.energy_today_wh_at(clock()) / 1000, rel=0.05)
    assert date(2026, 6, 24) == clock().astimezone(BAKU).date()
