"""Proof of play as an administrator asks for it: plays and seconds per service, video and section.

Kiosks report events in their own words (``section`` with seconds, ``service`` with the seconds a
service page was open, ``video`` with the seconds a campaign video was on screen; older kiosks sent
``service_opened`` without seconds). This room turns them into figures per item over a date range in
Baku time, for one centre or kiosk or all, and names each item with the title the content gives it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from central.db import Database
from central.errors import Invalid
from central.models import Kiosk, KioskEvent
from central.publishing import Publishing
from kiosk.content.manifest import content_of
from kiosk.errors import ContentError

log = logging.getLogger(__name__)

BAKU = ZoneInfo("Asia/Baku")
MAX_DAYS = 400  # a year and a bit: enough for an annual report, bounded for the database
EARLIEST = date(2020, 1, 1)
Dimension = Literal["service", "video", "section"]
DIMENSIONS: tuple[Dimension, ...] = ("service", "video", "section")
_KIND_OF: dict[str, Dimension] = {
    "service": "service",
    "service_opened": "service",  # kiosks before 2026-11 sent no seconds with it
    "video": "video",
    "section": "section",
}


@dataclass(frozen=True)
class PlayFilter:
    """What the reader asked for: Baku dates ``first``..``last`` (both included), a centre, a kiosk."""

    first: date
    last: date
    centre: str = ""
    kiosk: str = ""

    def utc_range(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.first, time(), BAKU)
        end = datetime.combine(self.last + timedelta(days=1), time(), BAKU)
        return start, end


@dataclass(frozen=True)
class PlayRow:
    """One item's figures: ``item`` is its id in the content (a section's key for sections)."""

    dimension: Dimension
    item: str
    plays: int
    seconds: float


def check_filter(first: date, last: date, today: date, centre: str = "", kiosk: str = "") -> PlayFilter:
    """A filter the database can answer quickly, or :class:`Invalid` saying what to change."""
    if first < EARLIEST or last < EARLIEST:
        raise Invalid(f"dates before {EARLIEST.isoformat()} hold no plays")
    if first > today + timedelta(days=1) or last > today + timedelta(days=366):
        raise Invalid("the dates lie in the future")
    if last < first:
        raise Invalid("the end date is before the start date")
    if (last - first).days + 1 > MAX_DAYS:
        raise Invalid(f"choose at most {MAX_DAYS} days at a time")
    if len(centre) > 128 or len(kiosk) > 64:
        raise Invalid("the centre or kiosk name is too long")
    return PlayFilter(first, last, centre, kiosk)


class PlayReport:
    """Reads the events table; names items from the channels' active releases (cached per release)."""

    def __init__(self, database: Database, publishing: Publishing, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.publishing = publishing
        self.clock = clock
        self._names: dict[tuple[str, int], dict[tuple[str, str], dict[str, str]]] = {}

    def today(self) -> date:
        return self.clock().astimezone(BAKU).date()

    def rows(self, wanted: PlayFilter) -> list[PlayRow]:
        """Figures per item, most seconds first within services, videos, then sections."""
        start, end = wanted.utc_range()
        query = (
            select(
                KioskEvent.kind,
                KioskEvent.section,
                KioskEvent.item,
                func.count(),
                func.coalesce(func.sum(KioskEvent.seconds), 0.0),
            )
            .join(Kiosk, Kiosk.id == KioskEvent.kiosk_id)
            .where(KioskEvent.at >= start, KioskEvent.at < end, KioskEvent.kind.in_(list(_KIND_OF)))
            .group_by(KioskEvent.kind, KioskEvent.section, KioskEvent.item)
        )
        if wanted.centre:
            query = query.where(Kiosk.centre == wanted.centre)
        if wanted.kiosk:
            query = query.where(Kiosk.id == wanted.kiosk)
        totals: dict[tuple[Dimension, str], tuple[int, float]] = {}
        with self.database.session() as session:
            for kind, section, item, count, seconds in session.execute(query).all():
                dimension = _KIND_OF[kind]
                key = (dimension, section if dimension == "section" else item)
                plays, total = totals.get(key, (0, 0.0))
                totals[key] = (plays + int(count), total + float(seconds or 0.0))
        rows = [PlayRow(d, item, plays, seconds) for (d, item), (plays, seconds) in totals.items()]
        order = {d: i for i, d in enumerate(DIMENSIONS)}
        return sorted(rows, key=lambda r: (order[r.dimension], -r.seconds, -r.plays, r.item))

    def centres(self) -> list[str]:
        with self.database.session() as session:
            return sorted(set(session.scalars(select(Kiosk.centre))))

    def kiosk_ids(self) -> list[str]:
        with self.database.session() as session:
            return sorted(session.scalars(select(Kiosk.id)))

    def titles(self) -> dict[tuple[str, str], dict[str, str]]:
        """``(dimension, item id)`` → ``{language: title}`` from every channel's active release."""
        found: dict[tuple[str, str], dict[str, str]] = {}
        for channel in self.publishing.channel_names():
            number = self.publishing.channel_release(channel)
            if number == 0:
                continue
            names = self._names.get((channel, number))
            if names is None:
                names = self._names[(channel, number)] = self._read_titles(channel)
            for key, value in names.items():
                found.setdefault(key, value)
        return found

    def _read_titles(self, channel: str) -> dict[tuple[str, str], dict[str, str]]:
        try:
            manifest = self.publishing.active_manifest(channel)
        except ContentError as exc:  # a release the server accepted but cannot read now: ids stay ids
            log.warning("Channel %s: cannot read item titles for proof of play: %s", channel, exc)
            return {}
        if manifest is None:
            return {}
        content = content_of(manifest, None)
        names: dict[tuple[str, str], dict[str, str]] = {}
        for service in content.services:
            names[("service", service.id)] = dict(service.title.values)
        for video in content.videos:
            names[("video", video.id)] = dict(video.title.values)
        return names
