"""What a content release holds, as immutable values the views read.

The same document shape comes from an admin's ``content.toml``, from a signed manifest and from the
store, so one parser checks all of them and lists every problem it finds, each with its key.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlparse

from kiosk.content.overrides import SettingsEntry, parse_entries
from kiosk.errors import ContentError
from kiosk.hours import parse_hours
from kiosk.wire import LANGUAGES, LEVELS, TimeRangeError, parse_aware

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
DEFAULT_LANGUAGE = "az"
ID_PATTERN = re.compile(r"\A[a-z0-9][a-z0-9-]{0,63}\Z")
SECTIONS = ("energy", "video", "services")
SERVICE_KEYS = (
    "id",
    "category",
    "title",
    "summary",
    "body",
    "url",
    "icon",
    "image",
    "featured",
    "centres",
    "schedule",
)
VIDEO_KEYS = ("id", "file", "title", "poster", "subtitles", "centres", "schedule")
ANNOUNCEMENT_KEYS = ("id", "level", "text", "starts", "ends", "centres")
SCHEDULE_KEYS = ("from", "until", "weekdays", "hours")
CHANNEL_KEYS = ("name",)
ATTRACT_STEPS = ("energy", "video", "featured")
MAX_TEXT_CHARS = 4000
"""A text longer than this is a mistake or an attack; the longest demo body has about 450 characters."""
MAX_URL_BYTES = 700
"""Percent-encoded, the longest URL stays within what a QR code (level M) can hold."""
MAX_ITEMS = 500
"""Services, videos or announcements in one release."""
_fallbacks_logged: set[tuple[str, str]] = set()


def short(value: Any) -> str:
    """A value for an error message: its repr, cut to 80 characters (a problem line stays one line)."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class LocalizedText:
    """A text in az / en / ru; a missing language falls back to Azerbaijani (logged once)."""

    values: Mapping[str, str]
    key: str = ""

    def get(self, language: str) -> str:
        text = self.values.get(language, "").strip()
        if text:
            return text
        if not self.values:  # no text at all (none loaded yet, or an optional one left out): no fallback
            return ""
        if (self.key, language) not in _fallbacks_logged:
            _fallbacks_logged.add((self.key, language))
            log.warning("Content text %s has no '%s' version; showing Azerbaijani", self.key, language)
        return self.values.get(DEFAULT_LANGUAGE, "")


@dataclass(frozen=True)
class Schedule:
    """When an item may be shown, in centre-local time; every part optional."""

    date_from: date | None = None
    date_until: date | None = None
    weekdays: tuple[int, ...] = ()
    hours: tuple[time, time] | None = None

    def allows(self, local: datetime) -> bool:
        """True when ``local`` (a centre-local datetime) falls inside this schedule."""
        if self.date_from and local.date() < self.date_from:
            return False
        if self.date_until and local.date() > self.date_until:
            return False
        if self.weekdays and local.isoweekday() not in self.weekdays:
            return False
        if self.hours:
            start, end = self.hours
            now = local.time()
            inside = start <= now < end if start <= end else (now >= start or now < end)
            if not inside:
                return False
        return True


@dataclass(frozen=True)
class Service:
    """A green-service card and its page, with the URL its QR code carries."""

    id: str
    category: str
    title: LocalizedText
    summary: LocalizedText
    body: LocalizedText
    url: str
    icon: str | None = None
    image: str | None = None
    featured: bool = False
    centres: tuple[str, ...] = ()
    schedule: Schedule = field(default_factory=Schedule)


@dataclass(frozen=True)
class Video:
    """A campaign video, its still image and subtitles per language (media references)."""

    id: str
    file: str
    title: LocalizedText
    poster: str | None = None
    subtitles: Mapping[str, str] = field(default_factory=dict)
    centres: tuple[str, ...] = ()
    schedule: Schedule = field(default_factory=Schedule)


@dataclass(frozen=True)
class Announcement:
    """A message that overrides every section between ``starts`` and ``ends``."""

    id: str
    level: str
    text: LocalizedText
    starts: datetime
    ends: datetime
    centres: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttractPlan:
    """What the idle kiosk cycles through, and for how long each step stays."""

    sequence: tuple[str, ...] = ATTRACT_STEPS
    seconds: Mapping[str, int] = field(default_factory=lambda: {"energy": 20, "video": 40, "featured": 15})


