"""Polling a site's energy sources, accounting what each reports and keeping what the dashboard shows honest.

The service never invents a figure: when a source fails it says so (``offline``, or ``partial`` when
others of the site still answer) and keeps the last good values with their time, so the view can say how
old they are; an impossible reading is dropped, counted and logged. Each device has its own ledger (its
own counter), and the site's figures are their sums, so one silent device never lowers the lifetime
total. The dashboard reads ``current()`` for the figures and ``history`` for the charts.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.config import Settings
from kiosk.energy.equivalents import EquivalentFactors, Equivalents
from kiosk.energy.history import EnergyHistory
from kiosk.energy.ledger import EnergyLedger, FeedLedger, LedgerUpdate
from kiosk.energy.reading import DeviceState, EnergyReading, Source
from kiosk.energy.simulator import ClearSkySource, clear_sky_hours
from kiosk.energy.sources import make_device_source, make_network_source, make_source, make_sources
from kiosk.errors import ConfigError, SourceError
from kiosk.store.db import Store

log = logging.getLogger(__name__)

__all__ = [
    "DeviceSnapshot",
    "EnergyService",
    "EnergySnapshot",
    "make_device_source",
    "make_network_source",
    "make_source",
    "make_sources",
]

LIVE, STALE, OFFLINE, STARTING = "live", "stale", "offline", "starting"
SLEEPING, FAULT, PARTIAL = "sleeping", "fault", "partial"
FRESH_STATES = (LIVE, SLEEPING, FAULT, PARTIAL)
"""Site states whose figures arrive live (the dot pulses); they turn ``stale`` when readings stop."""
PRUNE_EVERY = timedelta(hours=1)
STANDBY_W = 50.0
STANDBY_FRACTION = 0.02
"""A device may draw its own standby power at night: down to -max(50 W, 2 % of rated) reads as 0 W."""
SITE_NAME = "site"


def standby_allowance_w(rated_power_w: float) -> float:
    """How far below 0 W a reading may be and still be a plant at rest (its own standby draw)."""
    return max(STANDBY_W, STANDBY_FRACTION * rated_power_w)


@dataclass(frozen=True)
class DeviceSnapshot:
    """One device of the site as last read: its own state (producing, sleeping, fault, offline)."""

    name: str
    state: str
    power_w: float | None = None
    energy_today_wh: float | None = None
    energy_total_wh: float | None = None
    read_at: datetime | None = None
    error: str = ""
    detail: str = ""


@dataclass(frozen=True)
class EnergySnapshot:
    """What the kiosk knows about the site's generation right now, and how fresh it is.

    Units: W, Wh, kg CO2, seconds. ``energy_today_wh`` is for the centre-local ``day``; it is None
    when nothing has been read since that day's midnight; ``estimated_today`` marks a today that
    holds a daylight-weighted share of a long gap. ``age_s`` is the age of ``read_at`` when the
    snapshot was taken (``current()``); ``dropped`` counts impossible readings since start.
    ``devices`` lists each device of the site; ``reporting`` how many answered the last poll.
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
    estimated_today: bool = False
    detail: str = ""
    devices: tuple[DeviceSnapshot, ...] = field(default=())
    reporting: int = 0

    @property
    def silent(self) -> tuple[str, ...]:
        """The names of the devices that did not answer the last poll."""
        return tuple(d.name for d in self.devices if d.state == OFFLINE)

    @property
    def short_state(self) -> str:
        """The state in a few characters for the heartbeat: "live", "sleeping", "partial 2/3", …"""
        if self.state == PARTIAL:
            return f"{PARTIAL} {self.reporting}/{len(self.devices)}"
        return self.state


@dataclass
class _Device:
    """One device of the site: its source, its own ledger, and the key its ledger is saved under."""

    name: str
    source: Source
    ledger: EnergyLedger
    key: str | None
    last: DeviceSnapshot
    down_since: datetime | None = None  # set at the first poll it did not answer: logged once per outage


