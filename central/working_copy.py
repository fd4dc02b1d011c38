"""The channel's working copy: the content the console edits, kept only when a kiosk would accept it.

Each edit reads the copy, changes one thing and is saved only if the whole document, built into a
manifest, passes the kiosk's own parser (:func:`kiosk.content.manifest.parse_manifest`: schema,
languages, URLs, media sizes) and every media reference is a blob of the right kind the channel holds.
So whatever the console later proposes as a draft is something a kiosk takes. No FastAPI, no Qt.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.db import Database
from central.drafts import MAX_NOTE_CHARS, ContentDraft, Drafts, params_of
from central.errors import Conflict, Invalid, NotFound
from central.media_choices import media_kind
from central.models import Draft, WorkingCopy
from central.publishing import Publishing, channel_row
from kiosk.content.manifest import BlobInfo, Manifest, encode_manifest, parse_manifest
from kiosk.content.model import ATTRACT_STEPS, FORMAT_VERSION
from kiosk.content.source import media_fields
from kiosk.errors import ContentError
from kiosk.wire import LANGUAGES

log = logging.getLogger(__name__)

TABLES = ("services", "videos")
MAX_FIELD_CHARS = 20_000
"""A form field longer than this is not read at all; the parser's own limits say the rest."""
ATTRACT_SLOTS = 6
_PARSER_LINE = re.compile(r"^(services|videos)\[(\d+)\](?:\.(\S+?))?: (.*)$")
_WHERE = "working copy"


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


@dataclass(frozen=True)
class Copy:
    """The working copy as the console shows it."""

    channel: str
    document: dict[str, Any]
    base_release: int
    active_release: int
    draft_id: int | None
    """The pending draft this copy was proposed as or reopened from (proposing again supersedes it)."""
    proposed: bool
    """The copy is exactly that pending draft's content (nothing edited since)."""
    changed: bool
    """It differs from the active release's content (so there is something to propose)."""
    updated: datetime | None
    updated_by: str

    def items(self, table: str) -> list[dict[str, Any]]:
        found = self.document.get(table)
        return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []

    def item(self, table: str, item_id: str) -> dict[str, Any]:
        for item in self.items(table):
            if item.get("id") == item_id:
                return item
        raise NotFound(f"the working copy of {self.channel!r} has no {table[:-1]} {item_id[:70]!r}")


def skeleton(channel: str) -> dict[str, Any]:
    """The smallest valid content, for a channel with no release yet."""
    return {
        "format": FORMAT_VERSION,
        "channel": {"name": {language: channel for language in LANGUAGES}},
        "services": [],
        "videos": [],
    }


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


