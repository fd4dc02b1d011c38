"""The messages between a kiosk and the central server, and every limit they share: one definition each.

Standard library only, so the kiosk needs nothing more to speak it. The kiosk builds these values and
sends ``to_json()``; the server validates request bodies into the same types with pydantic at its edge
(``central.api``), reading each field's bounds from ``field(metadata=...)`` here, and publishes the
schema. A bound here is what any sane sender stays within; plausibility that depends on the centre
(its rated power, the server's clock) is judged by the server's fleet room.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

LANGUAGES = ("az", "en", "ru")
"""The kiosk's languages; Azerbaijani is the default."""
LEVELS = ("info", "warning", "emergency")
"""Announcement levels, mildest first: ``info`` is a band over the normal kiosk, ``warning`` a larger band,
``emergency`` takes the whole screen; a later level wins over an earlier one."""

MAX_BATCH = 1000
"""Records (heartbeats and events together) in one report batch."""
MAX_REPORT_BYTES = 4 * 1024 * 1024
"""The body of one report batch."""
ID_MIN, ID_MAX = 8, 64
"""A record's id (it makes a resend harmless)."""
MAX_RELEASE = 2**31 - 1
"""Release numbers: what every database's INTEGER holds."""
MAX_POWER_W = 1e9
"""No plant a kiosk shows reaches a gigawatt; the server's own cap (rated power) is lower."""
MAX_ENERGY_WH = 1e15
"""A terawatt-hour-scale counter: far above any centre's lifetime, well inside a float's precision."""
MAX_UPTIME_S = 100 * 365 * 86400
MAX_EVENT_SECONDS = 86400.0
"""One event lasts at most a day (a section shown all day is several events)."""
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""No kiosk reading is older; earlier times are a broken clock or a forgery."""
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
"""Beyond this a time cannot be converted between zones safely: refused, not stored."""

APP_VERSION_MAX = 64
ENERGY_STATE_MAX = 256
LAST_ERROR_MAX = 2000
EVENT_KIND_MAX = 32
SECTION_MAX = 64
ITEM_MAX = 128
LANGUAGE_MAX = 8


def _text(limit: int, *, min_length: int = 0) -> Any:
    return field(default="", metadata={"max_length": limit, "min_length": min_length})


def _number(low: float, high: float) -> Any:
    return field(default=None, metadata={"ge": low, "le": high})


@dataclass(frozen=True)
class Heartbeat:
    """What a kiosk says about itself every minute: version, release, energy reading, last problem."""

    id: str = field(metadata={"min_length": ID_MIN, "max_length": ID_MAX})
    at: datetime
    app_version: str = _text(APP_VERSION_MAX)
    release: int | None = _number(0, MAX_RELEASE)
    uptime_s: int | None = _number(0, MAX_UPTIME_S)
    energy_state: str = _text(ENERGY_STATE_MAX)
    power_w: float | None = _number(0.0, MAX_POWER_W)
    energy_today_wh: float | None = _number(0.0, MAX_ENERGY_WH)
    energy_total_wh: float | None = _number(0.0, MAX_ENERGY_WH)
    reading_at: datetime | None = None
    last_error: str = _text(LAST_ERROR_MAX)

    def to_json(self) -> dict[str, Any]:
        return _json(self)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Heartbeat:
        return cls(**_values(cls, doc))


@dataclass(frozen=True)
class PlayEvent:
    """Proof of play or an interaction: which section (and item) was shown, how long, in which language."""

    id: str = field(metadata={"min_length": ID_MIN, "max_length": ID_MAX})
    at: datetime
    kind: str = field(metadata={"min_length": 1, "max_length": EVENT_KIND_MAX})
    section: str = _text(SECTION_MAX)
    item: str = _text(ITEM_MAX)
    seconds: float | None = _number(0.0, MAX_EVENT_SECONDS)
    language: str = _text(LANGUAGE_MAX)

    def to_json(self) -> dict[str, Any]:
        return _json(self)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> PlayEvent:
        return cls(**_values(cls, doc))


@dataclass(frozen=True)
class ReportBatch:
    """One POST of queued records, oldest first; at most :data:`MAX_BATCH` of them together."""

    heartbeats: tuple[Heartbeat, ...] = ()
    events: tuple[PlayEvent, ...] = ()
    sent_at: datetime | None = None
    """The kiosk's clock when it sent the batch: the server measures the kiosk's clock error by it."""

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "heartbeats": [h.to_json() for h in self.heartbeats],
            "events": [e.to_json() for e in self.events],
        }
        if self.sent_at is not None:
            doc["sent_at"] = self.sent_at.isoformat()
        return doc


@dataclass(frozen=True)
class ReportReceipt:
    """The server's answer to a batch: what was new, what it had already, whether it wants a screenshot."""

    heartbeats: int
    events: int
    duplicates: int
    screenshot_requested: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "accepted": {"heartbeats": self.heartbeats, "events": self.events},
            "duplicates": self.duplicates,
            "screenshot_requested": self.screenshot_requested,
        }