@dataclass(frozen=True)
class Content:
    """One whole release as the kiosk shows it."""

    release: int
    origin: str
    channel_name: LocalizedText
    services: tuple[Service, ...]
    videos: tuple[Video, ...]
    announcements: tuple[Announcement, ...] = ()
    attract: AttractPlan = field(default_factory=AttractPlan)
    settings: tuple[SettingsEntry, ...] = ()
    """Remote settings (``[[settings]]``) for some or all kiosks, signed with the rest."""

    def media_refs(self) -> set[str]:
        """Every media reference the release uses (icons, images, videos, posters, subtitles)."""
        refs: set[str] = set()
        for service in self.services:
            refs.update(r for r in (service.icon, service.image) if r)
        for video in self.videos:
            refs.add(video.file)
            if video.poster:
                refs.add(video.poster)
            refs.update(video.subtitles.values())
        return refs


class _Problems:
    """Collects every problem of a document so an admin sees them all at once."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.items.append(f"{self.where}: {key}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError("\n".join(self.items))


def parse_content(doc: Mapping[str, Any], *, release: int, origin: str, where: str = "content") -> Content:
    """Check a content document and build the Content value; ContentError lists every problem."""
    problems = _Problems(where)
    if doc.get("format") != FORMAT_VERSION:
        problems.add("format", f"expected {FORMAT_VERSION}, got {short(doc.get('format'))}")
    known = {"format", "channel", "attract", "services", "videos", "announcements", "settings"}
    for key in doc:
        if key not in known:
            problems.add(str(key)[:80], f"unknown key (known: {', '.join(sorted(known))})")
    channel = doc.get("channel", {})
    channel_name = LocalizedText({}, "channel.name")
    if isinstance(channel, Mapping):
        _known_keys(channel, "channel", CHANNEL_KEYS, problems)
        channel_name = _text(channel.get("name"), "channel.name", problems)
    else:
        problems.add("channel", "expected a table")
    services = tuple(
        s
        for s in (
            _service(raw, f"services[{i}]", problems)
            for i, raw in enumerate(_list(doc, "services", problems))
        )
        if s
    )
    videos = tuple(
        v
        for v in (
            _video(raw, f"videos[{i}]", problems) for i, raw in enumerate(_list(doc, "videos", problems))
        )
        if v
    )
    announcements = tuple(
        a
        for a in (
            _announcement(raw, f"announcements[{i}]", problems)
            for i, raw in enumerate(_list(doc, "announcements", problems))
        )
        if a
    )
    _unique([s.id for s in services], "services", problems)
    _unique([v.id for v in videos], "videos", problems)
    attract = _attract(doc.get("attract", {}), problems)
    settings = parse_entries(doc.get("settings", []), problems.add)
    problems.raise_if_any()
    return Content(release, origin, channel_name, services, videos, announcements, attract, settings)


def _list(doc: Mapping[str, Any], key: str, problems: _Problems) -> Sequence[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        problems.add(key, "expected a list of tables ([[" + key + "]])")
        return []
    if len(value) > MAX_ITEMS:
        problems.add(key, f"{len(value)} items, more than the {MAX_ITEMS} allowed")
        return []
    return value


def _known_keys(raw: Mapping[Any, Any], key: str, known: Sequence[str], problems: _Problems) -> None:
    """A misspelt key ("untill", "centers") would silently drop a rule: name it and where it is."""
    for name in raw:
        if name not in known:
            problems.add(key, f"unknown key {str(name)[:80]!r} (known: {', '.join(known)})")


def _unique(ids: list[str], key: str, problems: _Problems) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            problems.add(key, f"id {short(item_id)} is used twice")
        seen.add(item_id)


def _text(raw: Any, key: str, problems: _Problems) -> LocalizedText:
    if not isinstance(raw, Mapping):
        problems.add(key, "expected a table with az, en and ru texts")
        return LocalizedText({}, key)
    values: dict[str, str] = {}
    for language in LANGUAGES:
        text = raw.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.add(f"{key}.{language}", "missing or empty text")
        elif len(text) > MAX_TEXT_CHARS:
            problems.add(f"{key}.{language}", f"{len(text)} characters, more than {MAX_TEXT_CHARS}")
        else:
            values[language] = text
    for language in raw:
        if language not in LANGUAGES:
            problems.add(key, f"unknown language {str(language)[:80]!r} (known: {', '.join(LANGUAGES)})")
    return LocalizedText(values, key)


def _str(
    raw: Mapping[str, Any], name: str, key: str, problems: _Problems, *, required: bool = True
) -> str | None:
    value = raw.get(name)
    if value is None:
        if required:
            problems.add(f"{key}.{name}", "missing")
        return None
    if not isinstance(value, str) or not value:
        problems.add(f"{key}.{name}", f"expected a non-empty text, got {short(value)}")
        return None
    return value


def _item_id(raw: Mapping[str, Any], key: str, problems: _Problems) -> str | None:
    item_id = _str(raw, "id", key, problems)
    if item_id is not None and not ID_PATTERN.match(item_id):
        problems.add(f"{key}.id", f"{short(item_id)} must be lowercase letters, digits and '-' (at most 64)")
        return None
    return item_id


def _url(raw: Mapping[str, Any], key: str, problems: _Problems) -> str | None:
    url = _str(raw, "url", key, problems)
    if url is None:
        return None
    if len(url.encode("utf-8", "replace")) > MAX_URL_BYTES:
        problems.add(f"{key}.url", f"longer than {MAX_URL_BYTES} bytes (a QR code cannot hold it)")
        return None
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        problems.add(f"{key}.url", f"{short(url)} is not a well-formed http(s) URL")
        return None
    return url


def _centres(raw: Mapping[str, Any], key: str, problems: _Problems) -> tuple[str, ...]:
    value = raw.get("centres", [])
    if (
        not isinstance(value, list)
        or len(value) > MAX_ITEMS
        or not all(isinstance(c, str) and 0 < len(c) <= 64 for c in value)
    ):
        problems.add(f"{key}.centres", "expected a list of centre ids")
        return ()
    return tuple(value)


def _date(value: Any, key: str, problems: _Problems) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(key, f"expected a date like 2026-03-21, got {short(value)}")
    return None


def _datetime(value: Any, key: str, problems: _Problems) -> datetime | None:
    try:
        return parse_aware(value, key)
    except TimeRangeError:
        problems.add(key, f"{short(value)} is out of range")
    except ValueError:
        problems.add(
            key, f"expected a date and time with offset like 2026-03-21T09:00:00+04:00, got {short(value)}"
        )
    return None


def _schedule(raw: Any, key: str, problems: _Problems) -> Schedule:
    if raw is None:
        return Schedule()
    if not isinstance(raw, Mapping):
        problems.add(key, "expected a table")
        return Schedule()
    _known_keys(raw, key, SCHEDULE_KEYS, problems)
    weekdays = raw.get("weekdays", [])
    if not isinstance(weekdays, list) or not all(isinstance(d, int) and 1 <= d <= 7 for d in weekdays):
        problems.add(f"{key}.weekdays", "expected a list of weekday numbers 1 (Monday) to 7 (Sunday)")
        weekdays = []
    hours: tuple[time, time] | None = None
    if "hours" in raw:
        try:
            hours = parse_hours(str(raw["hours"])[:40])
        except ValueError as exc:
            problems.add(f"{key}.hours", str(exc))
    return Schedule(
        _date(raw.get("from"), f"{key}.from", problems),
        _date(raw.get("until"), f"{key}.until", problems),
        tuple(weekdays),
        hours,
    )


def _service(raw: Any, key: str, problems: _Problems) -> Service | None:
    if not isinstance(raw, Mapping):
        problems.add(key, "expected a table")
        return None
    _known_keys(raw, key, SERVICE_KEYS, problems)
    item_id = _item_id(raw, key, problems)
    category = raw.get("category", "green")
    if category not in ("green", "e-service"):
        problems.add(f"{key}.category", f"expected 'green' or 'e-service', got {short(category)}")
    featured = raw.get("featured", False)
    if not isinstance(featured, bool):
        problems.add(f"{key}.featured", "expected true or false")
        featured = False
    title = _text(raw.get("title"), f"{key}.title", problems)
    summary = _text(raw.get("summary"), f"{key}.summary", problems)
    body = _text(raw.get("body"), f"{key}.body", problems)
    url = _url(raw, key, problems)
    icon = _str(raw, "icon", key, problems, required=False)
    image = _str(raw, "image", key, problems, required=False)
    schedule = _schedule(raw.get("schedule"), f"{key}.schedule", problems)
    centres = _centres(raw, key, problems)
    if item_id is None or url is None:
        return None
    return Service(
        item_id, str(category), title, summary, body, url, icon, image, featured, centres, schedule
    )


def _video(raw: Any, key: str, problems: _Problems) -> Video | None:
    if not isinstance(raw, Mapping):
        problems.add(key, "expected a table")
        return None
    _known_keys(raw, key, VIDEO_KEYS, problems)
    item_id = _item_id(raw, key, problems)
    file = _str(raw, "file", key, problems)
    title = _text(raw.get("title"), f"{key}.title", problems)
    poster = _str(raw, "poster", key, problems, required=False)
    subtitles_raw = raw.get("subtitles", {})
    subtitles: dict[str, str] = {}
    if not isinstance(subtitles_raw, Mapping):
        problems.add(f"{key}.subtitles", "expected a table of language = file")
    else:
        for language, ref in subtitles_raw.items():
            if language not in LANGUAGES:
                problems.add(
                    f"{key}.subtitles",
                    f"unknown language {str(language)[:80]!r} (known: {', '.join(LANGUAGES)})",
                )
            elif not isinstance(ref, str) or not ref:
                problems.add(f"{key}.subtitles.{language}", "expected a file name")
            else:
                subtitles[language] = ref
    schedule = _schedule(raw.get("schedule"), f"{key}.schedule", problems)
    centres = _centres(raw, key, problems)
    if item_id is None or file is None:
        return None
    return Video(item_id, file, title, poster, subtitles, centres, schedule)


def _announcement(raw: Any, key: str, problems: _Problems) -> Announcement | None:
    if not isinstance(raw, Mapping):
        problems.add(key, "expected a table")
        return None
    _known_keys(raw, key, ANNOUNCEMENT_KEYS, problems)
    item_id = _item_id(raw, key, problems)
    level = raw.get("level", "info")
    if level not in LEVELS:
        problems.add(f"{key}.level", f"expected {' or '.join(map(repr, LEVELS))}, got {short(level)}")
    text = _text(raw.get("text"), f"{key}.text", problems)
    starts = _datetime(raw.get("starts"), f"{key}.starts", problems)
    ends = _datetime(raw.get("ends"), f"{key}.ends", problems)
    if starts and ends and ends <= starts:
        problems.add(f"{key}.ends", "must be after starts")
    centres = _centres(raw, key, problems)
    if item_id is None or starts is None or ends is None:
        return None
    return Announcement(item_id, str(level), text, starts, ends, centres)


def _attract(raw: Any, problems: _Problems) -> AttractPlan:
    if not isinstance(raw, Mapping):
        problems.add("attract", "expected a table")
        return AttractPlan()
    default = AttractPlan()
    sequence = raw.get("sequence", list(default.sequence))
    if not isinstance(sequence, list) or not sequence or not all(s in ATTRACT_STEPS for s in sequence):
        problems.add("attract.sequence", f"expected a non-empty list of {', '.join(ATTRACT_STEPS)}")
        sequence = list(default.sequence)
    seconds = dict(default.seconds)
    for step in ATTRACT_STEPS:
        value = raw.get(f"{step}_seconds")
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 3 <= value <= 3600:
            problems.add(f"attract.{step}_seconds", "expected a whole number of seconds from 3 to 3600")
        else:
            seconds[step] = value
    for name in raw:
        if name != "sequence" and not (
            name.endswith("_seconds") and name[: -len("_seconds")] in ATTRACT_STEPS
        ):
            known = ["sequence", *(f"{step}_seconds" for step in ATTRACT_STEPS)]
            problems.add("attract", f"unknown key {str(name)[:80]!r} (known: {', '.join(known)})")
    return AttractPlan(tuple(sequence), seconds)
