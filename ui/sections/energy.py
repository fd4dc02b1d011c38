"""The energy dashboard: this centre's solar generation now, today and in total."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from kiosk.energy.service import LIVE, OFFLINE, STALE, STARTING, EnergySnapshot
from ui import formatting
from ui.i18n import LanguageController
from ui.sections.base import Section
from ui.theme import Metrics
from ui.widgets.stat_tile import StatTile


class EnergySection(Section):
    """Big tiles for power now, energy today and lifetime energy, and how fresh the figures are."""

    key = "energy"

    def __init__(self, languages: LanguageController, parent: QWidget | None = None) -> None:
        super().__init__(languages, parent)
        self.snapshot: EnergySnapshot | None = None
        self.network: EnergySnapshot | None = None
        self.timezone = ZoneInfo("Asia/Baku")
        self.power = StatTile(hero=True)
        self.today = StatTile()
        self.total = StatTile()
        self.grid = QGridLayout()
        self.body.addLayout(self.grid, 1)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("SourceState")
        self.state_label.setWordWrap(True)
        self.body.addWidget(self.state_label)
        self.retranslate()

    def nav_label(self) -> str:
        return self.tr("Energy")

    def show_snapshot(self, snapshot: EnergySnapshot) -> None:
        self.snapshot = snapshot
        self._show_figures()

    def show_network(self, snapshot: EnergySnapshot) -> None:
        """Totals of all centres, shown beside this centre's figures."""
        self.network = snapshot

    def retranslate(self) -> None:
        self.title.setText(self.tr("Solar power of this centre"))
        self.subtitle.setText(self.tr("Generated on our own roof, live"))
        self.power.caption.setText(self.tr("Power now"))
        self.today.caption.setText(self.tr("Energy today"))
        self.total.caption.setText(self.tr("Energy since installation"))
        self._show_figures()

    def apply_layout(self, metrics: Metrics, portrait: bool) -> None:
        super().apply_layout(metrics, portrait)
        for tile in (self.power, self.today, self.total):
            self.grid.removeWidget(tile)
            tile.set_margins(metrics.px(28))
        spacing = metrics.px(24)
        self.grid.setSpacing(spacing)
        if portrait:
            self.grid.addWidget(self.power, 0, 0)
            self.grid.addWidget(self.today, 1, 0)
            self.grid.addWidget(self.total, 2, 0)
            self.grid.setRowStretch(0, 2)
            self.grid.setRowStretch(1, 1)
            self.grid.setRowStretch(2, 1)
            self.grid.setColumnStretch(1, 0)
        else:
            self.grid.addWidget(self.power, 0, 0, 2, 1)
            self.grid.addWidget(self.today, 0, 1)
            self.grid.addWidget(self.total, 1, 1)
            self.grid.setRowStretch(0, 1)
            self.grid.setRowStretch(1, 1)
            self.grid.setRowStretch(2, 0)
            self.grid.setColumnStretch(0, 3)
            self.grid.setColumnStretch(1, 2)

    def _show_figures(self) -> None:
        locale = self.languages.locale()
        snap = self.snapshot
        kw, kwh, mwh = self.tr("kW"), self.tr("kWh"), self.tr("MWh")
        if snap is None or snap.power_w is None:
            for tile, unit in ((self.power, kw), (self.today, kwh), (self.total, mwh)):
                tile.set_figure("–", unit)
        else:
            self.power.set_figure(formatting.power_kw(locale, snap.power_w), kw)
            today = snap.energy_today_wh
            self.today.set_figure("–" if today is None else formatting.energy_kwh(locale, today), kwh)
            total = snap.energy_total_wh
            self.total.set_figure("–" if total is None else formatting.energy_mwh(locale, total), mwh)
        self.state_label.setProperty("state", snap.state if snap else STARTING)
        self.state_label.setText(self._state_text(snap))
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)

    def _state_text(self, snap: EnergySnapshot | None) -> str:
        if snap is None or snap.state == STARTING:
            return self.tr("Connecting to the solar inverter…")
        source = (
            self.tr("Simulated solar plant (demo)")
            if snap.source == "simulator"
            else self.tr("Solar inverter")
        )
        if snap.read_at is None:
            return f"{source} · " + self.tr("source offline: no reading yet")
        at = formatting.clock(snap.read_at.astimezone(self.timezone))
        if snap.state == LIVE:
            return f"{source} · " + self.tr("updated at %1").replace("%1", at)
        if snap.state in (STALE, OFFLINE):
            minutes = max(1, int((datetime.now(UTC) - snap.read_at).total_seconds() // 60))
            status = self.tr("source offline") if snap.state == OFFLINE else self.tr("no new reading")
            return f"{source} · {status} · " + self.tr("last updated %n minute(s) ago", "", minutes)
        return source
