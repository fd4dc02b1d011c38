"""The content editor's forms read into manifest tables (services, videos, channel name and attract loop,
announcements), refusing what the form itself gets wrong.

What a form cannot judge alone (texts, URLs, ids, media) is left to the kiosk's own parser, which
:mod:`central.working_copy` runs on the whole document before anything is saved. No FastAPI, no Qt.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from central.drafts import MAX_ANNOUNCEMENT_TEXT, MAX_CENTRES
from central.errors import Invalid
from kiosk.content.model import ATTRACT_STEPS
from kiosk.wire import LANGUAGES, LEVELS, parse_time

BAKU = ZoneInfo("Asia/Baku")
MAX_FIELD_CHARS = 20_000
"""A form field longer than this is not read at all; the parser's own limits say the rest."""
ATTRACT_SLOTS = 6
LONG_EMERGENCY = timedelta(hours=24)
"""An emergency blanks every lobby screen: longer than this needs the admin to say yes twice."""


@dataclass(frozen=True)
class Problem:
    """Why an edit was refused, placed at a form field (``""``: the whole form).

    ``code`` names a console text; ``parser`` means ``detail`` is the kiosk parser's own message.
    """

    field: str
    code: str
    detail: str = ""


class EditRefused(Invalid):
    """An edit the kiosk would not accept: nothing was saved."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.detail or f"{p.field}: {p.code}" for p in self.problems)[:1000])


def local_time(value: str) -> datetime | None:
    """A ``datetime-local`` field, read as Baku time; None unless it is a plausible time."""
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=BAKU)
        return parse_time(moment, "time")
    except ValueError:
        return None


def local_field(value: Any) -> str:
    """A stored ISO time as a ``datetime-local`` field shows it (Baku time, to the minute); ``""`` if
    it is not one."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        return ""
    return moment.astimezone(BAKU).replace(tzinfo=None).isoformat(timespec="minutes")


def _text_fields(fields: Mapping[str, str], name: str) -> dict[str, str]:
    return {
        language: fields.get(f"{name}.{language}", "").replace("\r\n", "\n").strip() for language in LANGUAGES
    }


def _too_long(fields: Mapping[str, str]) -> list[Problem]:
    return [
        Problem(key, "too_long", str(MAX_FIELD_CHARS))
        for key, value in fields.items()
        if len(value) > MAX_FIELD_CHARS
    ]


def _targeting(
    item: dict[str, Any],
    fields: Mapping[str, str],
    centres: Sequence[str],
    weekdays: Sequence[str],
    known_centres: Collection[str],
    problems: list[Problem],
) -> None:
    """Centres and schedule, shared by services and videos."""
    unknown = [c for c in centres if c not in known_centres]
    for centre in unknown[:5]:
        problems.append(Problem("centres", "centre_unknown", centre[:64]))
    if centres:
        item["centres"] = list(dict.fromkeys(centres))
    schedule: dict[str, Any] = {}
    for key in ("from", "until", "hours"):
        value = fields.get(f"schedule.{key}", "").strip()
        if value:
            schedule[key] = value
    days = []
    for day in weekdays:
        if day.isdigit() and 1 <= int(day) <= 7:
            days.append(int(day))
        else:
            problems.append(Problem("schedule.weekdays", "weekday_bad", day[:10]))
    if days:
        schedule["weekdays"] = sorted(set(days))
    if schedule:
        item["schedule"] = schedule


def service_from_form(
    fields: Mapping[str, str],
    centres: Sequence[str],
    weekdays: Sequence[str],
    known_centres: Collection[str],
) -> dict[str, Any]:
    """A ``[[services]]`` table from the service form; EditRefused for what the form itself gets wrong
    (the rest, texts and URL included, is the parser's to judge when the copy is saved)."""
    problems = _too_long(fields)
    if problems:
        raise EditRefused(problems)
    service: dict[str, Any] = {
        "id": fields.get("id", "").strip(),
        "category": fields.get("category", "green"),
        "title": _text_fields(fields, "title"),
        "summary": _text_fields(fields, "summary"),
        "body": _text_fields(fields, "body"),
        "url": fields.get("url", "").strip(),
    }
    if fields.get("featured") == "yes":
        service["featured"] = True
    for name in ("icon", "image"):
        if fields.get(name, "").strip():
            service[name] = fields[name].strip()
    _targeting(service, fields, centres, weekdays, known_centres, problems)
    if problems:
        raise EditRefused(problems)
    return service


def video_from_form(
    fields: Mapping[str, str],
    centres: Sequence[str],
    weekdays: Sequence[str],
    known_centres: Collection[str],
) -> dict[str, Any]:
    """A ``[[videos]]`` table from the video form (file, poster and subtitles are blob sha256s)."""
    problems = _too_long(fields)
    if problems:
        raise EditRefused(problems)
    video: dict[str, Any] = {
        "id": fields.get("id", "").strip(),
        "file": fields.get("file", "").strip(),
        "title": _text_fields(fields, "title"),
    }
    if not video["file"]:
        problems.append(Problem("file", "video_needs_file"))
    if fields.get("poster", "").strip():
        video["poster"] = fields["poster"].strip()
    subtitles = {
        language: fields[f"subtitles.{language}"].strip()
        for language in LANGUAGES
        if fields.get(f"subtitles.{language}", "").strip()
    }
    if subtitles:
        video["subtitles"] = subtitles
    _targeting(video, fields, centres, weekdays, known_centres, problems)
    if problems:
        raise EditRefused(problems)
    return video


