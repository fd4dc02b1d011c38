"""The kiosks: their reports (intake), their latest state and history, screenshots, the network totals.

The one rule of this room: a report is data, not trust. Bounds every sender keeps are checked at the
edge (``kiosk.wire`` through pydantic); here each reading is judged against what is plausible for a
centre (its rated power, the server's clock), and what is not believed is kept aside with the reason
instead of entering the totals.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from central.db import Database
from central.errors import Forbidden, Invalid, NotFound, TooLarge, Unsupported
from central.models import Centre, Kiosk, KioskEvent, Report
from central.publishing import check_name
from central.served_files import storage_errors
from kiosk.content.publish import write_blob
from kiosk.wire import MAX_BATCH, Heartbeat, NetworkTotals, PlayEvent, ReportBatch, ReportReceipt

log = logging.getLogger(__name__)

SILENT_AFTER = timedelta(minutes=5)  # the console shows a kiosk in red after this
NEW_KIOSK_GRACE = timedelta(minutes=15)
"""A kiosk enrolled this recently without a channel release yet is "new", not "behind" or "silent"."""
NETWORK_FRESH = timedelta(minutes=15)  # a centre's power counts in the network total for this long
CLOCK_SKEW = timedelta(minutes=2)  # a kiosk's clock may be this far ahead before it is not believed
DEFAULT_RATED_POWER_W = 2_000_000.0  # no centre's plant is larger unless [server] rated_power_kw says so
LIFETIME = timedelta(days=50 * 365)  # an energy counter beyond the rated power over this is not believed
POWER_MARGIN = 1.2  # a centre's meter may read this much above its rating (the kiosk's own check allows it)
_LATEST = (
    "app_version",
    "release",
    "uptime_s",
    "energy_state",
    "power_w",
    "energy_today_wh",
    "energy_total_wh",
    "last_error",
)


class Fleet:
    """Reports in, the fleet's state out; screenshots under ``screenshots_dir``."""

    def __init__(
        self,
        screenshots_dir: Path,
        database: Database,
        clock: Callable[[], datetime],
        *,
        rated_power_w: float = DEFAULT_RATED_POWER_W,
    ) -> None:
        self.screenshots_dir = screenshots_dir
        self.database = database
        self.clock = clock
        self.rated_power_w = rated_power_w
        screenshots_dir.mkdir(parents=True, exist_ok=True)

    # --- intake ------------------------------------------------------------------------------------
    def ingest(self, kiosk_id: str, batch: ReportBatch) -> ReportReceipt:
        """Store a batch of heartbeats and events; a repeated event id is skipped, not doubled."""
        if len(batch.heartbeats) + len(batch.events) > MAX_BATCH:
            raise TooLarge(f"a batch holds at most {MAX_BATCH} records")
        now = self.clock()
        skew = _clock_error(batch, now)
        events = [_event_row(kiosk_id, _believed_event(event, skew, now)) for event in batch.events]
        with self.database.session() as session:
            kiosk = session.get(Kiosk, kiosk_id)
            if kiosk is None:
                raise Forbidden(f"kiosk {kiosk_id!r} is not registered")
            limits = self._limits(session.get(Centre, kiosk.centre))
            judged = [self._judge(beat, skew, now, limits) for beat in batch.heartbeats]
            reports = [_report_row(kiosk_id, beat, now) for beat, _doubt in judged]
            new_reports = self._insert_new(session, Report, reports)
            new_events = self._insert_new(session, KioskEvent, events)
            kiosk.last_seen = now
            if judged or batch.sent_at is not None:
                kiosk.clock_skew_s = None if skew is None else int(skew.total_seconds())
            if judged:
                latest, doubt = max(judged, key=lambda j: j[0].at)
                if kiosk.report_at is None or latest.at >= kiosk.report_at:
                    kiosk.report_at = latest.at
                    for key in _LATEST:
                        value = getattr(latest, key)
                        if key == "energy_total_wh" and value is None:
                            continue  # a lifetime not read yet or not believed: the last one known stays
                        setattr(kiosk, key, value)
                    kiosk.reading_at = latest.reading_at or latest.at
                    kiosk.doubt = doubt
            screenshot = kiosk.screenshot_requested
        return ReportReceipt(
            heartbeats=new_reports,
            events=new_events,
            duplicates=len(reports) + len(events) - new_reports - new_events,
            screenshot_requested=screenshot,
        )

    def _limits(self, centre: Centre | None) -> tuple[float, float]:
        """(rated power in W, largest believable power in W) for a kiosk's centre.

        A centre the server knows is held to its own rating (with the meter's margin); any other to
        the server-wide cap, which is already the largest plant there is."""
        if centre is None:
            return self.rated_power_w, self.rated_power_w
        rated = min(centre.rated_power_kw * 1000.0, self.rated_power_w)
        return rated, min(rated * POWER_MARGIN, self.rated_power_w)

    def _judge(
        self, beat: Heartbeat, skew: timedelta | None, now: datetime, limits: tuple[float, float]
    ) -> tuple[Heartbeat, str]:
        """The heartbeat as believed, and why a reading was left out ("" when none was).

        Times are corrected by the kiosk's clock error and never in the future; a reading beyond
        what the kiosk's centre can give (``limits``, see ``_limits``) is left out."""
        rated_w, max_power_w = limits
        at = _believed_time(beat.at, skew, now)
        reading_at = None if beat.reading_at is None else min(_believed_time(beat.reading_at, skew, now), at)
        beat = replace(beat, at=at, reading_at=reading_at)
        doubts: list[str] = []
        lifetime_h = LIFETIME.total_seconds() / 3600
        if beat.power_w is not None and beat.power_w > max_power_w:
            doubts.append(f"power_w {beat.power_w:.0f} W")
            beat = replace(beat, power_w=None)
        if beat.energy_today_wh is not None and beat.energy_today_wh > rated_w * 24:
            doubts.append(f"energy_today_wh {beat.energy_today_wh:.0f} Wh")
            beat = replace(beat, energy_today_wh=None)
        if beat.energy_total_wh is not None and beat.energy_total_wh > rated_w * lifetime_h:
            doubts.append(f"energy_total_wh {beat.energy_total_wh:.0f} Wh")
            beat = replace(beat, energy_total_wh=None)
        doubt = ""
        if doubts:
            rated_kw = rated_w / 1000.0
            doubt = f"not believed, over what a {rated_kw:.10g} kW centre can give: {', '.join(doubts)}"
        return beat, doubt

    def _insert_new(
        self, session: Session, model: type[Report] | type[KioskEvent], rows: list[dict[str, Any]]
    ) -> int:
        if not rows:
            return 0
        insert = pg_insert if self.database.dialect == "postgresql" else sqlite_insert
        # One cached statement run over all rows ("insertmanyvalues"); only the rows really
        # inserted come back, so a resent record is counted as a duplicate.
        statement = (
            insert(model).on_conflict_do_nothing(index_elements=["kiosk_id", "event_id"]).returning(model.id)
        )
        return len(session.execute(statement, rows).all())

    # --- screenshots -------------------------------------------------------------------------------
    def request_screenshot(self, kiosk_id: str) -> None:
        with self.database.session() as session:
            _kiosk(session, kiosk_id).screenshot_requested = True

    def store_screenshot(self, kiosk_id: str, png: bytes) -> None:
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise Unsupported("a screenshot must be a PNG image")
        check_name(kiosk_id, "kiosk id")
        path = self.screenshots_dir / f"{kiosk_id}.png"
        with storage_errors(f"the screenshot of {kiosk_id}"):
            write_blob(path, lambda handle: handle.write(png))
        with self.database.session() as session:
            kiosk = _kiosk(session, kiosk_id)
            kiosk.screenshot_requested = False
            kiosk.screenshot_at = self.clock()

    def screenshot_path(self, kiosk_id: str) -> Path | None:
        check_name(kiosk_id, "kiosk id")
        path = self.screenshots_dir / f"{kiosk_id}.png"
        return path if path.is_file() else None

    # --- the fleet's state -------------------------------------------------------------------------
    def kiosks(self) -> list[dict[str, Any]]:
        now = self.clock()
        with self.database.session() as session:
            kiosks = session.scalars(select(Kiosk).order_by(Kiosk.centre, Kiosk.id)).all()
            rated = self._rated_kw(session)
            return [_kiosk_row(k, now, rated.get(k.centre)) for k in kiosks]

    def kiosk(self, kiosk_id: str) -> dict[str, Any]:
        with self.database.session() as session:
            kiosk = _kiosk(session, kiosk_id)
            centre = session.get(Centre, kiosk.centre)
            return _kiosk_row(kiosk, self.clock(), None if centre is None else centre.rated_power_kw)

    # --- centres -----------------------------------------------------------------------------------
    def set_centre(self, name: str, rated_power_kw: float) -> None:
        """Record a centre's rated power: its kiosks' readings are judged against it from now on."""
        check_name(name, "centre")
        cap_kw = self.rated_power_w / 1000.0
        if not (math.isfinite(rated_power_kw) and 0 < rated_power_kw <= cap_kw):
            raise Invalid(
                f"centre {name}: rated power {rated_power_kw!r} kW: expected more than 0 and at most "
                f"{cap_kw:g} kW (the server's [server] rated_power_kw)"
            )
        with self.database.session() as session:
            centre = session.get(Centre, name)
            if centre is None:
                session.add(Centre(name=name, rated_power_kw=rated_power_kw))
            else:
                centre.rated_power_kw = rated_power_kw

    def centres(self) -> list[dict[str, Any]]:
        """Every centre with a kiosk or a rated power; ``rated_power_kw`` None means the server-wide cap."""
        with self.database.session() as session:
            rated = self._rated_kw(session)
            kiosks = dict(session.execute(select(Kiosk.centre, func.count()).group_by(Kiosk.centre)).all())
            return [
                {"name": name, "rated_power_kw": rated.get(name), "kiosks": int(kiosks.get(name, 0))}
                for name in sorted(set(rated) | set(kiosks))
            ]

    @staticmethod
    def _rated_kw(session: Session) -> dict[str, float]:
        return dict(session.execute(select(Centre.name, Centre.rated_power_kw)).all())

    def history(self, kiosk_id: str, limit: int = 200) -> list[dict[str, Any]]:
        with self.database.session() as session:
            _kiosk(session, kiosk_id)
            rows = session.scalars(
                select(Report).where(Report.kiosk_id == kiosk_id).order_by(Report.at.desc()).limit(limit)
            )
            return [
                {
                    "at": r.at,
                    "release": r.release,
                    "app_version": r.app_version,
                    "energy_state": r.energy_state,
                    "power_w": r.power_w,
                    "energy_today_wh": r.energy_today_wh,
                    "last_error": r.last_error,
                }
                for r in rows
            ]

    def event_summary(self, kiosk_id: str) -> list[dict[str, Any]]:
        """Proof of play: seconds shown and count per section and language."""
        with self.database.session() as session:
            rows = session.execute(
                select(
                    KioskEvent.kind,
                    KioskEvent.section,
                    KioskEvent.language,
                    func.count(),
                    func.coalesce(func.sum(KioskEvent.seconds), 0.0),
                )
                .where(KioskEvent.kiosk_id == kiosk_id)
                .group_by(KioskEvent.kind, KioskEvent.section, KioskEvent.language)
                .order_by(KioskEvent.kind, KioskEvent.section, KioskEvent.language)
            ).all()
            return [
                {"kind": k, "section": s, "language": lang, "count": int(n), "seconds": float(sec or 0.0)}
                for k, s, lang, n, sec in rows
            ]

    def network(self) -> NetworkTotals:
        """All centres: the latest reading per centre (several kiosks of one centre read one plant)."""
        now = self.clock()
        with self.database.session() as session:
            kiosks = session.scalars(select(Kiosk).where(Kiosk.reading_at.is_not(None))).all()
            per_centre: dict[str, Kiosk] = {}
            for k in kiosks:
                best = per_centre.get(k.centre)
                if best is None or (k.reading_at or now) > (best.reading_at or now):
                    per_centre[k.centre] = k
            power = today = total = 0.0
            for k in per_centre.values():
                fresh = k.reading_at is not None and now - k.reading_at <= NETWORK_FRESH
                if fresh:
                    power += k.power_w or 0.0
                    today += k.energy_today_wh or 0.0
                total += k.energy_total_wh or 0.0
            return NetworkTotals(now, power, today, total, len(per_centre), len(kiosks))