class WorkingCopies:
    """Each channel's working copy in the database, its edits, and proposing it as a content draft."""

    def __init__(
        self,
        database: Database,
        publishing: Publishing,
        drafts: Drafts,
        clock: Callable[[], datetime],
        media: Callable[[str], Mapping[str, BlobInfo]],
    ) -> None:
        self.database = database
        self.publishing = publishing
        self.drafts = drafts
        self.clock = clock
        self.media = media
        """The blobs a channel's content may name, with what a manifest promises about each."""

    # --- reading ---------------------------------------------------------------------------------
    def current(self, channel: str) -> Copy:
        """The channel's working copy, made from its active release the first time it is asked for."""
        active = self.publishing.active_manifest(channel)
        with self.database.session() as session:
            row = self._row(session, channel, active)
            return self._copy(channel, row, active)

    # --- edits -----------------------------------------------------------------------------------
    def put_item(
        self, channel: str, table: str, old_id: str | None, item: Mapping[str, Any], *, by: str
    ) -> Copy:
        """Replace item ``old_id`` of ``table`` (services/videos) by ``item``, or append it (``None``)."""
        _check_table(table)

        def change(doc: dict[str, Any]) -> int:
            items = _items(doc, table)
            if old_id is None:
                items.append(dict(item))
                return len(items) - 1
            index = _index(items, old_id, channel, table)
            items[index] = dict(item)
            return index

        return self._edit(channel, change, table, by=by)

    def delete_item(self, channel: str, table: str, item_id: str, *, by: str) -> Copy:
        _check_table(table)

        def change(doc: dict[str, Any]) -> None:
            items = _items(doc, table)
            del items[_index(items, item_id, channel, table)]

        return self._edit(channel, change, table, by=by)

    def move_item(self, channel: str, table: str, item_id: str, step: int, *, by: str) -> Copy:
        """Move an item one place up (``step`` -1) or down (+1); at either end it stays."""
        _check_table(table)

        def change(doc: dict[str, Any]) -> None:
            items = _items(doc, table)
            index = _index(items, item_id, channel, table)
            other = index + (1 if step > 0 else -1)
            if 0 <= other < len(items):
                items[index], items[other] = items[other], items[index]

        return self._edit(channel, change, table, by=by)

    def set_general(
        self, channel: str, name: Mapping[str, str], attract: Mapping[str, Any], *, by: str
    ) -> Copy:
        def change(doc: dict[str, Any]) -> None:
            doc["channel"] = {"name": dict(name)}
            doc["attract"] = dict(attract)

        return self._edit(channel, change, None, by=by)

    def reset(self, channel: str, *, by: str) -> Copy:
        """Start again from the active release's content (edits not proposed are dropped)."""
        active = self.publishing.active_manifest(channel)
        with self.database.session() as session:
            row = self._row(session, channel, active)
            row.document = _dump(dict(active.content) if active else skeleton(channel))
            row.base_release, row.draft_id = (active.release if active else 0), None
            row.updated, row.updated_by = self.clock(), by[:128]
            return self._copy(channel, row, active)

    def open_draft(self, channel: str, draft_id: int, *, by: str) -> Copy:
        """Put a pending content draft back into the working copy; proposing again supersedes it."""
        active = self.publishing.active_manifest(channel)
        self.drafts.pending_draft(channel, draft_id)  # NotFound / Conflict unless pending here
        with self.database.session() as session:
            draft = session.get(Draft, draft_id)
            assert draft is not None
            params = params_of(draft.kind, json.loads(draft.params or "{}"))
            if not isinstance(params, ContentDraft):
                raise Conflict(
                    f"draft {draft_id} is a {draft.kind} draft: only content drafts open for editing"
                )
            content = parse_manifest(draft.manifest).content
            row = self._row(session, channel, active)
            row.document, row.base_release, row.draft_id = _dump(dict(content)), params.base_release, draft_id
            row.updated, row.updated_by = self.clock(), by[:128]
            return self._copy(channel, row, active)

    def propose(self, channel: str, note: str, *, by: str) -> int:
        """The working copy as a content draft with ``note``; it supersedes the draft it was opened from."""
        if not note.strip():
            raise EditRefused([Problem("note", "note_missing")])
        if len(" ".join(note.split())) > MAX_NOTE_CHARS:
            raise EditRefused([Problem("note", "note_too_long", str(MAX_NOTE_CHARS))])
        copy = self.current(channel)
        if not copy.changed:
            raise EditRefused([Problem("", "nothing_changed")])
        blobs = self.media(channel)
        self._check(copy.document, blobs, None, None)
        refs = {table[name] for _key, table, name in media_fields(copy.document)}
        draft = self.drafts.propose_content(
            channel,
            copy.document,
            {sha: blobs[sha] for sha in refs},
            note=note,
            base_release=copy.base_release,
            replaces=copy.draft_id,
            by=by,
        )
        with self.database.session() as session:
            row = session.get(WorkingCopy, channel_row(session, channel).id)
            if row is not None:
                row.draft_id = draft
        log.info("Channel %s: working copy proposed as draft %d by %s", channel, draft, by)
        return draft

    # --- inside ----------------------------------------------------------------------------------
    def _edit(
        self, channel: str, change: Callable[[dict[str, Any]], int | None], table: str | None, *, by: str
    ) -> Copy:
        active = self.publishing.active_manifest(channel)
        blobs = self.media(channel)
        with self.database.session() as session:
            row = self._row(session, channel, active, lock=True)
            doc = json.loads(row.document)
            index = change(doc)
            self._check(doc, blobs, table, index)
            row.document = _dump(doc)
            row.updated, row.updated_by = self.clock(), by[:128]
            return self._copy(channel, row, active)

    def _check(
        self, doc: dict[str, Any], blobs: Mapping[str, BlobInfo], table: str | None, index: int | None
    ) -> None:
        """Every problem the kiosk would find, each placed at the edited item's field where it is one."""
        problems: list[Problem] = []

        def place(key: str) -> str:
            found = re.match(r"^(services|videos)\[(\d+)\]\.(.+)$", key)
            if found and found.group(1) == table and int(found.group(2)) == index:
                return found.group(3)
            return ""

        known: dict[str, BlobInfo] = {}
        for key, holder, name in media_fields(doc):
            sha = holder[name]
            kind = "video" if key.endswith(".file") else "subtitles" if ".subtitles." in key else "image"
            info = blobs.get(sha)
            if info is None:
                problems.append(Problem(place(key), "media_unknown", f"{key}: {sha[:70]}"))
            elif media_kind(info.media_type) != kind:
                problems.append(Problem(place(key), "media_wrong_kind", f"{key}: {info.media_type}"))
            else:
                known[sha] = info
        now = self.clock().astimezone(UTC).replace(microsecond=0)
        try:
            data = encode_manifest(
                release=1, created=now, expires=now + timedelta(days=1), content=doc, blobs=known
            )
            parse_manifest(data, where=_WHERE)
        except (ContentError, TypeError, ValueError) as exc:
            for line in str(exc).splitlines():
                shown = re.sub(rf"^{_WHERE}: content[:.] ?", "", line)
                if "is not listed in blobs" in shown:
                    continue  # already said above, in the console's words
                found = _PARSER_LINE.match(shown)
                field = ""
                if found and found.group(1) == table and int(found.group(2)) == index:
                    field = found.group(3) or ""
                elif table and shown.startswith(f"{table}: id ") and "used twice" in shown:
                    field = "id"
                problems.append(Problem(field, "parser", shown[:500]))
        if problems:
            raise EditRefused(problems)

    def _row(
        self, session: Session, channel: str, active: Manifest | None, *, lock: bool = False
    ) -> WorkingCopy:
        channel_id = channel_row(session, channel).id
        query = select(WorkingCopy).where(WorkingCopy.channel_id == channel_id)
        row = session.scalar(query.with_for_update() if lock else query)
        if row is None:
            row = WorkingCopy(
                channel_id=channel_id,
                document=_dump(dict(active.content) if active else skeleton(channel)),
                base_release=active.release if active else 0,
                draft_id=None,
                updated=self.clock(),
                updated_by="",
            )
            session.add(row)
            session.flush()
        return row

    def _copy(self, channel: str, row: WorkingCopy, active: Manifest | None) -> Copy:
        """The row as the console shows it; ``draft_id`` only while that draft is still pending."""
        document = json.loads(row.document)
        draft, proposed = None, False
        if row.draft_id is not None:
            session = Session.object_session(row)
            found = session.get(Draft, row.draft_id) if session is not None else None
            if found is not None and found.status == "pending":
                draft = row.draft_id
                proposed = _dump(json.loads(found.manifest).get("content", {})) == row.document
        base = dict(active.content) if active else skeleton(channel)
        return Copy(
            channel=channel,
            document=document,
            base_release=row.base_release,
            active_release=active.release if active else 0,
            draft_id=draft,
            proposed=proposed,
            changed=_dump(document) != _dump(base),
            updated=row.updated if row.updated_by else None,
            updated_by=row.updated_by,
        )


def _dump(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise Invalid(f"{table[:20]!r} is not one of {', '.join(TABLES)}")


def _items(doc: dict[str, Any], table: str) -> list[Any]:
    items = doc.get(table)
    if not isinstance(items, list):
        items = doc[table] = []
    return items


def _index(items: list[Any], item_id: str, channel: str, table: str) -> int:
    for index, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == item_id:
            return index
    raise NotFound(f"the working copy of {channel!r} has no {table[:-1]} {item_id[:70]!r}")