class EnergyService:
    """Reads each source once per ``poll_once()``, accounts and stores the readings, returns the snapshot.

    ``sources`` is one source, or several by name (a whole site: figures are summed). ``poll_once()``
    blocks (run it in a worker thread); ``current()`` and ``history`` may be used from any thread.
    ``ledger`` accounts each source: a meter's ``EnergyLedger``, or ``FeedLedger`` for totals accounted
    elsewhere (the network of centres).
    """

    def __init__(
        self,
        sources: Source | Mapping[str, Source],
        store: Store,
        *,
        rated_power_w: float,
        stale_after: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] | None = None,
        zone: ZoneInfo | str = "Asia/Baku",
        factors: EquivalentFactors | None = None,
        gap_limit: timedelta = timedelta(minutes=15),
        location: tuple[float, float] | None = (40.4, 49.87),
        ledger: type[EnergyLedger] = EnergyLedger,
    ) -> None:
        named: dict[str, Source] = dict(sources) if isinstance(sources, Mapping) else {sources.name: sources}
        if not named:
            raise ConfigError("[energy] names no source")
        single = len(named) == 1
        self.name = next(iter(named.values())).name if single else SITE_NAME
        self.store = store
        self.rated_power_w = rated_power_w
        self.stale_after = stale_after
        self.zone = ZoneInfo(zone) if isinstance(zone, str) else zone
        self.factors = factors or EquivalentFactors()
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.history = EnergyHistory(store, self.name, self.zone, clock=self._clock)
        daylight = None
        if location is not None:
            latitude, longitude = location

            def daylight(start: datetime, stop: datetime) -> float:
                return clear_sky_hours(start, stop, latitude, longitude)

        self.devices: list[_Device] = []
        for name, source in named.items():
            key = None if single else name
            accounts = ledger(
                self.zone,
                rated_power_w=rated_power_w,
                gap_limit=gap_limit,
                state=self.history.load_state(key),
                daylight=daylight,
            )
            self.devices.append(_Device(name, source, accounts, key, DeviceSnapshot(name, STARTING)))
        self.dropped = 0
        self._lock = threading.Lock()
        self._last_prune: datetime | None = None
        self._last = self._figures(EnergySnapshot(self.name, STARTING), self._clock())

    @property
    def source(self) -> Source:
        """The site's first (for one source, its only) device."""
        return self.devices[0].source

    @property
    def ledger(self) -> EnergyLedger:
        """The first device's ledger (the only one of a single-source site)."""
        return self.devices[0].ledger

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
        """This centre's service as the config describes it (``source`` overrides the configured ones).

        A demo kiosk (the simulator) that has never run gets today's curve and the last 30 days
        filled in, so its charts agree with its figures from the first minute.
        """
        energy = settings.energy
        sources: Source | dict[str, Source] = source or make_sources(
            energy, clock, central=settings.central, central_token=central_token
        )
        service = cls(
            sources,
            store,
            rated_power_w=energy.rated_power_w,
            stale_after=timedelta(seconds=energy.stale_seconds),
            clock=clock,
            zone=settings.kiosk.timezone,
            factors=EquivalentFactors.from_settings(energy),
            gap_limit=timedelta(minutes=energy.gap_limit_minutes),
            location=(energy.latitude, energy.longitude),
        )
        simulator = service.source
        fresh = service.ledger.state.last_read_at is None
        if len(service.devices) == 1 and isinstance(simulator, ClearSkySource) and fresh:
            from kiosk.energy.demo import fill_demo_history

            fill_demo_history(service.history, simulator, service._clock())
        return service

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
        or None when neither is configured. The server accounts each centre: the totals are shown as it
        reports them (``FeedLedger``), not checked as one meter's counter."""
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
            location=None,
            ledger=FeedLedger,
        )

    @property
    def last(self) -> EnergySnapshot:
        return self._last

    def poll_once(self) -> EnergySnapshot:
        """Read every source once; a silent one leaves the others' figures live (``partial``)."""
        with self._lock:
            polled = [(device, self._poll_device(device)) for device in self.devices]
            answered = [(device, update) for device, update in polled if update is not None]
            snapshots = tuple(device.last for device in self.devices)
            if not answered:
                errors = "; ".join(
                    d.error if len(snapshots) == 1 else f"{d.name}: {d.error}" for d in snapshots
                )
                self._last = replace(
                    self._last, state=OFFLINE, error=errors, dropped=self.dropped, devices=snapshots,
                    reporting=0,
                )  # fmt: skip
                return self.current()
            update = answered[0][1] if len(self.devices) == 1 else self._site_update(answered)
            self.history.record(update, {d.key: d.ledger.state for d in self.devices})
            read_at = max(_read_at(device) for device, _ in answered)
            self._prune_now_and_then(read_at)
            state, detail = site_state(snapshots)
            snapshot = EnergySnapshot(
                source=self.name,
                state=state,
                power_w=sum(device.last.power_w or 0.0 for device, _ in answered),
                read_at=read_at,
                dropped=self.dropped,
                centres=getattr(self.source, "centres", None),
                detail=detail,
                devices=snapshots,
                reporting=len(answered),
                error="; ".join(f"{d.name}: {d.error}" for d in snapshots if d.error),
            )
            self._last = self._figures(snapshot, read_at)
            return self.current()

    def _poll_device(self, device: _Device) -> LedgerUpdate | None:
        """Read and account one device; None (and the device marked offline) when it gave nothing usable.

        An update that accepts nothing is a feed repeating its last reading: it answered, its figures stand
        with their age."""
        try:
            reading = device.source.read()
        except SourceError as exc:
            if device.down_since is None:  # a dead inverter at night is one line, not one per poll
                device.down_since = self._clock()
                since = self._local(device.down_since)
                log.warning("Energy source %s not answering since %s: %s", device.name, since, exc)
            device.last = replace(device.last, state=OFFLINE, error=str(exc))
            return None
        if device.down_since is not None:
            log.info(
                "Energy source %s answering again (it did not answer from %s for %s)",
                device.name,
                self._local(device.down_since),
                _duration(self._clock() - device.down_since),
            )
            device.down_since = None
        reading, problem = checked_reading(reading, self.rated_power_w)
        update = None
        if not problem:
            update = device.ledger.apply(reading)
            problem = update.dropped_reason
        if problem or update is None:
            self.dropped += 1
            log.warning(
                "Dropped a reading from %s: %s (%d dropped since start)", device.name, problem, self.dropped
            )
            device.last = replace(device.last, state=OFFLINE, error=problem)
            return None
        ledger = device.ledger
        device.last = DeviceSnapshot(
            name=device.name,
            state=str(reading.state),
            power_w=reading.power_w,
            energy_today_wh=ledger.today_wh(reading.read_at),
            energy_total_wh=ledger.total_wh(),
            read_at=reading.read_at,
            detail=reading.detail,
        )
        return update

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S %Z")

    def _site_update(self, answered: list[tuple[_Device, LedgerUpdate]]) -> LedgerUpdate:
        """One reading for the whole site (summed power) and the energy each device added per day."""
        days: dict[date, float] = {}
        for _, update in answered:
            for day, wh in update.day_energy_wh.items():
                days[day] = days.get(day, 0.0) + wh
        site = EnergyReading(
            read_at=max(_read_at(device) for device, _ in answered),
            power_w=sum(device.last.power_w or 0.0 for device, _ in answered),
            energy_total_wh=_sum_known(d.ledger.total_wh() for d in self.devices),
        )
        return LedgerUpdate(accepted=(site,), day_energy_wh=days)

    def current(self) -> EnergySnapshot:
        """The last snapshot as of now: its age, stale when older than ``stale_after``, today rolled over."""
        snap = self._last
        now = self._clock()
        if snap.read_at is None:
            return snap
        age = now.astimezone(UTC) - snap.read_at.astimezone(UTC)
        snap = replace(snap, age_s=max(0.0, age.total_seconds()))
        if snap.state in FRESH_STATES and age > self.stale_after:
            snap = replace(snap, state=STALE)
        if snap.day is not None and snap.day != now.astimezone(self.zone).date():
            snap = replace(
                snap, energy_today_wh=None, co2_today_kg=None, equivalents_today=None, estimated_today=False
            )
        return snap

    def _figures(self, snapshot: EnergySnapshot, at: datetime) -> EnergySnapshot:
        """Fill today's and the lifetime energy, CO2 and equivalents: the sums of the devices' ledgers."""
        ledgers = [d.ledger for d in self.devices]
        today = _sum_known(ledger.today_wh(at) for ledger in ledgers)
        total = _sum_known(ledger.total_wh() for ledger in ledgers)
        days = [ledger.state.day for ledger in ledgers if ledger.state.day is not None]
        last_reads = [ledger.state.last_read_at for ledger in ledgers if ledger.state.last_read_at]
        return replace(
            snapshot,
            read_at=snapshot.read_at or (max(last_reads) if last_reads else None),
            day=max(days) if days else None,
            energy_today_wh=today,
            energy_total_wh=total,
            estimated_today=any(ledger.today_estimated(at) for ledger in ledgers),
            co2_today_kg=None if today is None else self.factors.co2_kg(today),
            co2_total_kg=None if total is None else self.factors.co2_kg(total),
            equivalents_today=None if today is None else self.factors.equivalents(today),
            equivalents_total=None if total is None else self.factors.equivalents(total),
        )

    def _prune_now_and_then(self, now: datetime) -> None:
        if self._last_prune is not None and now - self._last_prune < PRUNE_EVERY:
            return
        self._last_prune = now
        result = self.history.prune(now)
        if result.readings or result.buckets:
            log.debug("Pruned %d raw readings and %d 5-minute averages", result.readings, result.buckets)