def _clock_error(batch: ReportBatch, now: datetime) -> timedelta | None:
    """How far the kiosk's clock is off, beyond what is tolerated; None when it is right.

    Measured from the batch's ``sent_at``; a kiosk that does not send it is caught only when its
    records are dated in the future (records dated in the past may simply have waited offline)."""
    if batch.sent_at is not None:
        error = batch.sent_at - now
    else:
        times = [beat.at for beat in batch.heartbeats] + [event.at for event in batch.events]
        error = max(times) - now if times else timedelta(0)
        error = max(error, timedelta(0))
    return error if abs(error) > CLOCK_SKEW else None


def _believed_time(moment: datetime, skew: timedelta | None, now: datetime) -> datetime:
    """A kiosk's time on the server's clock: its clock error taken off, and never in the future."""
    if skew is not None:
        try:
            moment = moment - skew
        except OverflowError:
            return now
    return now if moment > now else moment


def _believed_event(event: PlayEvent, skew: timedelta | None, now: datetime) -> PlayEvent:
    return replace(event, at=_believed_time(event.at, skew, now))


def _kiosk(session: Session, kiosk_id: str) -> Kiosk:
    kiosk = session.get(Kiosk, kiosk_id) if len(kiosk_id) <= 64 else None
    if kiosk is None:
        raise NotFound(f"no kiosk {kiosk_id[:70]!r}")
    return kiosk