def general_from_form(fields: Mapping[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """The channel's name in three languages and the ``[attract]`` table from the general form."""
    problems = _too_long(fields)
    sequence = [fields.get(f"sequence.{i}", "") for i in range(ATTRACT_SLOTS)]
    attract: dict[str, Any] = {"sequence": [step for step in sequence if step]}
    for step in ATTRACT_STEPS:
        raw = fields.get(f"{step}_seconds", "").strip()
        if not raw:
            continue
        try:
            attract[f"{step}_seconds"] = int(raw)
        except ValueError:
            problems.append(Problem(f"{step}_seconds", "seconds_bad", raw[:20]))
    if problems:
        raise EditRefused(problems)
    return _text_fields(fields, "name"), attract


def announcement_from_form(
    fields: Mapping[str, str],
    centres: Sequence[str],
    known_centres: Collection[str],
    *,
    now: datetime,
    old: Mapping[str, Any] | None,
    taken: Collection[str],
) -> dict[str, Any]:
    """An ``[[announcements]]`` table from the editor's form, held to the quick announcement's limits
    (:meth:`central.drafts.Drafts.propose_announcement`): a known level, all three texts of at most
    500 characters, an end after the start, at most 200 centres.

    ``old`` is the announcement being edited (None: a new one, which gets a fresh id not in ``taken``).
    A start or end left as the form showed it keeps its stored value, seconds included; an end that is
    new and already past is refused, as is an emergency of more than a day without ``long_ok``.
    """
    problems = _too_long(fields)
    if problems:
        raise EditRefused(problems)
    level = fields.get("level", "")
    if level not in LEVELS:
        problems.append(Problem("level", "level_bad", level[:20]))
    texts = _text_fields(fields, "text")
    for language, text in texts.items():
        if not text:
            problems.append(Problem(f"text.{language}", "announce_need_texts"))
        elif len(text) > MAX_ANNOUNCEMENT_TEXT:
            problems.append(Problem(f"text.{language}", "too_long", str(MAX_ANNOUNCEMENT_TEXT)))
    times: dict[str, str] = {}
    moments: dict[str, datetime] = {}
    for name in ("starts", "ends"):
        raw = fields.get(name, "").strip()
        stored = old.get(name) if old is not None else None
        moment = local_time(raw)
        if moment is None:
            problems.append(Problem(name, "announce_bad_time"))
            continue
        moments[name] = moment
        kept = stored is not None and local_field(stored) == raw
        times[name] = str(stored) if kept else moment.isoformat()
        if name == "ends" and not kept and moment <= now:
            problems.append(Problem(name, "announce_in_past"))
    starts, ends = moments.get("starts"), moments.get("ends")
    if starts is not None and ends is not None:
        if ends <= starts:
            problems.append(Problem("ends", "announce_end_first"))
        elif level == "emergency" and ends - starts > LONG_EMERGENCY and fields.get("long_ok") != "yes":
            hours = round((ends - starts) / timedelta(hours=1))
            problems.append(Problem("level", "announce_long_emergency", str(hours)))
    if len(centres) > MAX_CENTRES:
        problems.append(Problem("centres", "centres_too_many", str(MAX_CENTRES)))
    for centre in [c for c in centres if c not in known_centres][:5]:
        problems.append(Problem("centres", "centre_unknown", centre[:64]))
    if problems:
        raise EditRefused(problems)
    item: dict[str, Any] = {
        "id": str(old["id"]) if old is not None else new_announcement_id(now, taken),
        "level": level,
        "starts": times["starts"],
        "ends": times["ends"],
        "text": texts,
    }
    if centres:
        item["centres"] = list(dict.fromkeys(centres))
    return item


def new_announcement_id(now: datetime, taken: Collection[str]) -> str:
    """``console-<unix time>`` as the quick announcement names its own, with ``-2``… when it is taken."""
    base = f"console-{int(now.timestamp())}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def announcement_values(item: Mapping[str, Any]) -> dict[str, Any]:
    """An announcement table as the form's fields (times in Baku, as the form takes them)."""
    values: dict[str, Any] = {"level": str(item.get("level", "info"))}
    text = item.get("text")
    if isinstance(text, Mapping):
        values.update({f"text.{language}": str(value) for language, value in text.items()})
    for name in ("starts", "ends"):
        values[name] = local_field(item.get(name))
    centres = item.get("centres")
    values["centres"] = [str(c) for c in centres] if isinstance(centres, list) else []
    starts, ends = local_time(values["starts"]), local_time(values["ends"])
    if values["level"] == "emergency" and starts and ends and ends - starts > LONG_EMERGENCY:
        values["long_ok"] = "yes"  # said yes to once already
    return values
