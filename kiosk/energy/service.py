"""Polling the configured energy source and keeping what the dashboard shows honest.

The service never invents a figure: when the source fails it says so (``offline``) and keeps the last
good values with their time, so the view can say how old they are.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from kiosk.config import EnergySettings
from kiosk.energy.reading import EnergyReading, Source
from kiosk.errors import ConfigError, SourceError
from kiosk.store.db import Store
from kiosk.store.models import EnergyReadingRow

log = logging.getLogger(__name__)

LIVE, STALE, OFFLINE, STARTING = "live", "stale", "offline", "starting"


@dataclass(frozen=True)
class EnergySnapshot:
    """What the kiosk knows about generation right now, and how fresh it is."""

    source: str
    state: str
    power_w: float | None = None
    energy_today_wh: float | None = None
    energy_total_wh: float | None = None
    read_at: datetime | None = None
    error: str = ""


def make_source(settings: EnergySettings, clock: Callable[[], datetime] | None = None) -> Source:
    """Build the source the config names."""
    if settings.source == "simulator":
        from kiosk.energy.simulator import ClearSkySource

        return ClearSkySource(settings.rated_power_w, seed=settings.simulator_seed, clock=clock)
    raise ConfigError(
        f"[energy] source = '{settings.source}' is not available in this version of Green Kiosk"
    )


class EnergyService:
    """Reads the source once per call, stores the raw reading and returns the current snapshot."""

    def __init__(
        self,
        source: Source,
        store: Store,
        *,
        rated_power_w: float,
        stale_after: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.source = source
        self.store = store
        self.rated_power_w = rated_power_w
        self.stale_after = stale_after
        self._clock = clock or (lambda: datetime.now(UTC))
        self._last = EnergySnapshot(source.name, STARTING)

    @property
    def last(self) -> EnergySnapshot:
        return self._last

    def poll_once(self) -> EnergySnapshot:
        """Read the source once; on failure report offline and keep the last good figures."""
        try:
            reading = self.source.read()
            self._check(reading)
        except SourceError as exc:
            if self._last.state != OFFLINE:
                log.warning("Energy source %s cannot be read: %s", self.source.name, exc)
            self._last = replace(self._last, state=OFFLINE, error=str(exc))
            return self._last
        self._store(reading)
        self._last = EnergySnapshot(
            source=self.source.name,
            state=LIVE,
            power_w=reading.power_w,
            energy_today_wh=reading.energy_today_wh,
            energy_total_wh=reading.energy_total_wh,
            read_at=reading.read_at,
        )
        return self._last

    def current(self) -> EnergySnapshot:
        """The last snapshot, marked stale when it is older than ``stale_after``."""
        snap = self._last
        if snap.state == LIVE and snap.read_at and self._clock() - snap.read_at > self.stale_after:
            return replace(snap, state=STALE)
        return snap

    def _check(self, reading: EnergyReading) -> None:
        power = reading.power_w
        if math.isnan(power) or power < 0 or power > 1.2 * self.rated_power_w:
            raise SourceError(f"impossible power reading {power!r} W (rated {self.rated_power_w:.0f} W)")

    def _store(self, reading: EnergyReading) -> None:
        with self.store.session() as session:
            session.add(
                EnergyReadingRow(
                    read_at=reading.read_at,
                    source=self.source.name,
                    power_w=reading.power_w,
                    energy_total_wh=reading.energy_total_wh,
                    energy_today_wh=reading.energy_today_wh,
                )
            )
