"""The energy dashboard: formatted figures per language, honest states, charts fed from the worker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from pytestqt.qtbot import QtBot

from kiosk.core import KioskCore
from kiosk.energy.equivalents import EquivalentFactors
from kiosk.energy.service import LIVE, OFFLINE, STALE, EnergyService, EnergySnapshot
from kiosk.energy.simulator import ClearSkySource
from tests.conftest import FakeClock
from ui.app import create_application
from ui.bridge import EnergyFeed
from ui.i18n import LanguageController
from ui.sections.energy import EnergySection
from ui.theme import NORMAL_COLOURS, Metrics, stylesheet
from ui.widgets.power_chart import daylight

BAKU = ZoneInfo("Asia/Baku")
READ_AT = datetime(2026, 6, 21, 9, 30, tzinfo=UTC)  # 13:30 in Baku
FACTORS = EquivalentFactors()
NBSP = "\u00a0"  # Russian groups digits with a no-break space


def snapshot(
    power_w: float = 12_345.6, state: str = LIVE, age_s: float = 2.0, **fields: object
) -> EnergySnapshot:
    today_wh, total_wh = 45_678.9, 90_712_345.0
    values: dict[str, object] = {
        "source": "sunspec",
        "state": state,
        "power_w": power_w,
        "energy_today_wh": today_wh,
        "energy_total_wh": total_wh,
        "read_at": READ_AT,
        "co2_today_kg": FACTORS.co2_kg(today_wh),
        "co2_total_kg": FACTORS.co2_kg(total_wh),
        "age_s": age_s,
        "day": date(2026, 6, 21),
        "equivalents_today": FACTORS.equivalents(today_wh),
        "equivalents_total": FACTORS.equivalents(total_wh),
    }
    values.update(fields)
    return EnergySnapshot(**values)  # type: ignore[arg-type]


@pytest.fixture
def section(qtbot: QtBot) -> Iterator[EnergySection]:
    """The energy section alone, styled and shown at the size it has in a 1920x1080 window."""
    create_application([])
    languages = LanguageController("az")
    languages.set_language("az")
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


EXPECTED = {
    "az": {
        "power": ("12,3", "kVt"),
        "today": ("45,7", "kVt·saat"),
        "total": ("90,7", "MVt·saat"),
        "co2_today": ("22,4", "kq"),
        "co2_total": ("44,4", "t"),
        "equivalent": "= 2.039 ağacın bir ildə udduğu CO₂",
        "live": "Canlı",
    },
    "en": {
        "power": ("12.3", "kW"),
        "today": ("45.7", "kWh"),
        "total": ("90.7", "MWh"),
        "co2_today": ("22.4", "kg"),
        "co2_total": ("44.4", "t"),
        "equivalent": "= 2,039 trees absorbing CO₂ for a year",
        "live": "Live",
    },
    "ru": {
        "power": ("12,3", "кВт"),
        "today": ("45,7", "кВт·ч"),
        "total": ("90,7", "МВт·ч"),
        "co2_today": ("22,4", "кг"),
        "co2_total": ("44,4", "т"),
        "equivalent": f"= 2{NBSP}039 деревьев поглощают столько CO₂ за год",
        "live": "Онлайн",
    },
}


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_dashboard_shows_figures_formatted_for_each_language(section: EnergySection, language: str) -> None:
    section.languages.set_language(language)
    section.show_snapshot(snapshot())
    expected = EXPECTED[language]
    for name in ("power", "today", "total", "co2_today", "co2_total"):
        tile = getattr(section, name)
        assert (tile.value.text(), tile.unit.text()) == expected[name], name
    section.equivalent_index = 0  # the rotation starts with the lifetime saving in trees
    section.next_equivalent()
    section.equivalent_index = -1
    section.next_equivalent()
    assert section.equivalent_text.text() == expected["equivalent"]
    assert section.live_label.text() == expected["live"]
    assert section.live_dot.is_pulsing()


def test_switching_language_reformats_the_figures_already_shown(section: EnergySection) -> None:
    section.show_snapshot(snapshot())
    assert section.power.value.text() == "12,3"
    section.languages.set_language("en")
    assert section.power.value.text() == "12.3"
    assert section.co2_total.caption.text() == "CO₂ avoided since installation"


def test_offline_source_is_said_in_words_and_the_dot_stops(section: EnergySection) -> None:
    section.languages.set_language("en")
    section.show_snapshot(snapshot(state=OFFLINE, age_s=7 * 60 + 5))
    assert section.live_label.text() == "Source offline"
    assert section.live_label.palette().color(QPalette.ColorRole.WindowText) == QColor(
        NORMAL_COLOURS["warning"]
    )
    assert not section.live_dot.is_pulsing()
    assert section.power.caption.text() == "Power at 13:30"  # the last reading's time, not "now"
    assert section.power.value.text() == "12.3"  # the last good figure, labelled as such
    assert section.state_label.text() == "Solar inverter · source offline · last updated 7 minutes ago"


def test_stale_reading_says_its_age(section: EnergySection) -> None:
    section.languages.set_language("ru")
    section.show_snapshot(snapshot(state=STALE, age_s=3 * 60))
    assert section.live_label.text() == "Не обновляется"
    assert not section.live_dot.is_pulsing()
    assert section.state_label.text().endswith("нет новых данных · последнее обновление 3 минуты назад")


def test_live_reading_says_when_it_was_updated(section: EnergySection) -> None:
    section.show_snapshot(snapshot())
    assert section.state_label.text() == "Günəş invertoru · 13:30 yeniləndi"
    assert section.power.caption.text() == "Hazırkı güc"


def test_value_width_does_not_jump_when_digits_change(section: EnergySection, qtbot: QtBot) -> None:
    section.show_snapshot(snapshot(power_w=12_345.6))
    qtbot.waitUntil(lambda: section.power.unit.isVisible())
    width, unit_x = section.power.value.width(), section.power.unit.x()
    for watts in (18_888.8, 11_111.1, 9_100.0, 10_000.0, 12_345.6):
        section.show_snapshot(snapshot(power_w=watts))
        section.layout().activate()
        assert section.power.value.width() == width, watts
        assert section.power.unit.x() == unit_x, watts


def test_rotating_equivalent_keeps_its_height(section: EnergySection) -> None:
    section.show_snapshot(snapshot())
    assert section.equivalent_timer.isActive() and section.equivalent_timer.interval() == 8000
    heights, texts = set(), set()
    for _ in range(6):
        section.next_equivalent()
        section.layout().activate()
        heights.add(section.equivalent_text.height())
        texts.add(section.equivalent_text.text())
    assert len(texts) == 6 and len(heights) == 1


def test_network_totals_appear_beside_this_centre(section: EnergySection) -> None:
    assert section.network_panel.isHidden()
    section.languages.set_language("en")
    network = snapshot(
        source="network", power_w=812_000.0, energy_today_wh=3.1e6, energy_total_wh=1.2e9, centres=27
    )
    section.show_network(network)
    assert section.network_panel.isVisible()
    assert section.network_title.text() == "All ASAN xidmət centres (27 centres)"
    rows = section.network_rows
    assert [(rows[k].value.text(), rows[k].unit.text()) for k in ("power", "today", "total")] == [
        ("812.0", "kW"),
        ("3,100.0", "kWh"),
        ("1,200.0", "MWh"),
    ]
    assert section.network_state.text() == "updated at 13:30"


def distinct_colours(image: QImage) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)})


def test_charts_receive_the_curve_and_paint_it(section: EnergySection) -> None:
    day = date(2026, 6, 21)
    start = datetime(2026, 6, 21, 6, 0, tzinfo=BAKU)
    curve = [(start + timedelta(minutes=5 * i), 1000.0 + 100.0 * i) for i in range(60)]
    days = [(day - timedelta(days=i), 100_000.0 + 1000 * i) for i in range(0, 30, 2)]
    empty = section.curve.grab().toImage()
    section.show_history(day, curve, days)
    assert len(section.curve.points) == 60 and len(section.bars.days) == 15
    painted = section.curve.grab().toImage()
    assert painted != empty
    assert distinct_colours(painted) > distinct_colours(empty)
    assert distinct_colours(section.bars.grab().toImage()) > 3


@pytest.mark.parametrize(
    ("day", "sunrise", "sunset"),
    [(date(2026, 6, 21), (5, 11), (20, 13)), (date(2026, 12, 21), (7, 59), (17, 17))],
)
def test_sunrise_and_sunset_over_baku_are_solar_noon_plus_minus_half_the_day(
    day: date, sunrise: tuple[int, int], sunset: tuple[int, int]
) -> None:
    sun = daylight(day, BAKU)
    assert sun is not None
    for computed, (hour, minute) in zip(sun, (sunrise, sunset), strict=True):
        expected = datetime.combine(day, datetime.min.time(), BAKU).replace(hour=hour, minute=minute)
        assert abs((computed - expected).total_seconds()) < 180, computed


def test_feed_reads_history_in_the_worker_when_the_slot_changes(core: KioskCore, qtbot: QtBot) -> None:
    create_application([])
    clock = FakeClock(datetime(2026, 6, 21, 8, 1, tzinfo=UTC))
    service = EnergyService(
        ClearSkySource(30_000.0, clock=clock), core.store, rated_power_w=30_000.0, clock=clock
    )
    feed = EnergyFeed(service, 5.0, clock=clock)
    histories: list[tuple[date, list[tuple[datetime, float]], list[tuple[date, float]]]] = []
    feed.history_updated.connect(lambda day, curve, days: histories.append((day, curve, days)))
    with qtbot.waitSignal(feed.history_updated, timeout=10_000):
        feed.poll()
    day, curve, days = histories[-1]
    assert day == date(2026, 6, 21) and len(curve) == 1 and days[-1][0] == day
    with qtbot.waitSignal(feed.updated, timeout=10_000):
        feed.poll()  # same 5-minute slot, within a minute: no history query
    assert len(histories) == 1
    clock.advance(minutes=5)
    with qtbot.waitSignal(feed.history_updated, timeout=10_000):
        feed.poll()
    assert len(histories[-1][1]) == 2
