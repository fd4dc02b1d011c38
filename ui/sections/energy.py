"""The energy dashboard: this centre's solar generation now, today and in total, CO2 avoided, today's
curve and the last 30 days, and (when configured) the totals of all centres.

Every figure says how fresh it is: the dot beside "Power now" pulses only while readings arrive, and
the state line gives the age of the last reading in words, never by colour alone. A sleeping inverter
(night) is a live plant at 0 W; a site with a silent device says how many report; an estimated today
says so in its caption.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.energy.equivalents import Equivalents
from kiosk.energy.service import (
    FAULT,
    FRESH_STATES,
    LIVE,
    OFFLINE,
    PARTIAL,
    SLEEPING,
    STALE,
    STARTING,
    EnergySnapshot,
)
from ui import formatting
from ui.i18n import LanguageController
from ui.sections.base import Section
from ui.theme import Metrics
from ui.widgets.day_bars import DayBars
from ui.widgets.live_indicator import LiveIndicator
from ui.widgets.power_chart import PowerChart, daylight
from ui.widgets.stat_tile import FigureLabel, SentenceLabel, StatTile

_Chart = TypeVar("_Chart", PowerChart, DayBars)

EQUIVALENT_SECONDS = 8
STATE_REFRESH_SECONDS = 15
# the vertical margins and gaps scale with the section's height in lines of the charts' font: all of
# them from ROOMY_LINES up, down to TIGHTEST of them at CRAMPED_LINES (large text with a band above)
ROOMY_LINES = 26.0
CRAMPED_LINES = 18.0
TIGHTEST = 0.4
SILENT_AFTER_S = 120.0  # no snapshot for this long: the feed itself has gone quiet, say so
EQUIVALENT_ORDER = (
    ("total", "trees"),
    ("today", "car_km"),
    ("total", "home_days"),
    ("today", "trees"),
    ("total", "car_km"),
    ("today", "home_days"),
)


@dataclass(frozen=True)
class _Received:
    """A snapshot and when (monotonic seconds) it reached the view, to age it between polls."""

    snapshot: EnergySnapshot
    at: float

    def age_s(self) -> float | None:
        if self.snapshot.age_s is None:
            return None
        return self.snapshot.age_s + max(0.0, time.monotonic() - self.at)

    def state(self) -> str:
        """The service's state, or "stale" when nothing at all has arrived for ``SILENT_AFTER_S``."""
        silent = time.monotonic() - self.at > SILENT_AFTER_S
        return STALE if self.snapshot.state in FRESH_STATES and silent else self.snapshot.state


class _FigureRow:
    """Caption, value and unit in a row of the network panel."""

    def __init__(self, parent: QWidget) -> None:
        self.caption = QLabel(parent)
        self.caption.setObjectName("NetworkCaption")
        self.value = FigureLabel(parent)
        self.value.setObjectName("NetworkValue")
        self.unit = QLabel(parent)
        self.unit.setObjectName("NetworkUnit")
        self.figure = QWidget(parent)
        figure = QHBoxLayout(self.figure)
        figure.setContentsMargins(0, 0, 0, 0)
        figure.setSpacing(8)
        self.value.setParent(self.figure)
        self.unit.setParent(self.figure)
        figure.addWidget(self.value, 0, Qt.AlignmentFlag.AlignBaseline)
        figure.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignBaseline)
        figure.addStretch(1)