def _report_row(kiosk_id: str, beat: Heartbeat, now: datetime) -> dict[str, Any]:
    row = {key: getattr(beat, key) for key in _LATEST}
    return {**row, "kiosk_id": kiosk_id, "event_id": beat.id, "at": beat.at, "received": now}


def _event_row(kiosk_id: str, event: PlayEvent) -> dict[str, Any]:
    return {
        "kiosk_id": kiosk_id,
        "event_id": event.id,
        "at": event.at,
        "kind": event.kind,
        "section": event.section,
        "item": event.item,
        "seconds": event.seconds,
        "language": event.language,
    }


def _kiosk_row(k: Kiosk, now: datetime, rated_power_kw: float | None) -> dict[str, Any]:
    # Release 0 is the bundled demo content: the kiosk has nothing from its channel yet.
    new = not k.release and now - k.created < NEW_KIOSK_GRACE
    # Never heard from: silent once it is no longer new.
    silent = not new if k.last_seen is None else now - k.last_seen > SILENT_AFTER
    return {
        "id": k.id,
        "centre": k.centre,
        "rated_power_kw": rated_power_kw,  # None: the server-wide cap applies
        "channel": k.channel,
        "last_seen": k.last_seen,
        "silent": silent,
        "new": new,  # enrolled moments ago: waiting for its first report or its first sync
        "app_version": k.app_version,
        "release": k.release,
        "uptime_s": k.uptime_s,
        "energy_state": k.energy_state,
        "power_w": k.power_w,
        "energy_today_wh": k.energy_today_wh,
        "energy_total_wh": k.energy_total_wh,
        "last_error": k.last_error,
        "clock_skew_s": k.clock_skew_s,
        "doubt": k.doubt,
        "screenshot_at": k.screenshot_at,
        "screenshot_requested": k.screenshot_requested,
    }
