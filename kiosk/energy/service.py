"""Polling one energy source, accounting what it reports and keeping what the dashboard shows honest.

The service never invents a figure: when the source fails it says so (``offline``) and keeps the last
good values with their time, so the view can say how old they are; an impossible reading is dropped,
counted and logged. The dashboard reads ``current()`` for the figures and ``history`` for the charts.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.config import CentralSettings, EnergySettings, Settings
from kiosk.energy.equivalents import EquivalentFactors, Equivalents
from kiosk.energy.history import EnergyHistory
from kiosk.energy.ledger import EnergyLedger
from kiosk.energy.reading import EnergyReading, Source
from kiosk.errors import ConfigError, SourceError
from kiosk.store.db import Store

log = logging.getLogger(__name__)

LIVE, STALE, OFFLINE, STARTING = "live", "stale", "offline", "starting"
PRUNE_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class EnergySnapshot:
    """What the kiosk knows about one source's generation right now, and how fresh it is.

    Units: W, Wh, kg CO2, seconds. ``energy_today_wh`` is for the centre-local ``day``; it is None
    when nothing has been read since that day's midnight. ``age_s`` is the age of ``read_at`` when
    the snapshot was taken (``current()``); ``dropped`` counts impossible readings since start.
    """

    source: str
    state: str
    power_w: float | None = None
    energy_today_wh: float | None = None
    energy_total_wh: float | None = None
    read_at: datetime | None = None
    error: str = ""
    co2_today_kg: float | None = None
    co2_total_kg: float | None = None
    age_s: float | None = None
    day: date | None = None
    dropped: int = 0
    equivalents_today: Equivalents | None = None
    equivalents_total: Equivalents | None = None
    centres: int | None = None


def make_source(
    settings: EnergySettings,
    clock: Callable[[], datetime] | None = None,
    *,
    central: CentralSettings | None = None,
    central_token: str | None = None,
) -> Source:
    """Build the source the config names; ConfigError when its address is missing.

    A central feed on the ``[central]`` server is read with the kiosk's token.
    """
    if settings.source == "simulator":
        from kiosk.energy.simulator import ClearSkySource

        return ClearSkySource(settings.rated_power_w, seed=settings.simulator_seed, clock=clock)
    if settings.source == "sunspec":
        if not settings.host:
            raise ConfigError("[energy] source = 'sunspec' needs host (the inverter's address)")
        from kiosk.energy.sunspec import SunSpecSource

        return SunSpecSource(
            settings.host, settings.port, settings.unit_id, timeout=settings.timeout_seconds, clock=clock
        )
    if settings.source == "huawei":
        if not settings.host:
            raise ConfigError("[energy] source = 'huawei' needs host (the inverter's or dongle's address)")
        from kiosk.energy.huawei import HuaweiSource

        return HuaweiSource(
            settings.host, settings.port, settings.unit_id, timeout=settings.timeout_seconds, clock=clock
        )
    if settings.source == "fronius":
        if not settings.url:
            raise ConfigError("[energy] source = 'fronius' needs url (e.g. http://192.0.2.10)")
        from kiosk.energy.fronius import FroniusSource

        return FroniusSource(settings.url, timeout=settings.timeout_seconds, clock=clock)
    if settings.source == "central":
        if not settings.url:
            raise ConfigError("[energy] source = 'central' needs url (the central energy feed)")
        from kiosk.energy.central import CentralFeedSource

        token = central_token if central is not None and central.serves(settings.url) else None
        return CentralFeedSource(settings.url, timeout=settings.timeout_seconds, clock=clock, token=token)
    raise ConfigError(f"[energy] source = '{settings.source}' is not a known source")


def make_network_source(
    settings: EnergySettings,
    clock: Callable[[], datetime] | None = None,
    *,
    central: CentralSettings | None = None,
    central_token: str | None = None,
) -> Source | None:
    """The central feed of all centres' totals (named "network"), or None when not configured.

    ``[energy] network_url`` wins; without it a kiosk with a ``[central]`` server reads the server's
    ``/api/network`` with its token.
    """
    url = settings.network_url or (central.network_url if central is not None else "")
    if not url:
        return None
    from kiosk.energy.central import CentralFeedSource

    token = central_token if central is not None and central.serves(url) else None
    return CentralFeedSource(url, name="network", timeout=settings.timeout_seconds, clock=clock, token=token)


class EnergyService:
    """Reads its source once per ``poll_once()``, accounts and stores the reading, returns the snapshot.

    ``poll_once()`` blocks (run it in a worker thread); ``current()`` and ``history`` may be used
    from any thread.
    """

    def __init__(
        self,
        source: Source,
        store: Store,
        *,
        rated_power_w: float,
        stale_after: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] | None = None,
        zone: ZoneInfo | str = "Asia/Baku",
        factors: EquivalentFactors | None = None,
        gap_limit: timedelta = timedelta(minutes=15),
    ) -> None:
        self.source = source
        self.store = store
        self.rated_power_w = rated_power_w
        self.stale_after = stale_after
        self.zone = ZoneInfo(zone) if isinstance(zone, str) else zone
        self.factors = factors or EquivalentFactors()
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.history = EnergyHistory(store, source.name, self.zone, clock=self._clock)
        self.ledger = EnergyLedger(
            self.zone, rated_power_w=rated_power_w, gap_limit=gap_limit, state=self.history.load_state()
        )
        self.dropped = 0
        self._lock = threading.Lock()
        self._last_prune: datetime | None = None
        self._last = self._figures(EnergySnapshot(source.name, STARTING), self._clock())

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        store: Store,
        *,
        source: Source | None = None,
        clock: Callable[[], datetime] | None = None,
        central_token: str | None = None,
    ) -> EnergyService:
        """This centre's service as the config describes it (``source`` overrides the configured one)."""
        energy = settings.energy
        return cls(
            source or make_source(energy, clock, central=settings.central, central_token=central_token),
            store,
            rated_power_w=energy.rated_power_w,
            stale_after=timedelta(seconds=energy.stale_seconds),
            clock=clock,
            zone=settings.kiosk.timezone,
            factors=EquivalentFactors.from_settings(energy),
            gap_limit=timedelta(minutes=energy.gap_limit_minutes),
        )

    @classmethod
    def network_from_settings(
        cls,
        settings: Settings,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
        central_token: str | None = None,
    ) -> EnergyService | None:
        """The service for all centres' totals (``[energy] network_url`` or the ``[central]`` server's),
        or None when neither is configured."""
        source = make_network_source(
            settings.energy, clock, central=settings.central, central_token=central_token
        )
        if source is None:
            return None
        energy = settings.energy
        return cls(
            source,
            store,
            rated_power_w=energy.network_rated_power_w,
            stale_after=timedelta(seconds=max(energy.stale_seconds, 600.0)),
            clock=clock,
            zone=settings.kiosk.timezone,
            factors=EquivalentFactors.from_settings(energy),
            gap_limit=timedelta(minutes=energy.gap_limit_minutes),
        )

    @property
    def last(self) -> EnergySnapshot:
        return self._last

    def poll_once(self) -> EnergySnapshot:
        """Read the source once; on failure report offline and keep the last good figures."""
        with self._lock:
            try:
                reading = self.source.read()
            except SourceError as exc:
                if self._last.state != OFFLINE:
                    log.warning("Energy source %s cannot be read: %s", self.source.name, exc)
                self._last = replace(self._last, state=OFFLINE, error=str(exc))
                return self.current()
            problem = self._impossible(reading) or ""
            update = None
            if not problem:
                update = self.ledger.apply(reading)
                problem = update.dropped_reason
            if problem or update is None:
                self.dropped += 1
                log.warning(
                    "Dropped a reading from %s: %s (%d dropped since start)",
                    self.source.name,
                    problem,
                    self.dropped,
                )
                self._last = replace(self._last, state=OFFLINE, error=problem, dropped=self.dropped)
                return self.current()
            self.history.record(update, self.ledger.state)
            self._prune_now_and_then(reading.read_at)
            snapshot = EnergySnapshot(
                source=self.source.name,
                state=LIVE,
                power_w=reading.power_w,
                read_at=reading.read_at,
                dropped=self.dropped,
                centres=getattr(self.source, "centres", None),
            )
            self._last = self._figures(snapshot, reading.read_at)
            return self.current()

    def current(self) -> EnergySnapshot:
        """The last snapshot as of now: its age, stale when older than ``stale_after``, today rolled over."""
        snap = self._last
        now = self._clock()
        if snap.read_at is None:
            return snap
        age = now.astimezone(UTC) - snap.read_at.astimezone(UTC)
        snap = replace(snap, age_s=max(0.0, age.total_seconds()))
        if snap.state == LIVE and age > self.stale_after:
            snap = replace(snap, state=STALE)
        if snap.day is not None and snap.day != now.astimezone(self.zone).date():
            snap = replace(snap, energy_today_wh=None, co2_today_kg=None, equivalents_today=None)
        return snap

    def _figures(self, snapshot: EnergySnapshot, at: datetime) -> EnergySnapshot:
        """Fill today's and the lifetime energy, CO2 and equivalents from the ledger."""
        state = self.ledger.state
        today = self.ledger.today_wh(at)
        total = self.ledger.total_wh()
        return replace(
            snapshot,
            read_at=snapshot.read_at or state.last_read_at,
            day=state.day,
            energy_today_wh=today,
            energy_total_wh=total,
            co2_today_kg=None if today is None else self.factors.co2_kg(today),
            co2_total_kg=None if total is None else self.factors.co2_kg(total),
            equivalents_today=None if today is None else self.factors.equivalents(today),
            equivalents_total=None if total is None else self.factors.equivalents(total),
        )

    def _impossible(self, reading: EnergyReading) -> str | None:
        power = reading.power_w
        if math.isnan(power) or power < 0 or power > 1.2 * self.rated_power_w:
            return f"impossible power reading {power!r} W (rated {self.rated_power_w:.0f} W)"
        if reading.read_at.tzinfo is None:
            return "reading without a time zone"
        return None

    def _prune_now_and_then(self, now: datetime) -> None:
        if self._last_prune is not None and now - self._last_prune < PRUNE_EVERY:
            return
        self._last_prune = now
        result = self.history.prune(now)
        if result.readings or result.buckets:
            log.debug("Pruned %d raw readings and %d 5-minute averages", result.readings, result.buckets)