class EnergySection(Section):
    """Big figures for power now, today and total, CO2 avoided, a rotating equivalent and two charts."""

    key = "energy"

    def __init__(self, languages: LanguageController, parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.snapshot: EnergySnapshot | None = None
        self.network: EnergySnapshot | None = None
        self._received: _Received | None = None
        self._network_received: _Received | None = None
        self.timezone = ZoneInfo("Asia/Baku")
        self.equivalent_index = 0
        self._spacing: tuple[int, ...] = ()  # the margins and gaps applied, to skip re-applying them

        self.power = StatTile(hero=True)
        self.live_dot = LiveIndicator()
        self.live_label = QLabel()
        self.live_label.setObjectName("LiveText")
        self.power.caption_row.addWidget(self.live_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        self.power.caption_row.addWidget(self.live_label, 0, Qt.AlignmentFlag.AlignVCenter)
        self.today = StatTile()
        self.total = StatTile()
        self.co2_today = StatTile()
        self.co2_total = StatTile()
        self._build_equivalent()
        self.power.add_footer(self.equivalent)
        self._build_network()
        self._build_charts()

        self.subtitle.hide()  # the state line below the title says more: where from and how fresh
        self.state_label = QLabel(self)
        self.state_label.setObjectName("SourceState")
        self.state_label.setWordWrap(True)
        self.body.addWidget(self.state_label)
        self.grid = QGridLayout()
        self.body.addLayout(self.grid, 1)
        for panel in (self.power, self.today, self.total, self.co2_today, self.co2_total, self.network_panel):
            panel.setMinimumSize(1, 1)  # sized by the window, never the other way round

        self.equivalent_timer = QTimer(self)
        self.equivalent_timer.setInterval(EQUIVALENT_SECONDS * 1000)
        self.equivalent_timer.timeout.connect(self.next_equivalent)
        self.state_timer = QTimer(self)
        self.state_timer.setInterval(STATE_REFRESH_SECONDS * 1000)
        self.state_timer.timeout.connect(self._show_state)
        self.retranslate()

    # --- construction -----------------------------------------------------------------------------
    def _build_equivalent(self) -> None:
        self.equivalent = QFrame()
        self.equivalent.setObjectName("EquivalentPanel")
        self.equivalent_caption = QLabel(self.equivalent)
        self.equivalent_caption.setObjectName("EquivalentCaption")
        self.equivalent_text = SentenceLabel(self.equivalent)
        self.equivalent_text.setObjectName("EquivalentText")
        self._equivalent_layout = layout = QVBoxLayout(self.equivalent)
        layout.setSpacing(0)
        layout.addWidget(self.equivalent_caption)
        layout.addWidget(self.equivalent_text, 1)

    def _build_network(self) -> None:
        self.network_panel = QFrame(self)
        self.network_panel.setObjectName("NetworkPanel")
        self.network_title = QLabel(self.network_panel)
        self.network_title.setObjectName("NetworkTitle")
        self.network_title.setWordWrap(True)
        self.network_rows = {key: _FigureRow(self.network_panel) for key in ("power", "today", "total")}
        self.network_state = QLabel(self.network_panel)
        self.network_state.setObjectName("NetworkState")
        self.network_state.setWordWrap(True)
        self._network_figures = QGridLayout()
        self._network_layout = layout = QVBoxLayout(self.network_panel)
        layout.addWidget(self.network_title)
        layout.addLayout(self._network_figures)
        layout.addStretch(1)
        layout.addWidget(self.network_state)
        self.network_panel.hide()

    def _arrange_network(self) -> None:
        """The three network figures side by side (portrait) or one under another (landscape)."""
        figures = self._network_figures
        for row in self.network_rows.values():
            figures.removeWidget(row.caption)
            figures.removeWidget(row.figure)
        for index, row in enumerate(self.network_rows.values()):
            if self.portrait:
                figures.addWidget(row.caption, 0, index)
                figures.addWidget(row.figure, 1, index)
            else:
                figures.addWidget(row.caption, index * 2, 0)
                figures.addWidget(row.figure, index * 2 + 1, 0)

    def _build_charts(self) -> None:
        self.curve_panel, self.curve_title, self.curve = self._chart_panel(PowerChart())
        self.bars_panel, self.bars_title, self.bars = self._chart_panel(DayBars())
        self.curve.zone = self.timezone

    def _chart_panel(self, chart: _Chart) -> tuple[QFrame, QLabel, _Chart]:
        panel = QFrame()
        panel.setObjectName("ChartPanel")
        title = QLabel(panel)
        title.setObjectName("ChartTitle")
        title.setWordWrap(True)
        chart.setParent(panel)
        layout = QVBoxLayout(panel)
        layout.addWidget(title)
        layout.addWidget(chart, 1)
        panel.setMinimumHeight(1)
        return panel, title, chart

    # --- data -------------------------------------------------------------------------------------
    def nav_label(self) -> str:
        return self.tr("Energy")

    def show_snapshot(self, snapshot: EnergySnapshot) -> None:
        self.snapshot = snapshot
        self._received = _Received(snapshot, time.monotonic())
        self._show_figures()

    def show_network(self, snapshot: EnergySnapshot) -> None:
        """Totals of all centres, shown beside this centre's figures."""
        self.network = snapshot
        self._network_received = _Received(snapshot, time.monotonic())
        if self.network_panel.isHidden():
            self.network_panel.setHidden(False)
            self._arrange()
        self._show_network()

    def show_history(
        self, day: date, curve: list[tuple[datetime, float]], days: list[tuple[date, float]]
    ) -> None:
        """Today's 5-minute curve (W) and the last 30 days (Wh), as read by the feed's worker."""
        self.curve.zone = self.timezone
        self.curve.set_curve(day, curve)
        self.bars.set_days(day, days)

    def next_equivalent(self) -> None:
        """Show the next everyday equivalent (every ``EQUIVALENT_SECONDS`` while the section is shown)."""
        self.equivalent_index += 1
        self._show_equivalent()

    # --- language ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Solar power of this centre"))
        self.subtitle.setText(self.tr("Generated on our own roof, live"))
        self.total.caption.setText(self.tr("Energy since installation"))
        self.co2_total.caption.setText(self.tr("CO₂ avoided since installation"))
        self.curve_title.setText(self.tr("Today's power, kW (5-minute averages)"))
        self.bars_title.setText(self.tr("Last 30 days, kWh per day"))
        self.curve.set_texts(
            empty=self.tr("No readings yet today"),
            sunrise=self.tr("Sunrise %1"),
            sunset=self.tr("Sunset %1"),
        )
        self.bars.set_texts(empty=self.tr("No days recorded yet"))
        rows = self.network_rows
        rows["power"].caption.setText(self.tr("Power now"))
        rows["today"].caption.setText(self.tr("Energy today"))
        rows["total"].caption.setText(self.tr("Energy since installation"))
        locale = self.languages.locale()
        for chart in (self.curve, self.bars):
            chart.set_locale(locale)
        for label in self._figure_labels():
            label.reset_width()
        self._show_figures()
        self._show_network()

    def _figure_labels(self) -> list[FigureLabel]:
        tiles = (self.power, self.today, self.total, self.co2_today, self.co2_total)
        return [tile.value for tile in tiles] + [row.value for row in self.network_rows.values()]

    # --- figures ----------------------------------------------------------------------------------
    def _show_figures(self) -> None:
        locale = self.languages.locale()
        snap = self.snapshot
        kw, kwh, mwh, kg, tonnes = self.tr("kW"), self.tr("kWh"), self.tr("MWh"), self.tr("kg"), self.tr("t")
        if snap is None or snap.power_w is None:
            self.power.set_figure("–", kw)
        else:
            self.power.set_figure(formatting.power_kw(locale, snap.power_w), kw)
        today = None if snap is None else snap.energy_today_wh
        total = None if snap is None else snap.energy_total_wh
        co2_today = None if snap is None else snap.co2_today_kg
        co2_total = None if snap is None else snap.co2_total_kg
        self.today.set_figure("–" if today is None else formatting.energy_kwh(locale, today), kwh)
        self.total.set_figure("–" if total is None else formatting.energy_mwh(locale, total), mwh)
        self.co2_today.set_figure("–" if co2_today is None else formatting.co2_kg(locale, co2_today), kg)
        self.co2_total.set_figure(
            "–" if co2_total is None else formatting.co2_tonnes(locale, co2_total), tonnes
        )
        estimated = snap is not None and snap.estimated_today
        self.today.caption.setText(
            self.tr("Energy today (estimated)") if estimated else self.tr("Energy today")
        )
        self.co2_today.caption.setText(
            self.tr("CO₂ avoided today (estimated)") if estimated else self.tr("CO₂ avoided today")
        )
        self._show_equivalent()
        self._show_state()

    def _show_state(self) -> None:
        """The dot, the words beside it, the hero caption and the state line, from the state and age."""
        received = self._received
        state = received.state() if received else STARTING
        snap = received.snapshot if received else None
        live = state in FRESH_STATES
        self.live_dot.set_live(live)
        words = {
            LIVE: self.tr("Live"),
            SLEEPING: self.tr("Inverter asleep"),
            PARTIAL: self.tr("Live"),
            FAULT: self.tr("Inverter fault"),
            STALE: self.tr("Not updating"),
            OFFLINE: self.tr("Source offline"),
        }
        self.live_label.setText(words.get(state, self.tr("Connecting…")))
        if live or snap is None or snap.read_at is None:
            self.power.caption.setText(self.tr("Power now"))
        else:
            at = formatting.clock(snap.read_at.astimezone(self.timezone))
            self.power.caption.setText(self.tr("Power at %1").replace("%1", at))
        self._set_state_property(state)
        self.state_label.setText(self._state_text(received))
        self._show_network_state()

    def _set_state_property(self, state: str) -> None:
        """Style the hero tile and the state line by state (the words say the same)."""
        for widget in (self.state_label, self.power):
            if widget.property("state") != state:
                widget.setProperty("state", state)
                for styled in (widget, *widget.findChildren(QWidget)):
                    styled.style().unpolish(styled)
                    styled.style().polish(styled)

    def _state_text(self, received: _Received | None) -> str:
        if received is None or received.snapshot.state == STARTING:
            return self.tr("Connecting to the solar inverter…")
        snap = received.snapshot
        if snap.source == "simulator":
            source = self.tr("Simulated solar plant (demo)")
        elif len(snap.devices) > 1:
            source = self.tr("Solar inverters")
        else:
            source = self.tr("Solar inverter")
        parts = [source]
        state = received.state()
        if state == SLEEPING and snap.read_at is not None:
            parts.append(self._asleep_text(snap.read_at))
        elif state == PARTIAL:
            parts.append(
                self.tr("partial: %1 of %2 inverters reporting")
                .replace("%1", str(snap.reporting))
                .replace("%2", str(len(snap.devices)))
            )
        elif state == FAULT:
            fault = self.tr("inverter reports a fault")
            parts.append(f"{fault} ({snap.detail})" if snap.detail else fault)
        parts.append(self._freshness(received))
        return " · ".join(parts)

    def _asleep_text(self, at: datetime) -> str:
        """ "Inverter asleep · producing again at sunrise, 07:59": the next sunrise after ``at``.

        In daylight (standby under snow, a grid fault) no sunrise is promised: only "Inverter asleep".
        """
        local = at.astimezone(self.timezone)
        asleep = self.tr("Inverter asleep")
        today = daylight(local.date(), self.timezone)
        if today is not None and today[0] <= local < today[1]:
            return asleep
        for day in (local.date(), local.date() + timedelta(days=1)):
            sun = daylight(day, self.timezone)
            if sun is not None and sun[0] > local:
                rise = formatting.clock(sun[0])
                return f"{asleep} · " + self.tr("producing again at sunrise, %1").replace("%1", rise)
        return f"{asleep} · " + self.tr("producing again at sunrise")

    def _freshness(self, received: _Received) -> str:
        """ "updated at 10:42", or what is wrong and how old the figures are."""
        snap = received.snapshot
        if snap.read_at is None:
            return self.tr("source offline: no reading yet")
        state = received.state()
        if state in FRESH_STATES:
            return self.tr("updated at %1").replace(
                "%1", formatting.clock(snap.read_at.astimezone(self.timezone))
            )
        age = received.age_s() or 0.0
        minutes = max(1, int(age // 60))
        status = self.tr("source offline") if state == OFFLINE else self.tr("no new reading")
        return f"{status} · " + self.tr("last updated %n minute(s) ago", "", minutes)

    def _show_equivalent(self) -> None:
        choices = self._equivalents()
        if not choices:
            self.equivalent_caption.setText(self.tr("What the CO₂ saving equals"))
            self.equivalent_text.setText(self.tr("Figures appear with the first reading"))
            self.equivalent_text.set_rotation([self.equivalent_text.text()])
            return
        scope, kind, count = choices[self.equivalent_index % len(choices)]
        self.equivalent_caption.setText(
            self.tr("Today's CO₂ saving") if scope == "today" else self.tr("CO₂ saved since installation")
        )
        self.equivalent_text.setText(self._equivalent_sentence(kind, count))
        self.equivalent_text.set_rotation([self._equivalent_sentence(k, n) for _, k, n in choices])

    def _equivalents(self) -> list[tuple[str, str, int]]:
        """(scope, kind, whole count) of each equivalent worth saying (at least 1), in rotation order."""
        snap = self.snapshot
        if snap is None:
            return []
        found: list[tuple[str, str, int]] = []
        for scope, kind in EQUIVALENT_ORDER:
            values: Equivalents | None = (
                snap.equivalents_today if scope == "today" else snap.equivalents_total
            )
            if values is None:
                continue
            count = round(getattr(values, kind))
            if count >= 1:
                found.append((scope, kind, count))
        return found

    def _equivalent_sentence(self, kind: str, count: int) -> str:
        if kind == "trees":
            return self.tr("= %Ln tree(s) absorbing CO₂ for a year", "", count)
        if kind == "car_km":
            return self.tr("= %Ln km driven by a petrol car", "", count)
        return self.tr("= %Ln home(s) supplied with electricity for a day", "", count)

    def _show_network(self) -> None:
        snap = self.network
        locale = self.languages.locale()
        centres = None if snap is None else snap.centres
        if centres:
            self.network_title.setText(self.tr("All ASAN xidmət centres (%n centre(s))", "", centres))
        else:
            self.network_title.setText(self.tr("All ASAN xidmət centres"))
        figures = (
            ("power", None if snap is None else snap.power_w, formatting.power_kw, self.tr("kW")),
            ("today", None if snap is None else snap.energy_today_wh, formatting.energy_kwh, self.tr("kWh")),
            ("total", None if snap is None else snap.energy_total_wh, formatting.energy_mwh, self.tr("MWh")),
        )
        for key, value, formatter, unit in figures:
            row = self.network_rows[key]
            row.value.show_figure("–" if value is None else formatter(locale, value))
            row.unit.setText(unit)
        self._show_network_state()

    def _show_network_state(self) -> None:
        received = self._network_received
        if received is None:
            self.network_state.setText("")
            return
        state = received.state()
        if self.network_state.property("state") != state:
            self.network_state.setProperty("state", state)
            self.network_state.style().unpolish(self.network_state)
            self.network_state.style().polish(self.network_state)
        self.network_state.setText(self._freshness(received))

    # --- visibility and layout --------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.equivalent_timer.start()
        self.state_timer.start()
        self._show_state()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.equivalent_timer.stop()
        self.state_timer.stop()

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        super().apply_layout(metrics, portrait)
        if self.property("large") != metrics.large_text:  # large text: the hero figure needs no boost
            self.setProperty("large", metrics.large_text)
            for widget in (self, *self.findChildren(QWidget)):
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        self._spacing = ()  # new metrics: apply anew
        self._space_out()
        self._arrange()

    def _room(self) -> float:
        """How much of the full vertical spacing the height allows, from 1 (all) down to ``TIGHTEST``.

        Measured in lines of the charts' font, so large text and a band above (less height) both count:
        the figures and the charts' lines come first, the air between them gives way.
        """
        lines = self.height() / QFontMetricsF(self.curve.font()).height()
        return min(1.0, max(TIGHTEST, (lines - CRAMPED_LINES) / (ROOMY_LINES - CRAMPED_LINES)))

    def _space_out(self) -> None:
        """Margins and gaps for the metrics, the vertical ones scaled by the room the height leaves."""
        metrics, room = self.metrics, self._room()

        def tall(value: float) -> int:
            return metrics.px(value * room)

        spacing = (metrics.px(40), tall(28), tall(10), metrics.px(24), tall(14), metrics.px(20), tall(12))
        if spacing == self._spacing:
            return
        self._spacing = spacing
        side, top, gap, tile, tile_top, pad, chart_top = spacing
        self.body.setContentsMargins(side, top, side, top)
        self.body.setSpacing(gap)
        for panel in (self.power, self.today, self.total, self.co2_today, self.co2_total):
            panel.set_margins(tile, tile_top)
        self._equivalent_layout.setContentsMargins(0, gap, 0, 0)
        self._network_layout.setContentsMargins(pad, tile_top, pad, tile_top)
        self._network_layout.setSpacing(tall(6))
        self._network_figures.setHorizontalSpacing(metrics.px(24))
        self._network_figures.setVerticalSpacing(0)
        for chart_panel in (self.curve_panel, self.bars_panel):
            chart_layout = chart_panel.layout()
            assert chart_layout is not None
            chart_layout.setContentsMargins(pad, chart_top, pad, chart_top)
            chart_layout.setSpacing(tall(8))
        self.grid.setHorizontalSpacing(metrics.px(16))
        self.grid.setVerticalSpacing(tall(16))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().height() != event.oldSize().height():
            self._space_out()

    def _arrange(self) -> None:
        """Place the panels for the orientation: figures in a band above the charts, or one column."""
        grid = self.grid
        panels = (
            self.power, self.today, self.total, self.co2_today, self.co2_total,
            self.network_panel, self.curve_panel, self.bars_panel,
        )  # fmt: skip
        for panel in panels:
            grid.removeWidget(panel)
        for index in range(8):
            grid.setRowStretch(index, 0)
            grid.setColumnStretch(index, 0)
        network = not self.network_panel.isHidden()
        self._arrange_network()
        if self.portrait:
            places: list[tuple[QWidget, int, int, int, int]] = [
                (self.power, 0, 0, 1, 2),
                (self.today, 1, 0, 1, 1),
                (self.total, 1, 1, 1, 1),
                (self.co2_today, 2, 0, 1, 1),
                (self.co2_total, 2, 1, 1, 1),
                (self.network_panel, 3, 0, 1, 2),
                (self.curve_panel, 4, 0, 1, 2),
                (self.bars_panel, 5, 0, 1, 2),
            ]
            grid.setRowStretch(4, 5)
            grid.setRowStretch(5, 4)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
        else:
            last = 3 if network else 2
            places = [
                (self.power, 0, 0, 2, 1),
                (self.today, 0, 1, 1, 1),
                (self.total, 0, 2, 1, 1),
                (self.co2_today, 1, 1, 1, 1),
                (self.co2_total, 1, 2, 1, 1),
                (self.network_panel, 0, 3, 2, 1),
                (self.curve_panel, 2, 0, 1, last),
                (self.bars_panel, 2, last, 1, 1),
            ]
            grid.setRowStretch(2, 1)
            for column in range(last + 1):
                grid.setColumnStretch(column, 1)
        for widget, row, column, rows, columns in places:
            if widget is self.network_panel and not network:
                continue
            grid.addWidget(widget, row, column, rows, columns)