@dataclass(frozen=True)
class NetworkTotals:
    """All centres together, as the kiosks' "network" energy source shows them (``GET /api/network``)."""

    read_at: datetime
    power_w: float
    energy_today_wh: float | None
    energy_total_wh: float | None
    centres: int | None
    kiosks: int | None = None

    def to_json(self) -> dict[str, Any]:
        return _json(self)

    @classmethod
    def from_json(cls, doc: object, *, now: datetime | None = None) -> NetworkTotals:
        """The feed as a kiosk reads it (``now`` without ``read_at``); ``ValueError`` names the field."""
        if not isinstance(doc, dict):
            raise ValueError("the answer is JSON that is not an object")
        read_at = doc.get("read_at")
        power = _finite(doc, "power_w")
        if power is None:
            raise ValueError("it has no power_w")
        return cls(
            read_at=parse_time(read_at, "read_at") if read_at is not None else now or datetime.now(UTC),
            power_w=power,
            energy_today_wh=_finite(doc, "energy_today_wh"),
            energy_total_wh=_finite(doc, "energy_total_wh"),
            centres=_count(doc, "centres"),
            kiosks=_count(doc, "kiosks"),
        )


def new_id() -> str:
    """A record id: random, so a resend is recognised and two kiosks never collide."""
    return uuid.uuid4().hex


class TimeRangeError(ValueError):
    """An aware time that no calendar arithmetic can hold (its UTC moment is before year 1 or after 9999)."""


def parse_aware(value: object, key: str) -> datetime:
    """An ISO 8601 date and time with its offset, kept as written: the one reader of aware times.

    Raises ValueError naming ``key`` (TimeRangeError when the moment cannot be converted to UTC).
    """
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, str) and len(value) <= 64:
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{key}: {value[:40]!r} is not an ISO 8601 time") from None
    else:
        raise ValueError(f"{key}: expected an ISO 8601 time with a zone")
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{key}: {when.isoformat()} has no time zone")
    try:
        when.astimezone(UTC)
    except OverflowError:
        raise TimeRangeError(f"{key}: {when.isoformat()} is not a plausible time") from None
    return when


def parse_time(value: object, key: str) -> datetime:
    """An aware ISO 8601 time between :data:`EARLIEST` and :data:`LATEST`, in UTC."""
    when = parse_aware(value, key)
    if not EARLIEST.replace(tzinfo=None) < when.replace(tzinfo=None) < LATEST.replace(tzinfo=None):
        raise ValueError(f"{key}: {when.isoformat()} is not a plausible time")
    return when.astimezone(UTC)


def _json(value: Any) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(value).items()}


def _values(cls: type[Any], doc: dict[str, Any]) -> dict[str, Any]:
    """The known keys of ``doc`` (a newer peer may send more), times parsed."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in doc:
            raw = doc[f.name]
            values[f.name] = parse_time(raw, f.name) if f.name in ("at", "reading_at") and raw else raw
    return values


def _finite(doc: dict[str, Any], key: str) -> float | None:
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{key} is {str(value)[:40]!r}, not a finite number")
    return float(value)


def _count(doc: dict[str, Any], key: str) -> int | None:
    value = doc.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