def site_state(devices: tuple[DeviceSnapshot, ...]) -> tuple[str, str]:
    """The site's state from its devices' own (any silent: partial), and the words of any fault."""
    faults = [d for d in devices if d.state == DeviceState.FAULT]
    detail = "; ".join(d.detail or d.name for d in faults)
    if all(d.state == OFFLINE for d in devices):
        return OFFLINE, detail
    if any(d.state == OFFLINE for d in devices):
        return PARTIAL, detail
    if faults:
        return FAULT, detail
    if all(d.state == DeviceState.SLEEPING for d in devices):
        return SLEEPING, ""
    return LIVE, ""


def checked_reading(reading: EnergyReading, rated_power_w: float) -> tuple[EnergyReading, str]:
    """The reading with a plant's standby draw read as 0 W, or why it is impossible ("" when fine)."""
    power = reading.power_w
    if not math.isfinite(power) or power > 1.2 * rated_power_w:
        return reading, f"impossible power reading {power!r} W (rated {rated_power_w:.0f} W)"
    if power < 0:
        allowance = standby_allowance_w(rated_power_w)
        if power < -allowance:
            return (
                reading,
                f"impossible power reading {power!r} W (a plant at rest draws at most {allowance:.0f} W)",
            )
        reading = replace(reading, power_w=0.0)
    if reading.read_at.tzinfo is None:
        return reading, "reading without a time zone"
    return reading, ""


def _read_at(device: _Device) -> datetime:
    """When an answering device's figures were read (a feed repeating itself keeps its first time)."""
    assert device.last.read_at is not None, "an answering device has a reading"
    return device.last.read_at.astimezone(UTC)


def _sum_known(values: Iterable[float | None]) -> float | None:
    """The sum of the known values; None when none is known."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _duration(span: timedelta) -> str:
    """``2 h 05 min`` or ``40 s``: how long an outage lasted, for a log line."""
    seconds = max(0, int(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
