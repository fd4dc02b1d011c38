"""Drafts: releases the server proposes (a rollback, an announcement, an announcement ended early, settings,
the console's edited content) that only the admin's key approves.

The one rule of this room: a draft stores what it is (its kind and typed parameters) next to the exact
manifest bytes to be signed, so every reader renders it in its own language from the parameters, and
nothing re-parses a sentence.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.db import Database
from central.errors import Conflict, Invalid, NotFound, Rejected
from central.models import Draft
from central.publishing import SUPERSEDED_KEY, Publishing, channel_row
from kiosk.content.manifest import BlobInfo, content_of, encode_manifest, parse_manifest
from kiosk.errors import ContentError
from kiosk.wire import LANGUAGES, LEVELS, MAX_RELEASE, parse_time

log = logging.getLogger(__name__)

MAX_ANNOUNCEMENT_TEXT = 500
MAX_CENTRES = 200
MAX_SETTINGS_ENTRIES = 500
MAX_NOTE_CHARS = 200
"""A release keeps ``content: <note>`` in 256 characters."""


@dataclass(frozen=True)
class Rollback:
    """Re-activate the content of an earlier release under a new number."""

    release: int

    def describe(self) -> str:
        return f"roll back to the content of release {self.release}"


@dataclass(frozen=True)
class AnnouncementDraft:
    """Add an announcement to the active release's content."""

    level: str
    starts: datetime
    ends: datetime
    texts: Mapping[str, str]
    centres: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"announcement until {self.ends.isoformat(timespec='minutes')}: {self.texts['az'][:80]}"


@dataclass(frozen=True)
class EndAnnouncement:
    """End one announcement of the active release early: it ends at ``at`` (or goes, if not yet started)."""

    announcement: str
    at: datetime
    texts: Mapping[str, str] = field(default_factory=dict)
    """What it says (so a reader knows which one), cut to 80 characters."""

    def describe(self) -> str:
        return f"end announcement {self.announcement} at {self.at.isoformat(timespec='minutes')}"


@dataclass(frozen=True)
class SettingsDraft:
    """Replace the active release's ``[[settings]]`` list; ``target`` names the entry the admin edited."""

    target: str
    entries: tuple[Mapping[str, Any], ...]

    def describe(self) -> str:
        return f"settings for {self.target}: {len(self.entries)} entries in all"


@dataclass(frozen=True)
class ContentDraft:
    """The console's working copy of the content, proposed whole with the editor's note."""

    note: str
    base_release: int
    replaces: int | None = None

    def describe(self) -> str:
        return self.note


DraftParams = Rollback | AnnouncementDraft | EndAnnouncement | SettingsDraft | ContentDraft
KINDS: Mapping[type, str] = {
    Rollback: "rollback",
    AnnouncementDraft: "announcement",
    EndAnnouncement: "end_announcement",
    SettingsDraft: "settings",
    ContentDraft: "content",
}


def params_to_json(params: DraftParams) -> str:
    doc = asdict(params)
    if isinstance(params, AnnouncementDraft):
        doc.update(starts=params.starts.isoformat(), ends=params.ends.isoformat())
        doc["centres"] = list(params.centres)
    if isinstance(params, EndAnnouncement):
        doc.update(at=params.at.isoformat(), texts=dict(params.texts))
    if isinstance(params, SettingsDraft):
        doc["entries"] = [dict(entry) for entry in params.entries]
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def params_of(kind: str, doc: Any) -> DraftParams | None:
    """A draft's parameters from their JSON; None for a draft stored before they were kept."""
    try:
        if kind == "rollback":
            return Rollback(int(doc["release"]))
        if kind == "announcement":
            return AnnouncementDraft(
                level=str(doc["level"]),
                starts=parse_time(doc["starts"], "starts"),
                ends=parse_time(doc["ends"], "ends"),
                texts={lang: str(doc["texts"][lang]) for lang in LANGUAGES},
                centres=tuple(str(c) for c in doc.get("centres", [])),
            )
        if kind == "end_announcement":
            texts = doc.get("texts") or {}
            return EndAnnouncement(
                str(doc["announcement"]),
                parse_time(doc["at"], "at"),
                {lang: str(texts[lang])[:80] for lang in LANGUAGES if lang in texts},
            )
        if kind == "settings":
            return SettingsDraft(str(doc["target"]), tuple(dict(e) for e in doc["entries"]))
        if kind == "content":
            replaces = doc.get("replaces")
            return ContentDraft(
                str(doc["note"]), int(doc["base_release"]), None if replaces is None else int(replaces)
            )
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("A %s draft's stored parameters cannot be read", kind)
    return None


class Drafts:
    """Proposes drafts on top of :class:`Publishing` and publishes one when its signature arrives."""

    def __init__(self, database: Database, publishing: Publishing, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.publishing = publishing
        self.clock = clock

    def propose_rollback(self, channel: str, number: int, *, by: str, valid_days: int = 365) -> int:
        """A draft re-activating release ``number``'s content under a new, higher release number."""
        old = parse_manifest(self.publishing.release_manifest(channel, number))
        return self._propose(
            channel,
            Rollback(number),
            lambda new_number, now: encode_manifest(
                release=new_number,
                created=now,
                expires=now + timedelta(days=valid_days),
                content=old.content,
                blobs=old.blobs,
            ),
            by=by,
        )

    def propose_announcement(
        self,
        channel: str,
        texts: Mapping[str, str],
        *,
        starts: datetime,
        ends: datetime,
        level: str = "info",
        centres: Sequence[str] = (),
        by: str,
    ) -> int:
        """A draft adding an announcement (the override message) to the active release's content."""
        if level not in LEVELS:
            raise Invalid(f"level must be {' or '.join(LEVELS)}, not {level[:20]!r}")
        if any(not texts.get(language, "").strip() for language in LANGUAGES):
            raise Invalid(f"an announcement needs its text in {', '.join(LANGUAGES)}")
        if any(len(texts[language]) > MAX_ANNOUNCEMENT_TEXT for language in LANGUAGES):
            raise Invalid(f"an announcement's text may have at most {MAX_ANNOUNCEMENT_TEXT} characters")
        if len(centres) > MAX_CENTRES or any(not 0 < len(c) <= 128 for c in centres):
            raise Invalid(f"at most {MAX_CENTRES} centres, each named in 1 to 128 characters")
        starts, ends = parse_time(starts, "starts"), parse_time(ends, "ends")
        if ends <= starts:
            raise Invalid("an announcement must end after it starts")
        base = self.publishing.active_manifest(channel)
        if base is None:
            raise Conflict(f"channel {channel!r} has no release to add an announcement to")
        params = AnnouncementDraft(
            level=level,
            starts=starts,
            ends=ends,
            texts={language: texts[language].strip() for language in LANGUAGES},
            centres=tuple(centres),
        )
        content = json.loads(json.dumps(base.content))
        item: dict[str, Any] = {
            "id": f"console-{int(self.clock().timestamp())}",
            "level": level,
            "starts": starts.isoformat(),
            "ends": ends.isoformat(),
            "text": dict(params.texts),
        }
        if centres:
            item["centres"] = list(centres)
        content.setdefault("announcements", []).append(item)
        return self._propose(
            channel,
            params,
            lambda new_number, now: encode_manifest(
                release=new_number,
                created=now,
                expires=base.expires if base.expires > ends else ends + timedelta(days=30),
                content=content,
                blobs=base.blobs,
            ),
            by=by,
        )

    def propose_end(self, channel: str, announcement: str, *, by: str) -> int:
        """A draft of the active content with one announcement ended now (removed, if it had not started),
        so an announcement can be taken off the screens before its planned end."""
        base = self.publishing.active_manifest(channel)
        if base is None:
            raise Conflict(f"channel {channel!r} has no release, so no announcement to end")
        now = self.clock().astimezone(UTC).replace(microsecond=0)
        found = next((a for a in content_of(base, None).announcements if a.id == announcement), None)
        if found is None:
            raise NotFound(f"the active release of {channel!r} has no announcement {announcement[:70]!r}")
        if found.ends <= now:
            raise Conflict(f"announcement {announcement[:70]!r} has already ended")
        content = json.loads(json.dumps(base.content))
        items = content.get("announcements") or []
        if found.starts >= now:
            content["announcements"] = [i for i in items if i.get("id") != announcement]
        else:
            for item in items:
                if item.get("id") == announcement:
                    item["ends"] = now.isoformat()
        valid = base.expires if base.expires > now + timedelta(days=1) else now + timedelta(days=30)
        return self._propose(
            channel,
            EndAnnouncement(announcement, now, {lang: found.text.get(lang)[:80] for lang in LANGUAGES}),
            lambda new_number, created: encode_manifest(
                release=new_number, created=created, expires=valid, content=content, blobs=base.blobs
            ),
            by=by,
        )

    def propose_settings(
        self, channel: str, entries: Sequence[Mapping[str, Any]], *, target: str, by: str
    ) -> int:
        """A draft republishing the active release's content with ``entries`` as its ``[[settings]]``.

        The kiosk's own parser checks them when the draft is made (forbidden keys, bad values), and the
        kiosk checks them again after the admin's key has signed them.
        """
        if len(entries) > MAX_SETTINGS_ENTRIES:
            raise Invalid(f"at most {MAX_SETTINGS_ENTRIES} settings entries")
        base = self.publishing.active_manifest(channel)
        if base is None:
            raise Conflict(f"channel {channel!r} has no release to add settings to")
        content = json.loads(json.dumps(base.content))
        settings = json.loads(json.dumps(list(entries)))
        if settings:
            content["settings"] = settings
        else:
            content.pop("settings", None)
        return self._propose(
            channel,
            SettingsDraft(target[:200], tuple(settings)),
            lambda new_number, now: encode_manifest(
                release=new_number,
                created=now,
                expires=max(base.expires, now + timedelta(days=90)),
                content=content,
                blobs=base.blobs,
            ),
            by=by,
        )

    def propose_content(
        self,
        channel: str,
        content: Mapping[str, Any],
        blobs: Mapping[str, BlobInfo],
        *,
        note: str,
        base_release: int,
        replaces: int | None = None,
        by: str,
    ) -> int:
        """A draft of a whole content document (the console's working copy) with the editor's note;
        ``replaces`` names a pending draft it supersedes (an edited draft proposed again)."""
        note = " ".join(note.split())
        if not 0 < len(note) <= MAX_NOTE_CHARS:
            raise Invalid(f"a content draft needs a note of 1 to {MAX_NOTE_CHARS} characters")
        base = self.publishing.active_manifest(channel)
        document = json.loads(json.dumps(dict(content)))
        return self._propose(
            channel,
            ContentDraft(note, base_release, replaces),
            lambda new_number, now: encode_manifest(
                release=new_number,
                created=now,
                expires=max(base.expires, now + timedelta(days=90)) if base else now + timedelta(days=90),
                content=document,
                blobs=blobs,
            ),
            by=by,
            replaces=replaces,
        )

    def discard(self, channel: str, draft_id: int, *, by: str) -> None:
        """Set a pending draft aside: it stays in the record as "discarded" and can no longer be signed."""
        with self.database.session() as session:
            draft = self._pending(session, channel, draft_id)
            draft.status = "discarded"
        log.info("Channel %s: draft %d discarded by %s", channel, draft_id, by)

    def pending_draft(self, channel: str, draft_id: int) -> dict[str, Any]:
        """One pending draft, as :meth:`drafts` lists it (NotFound / Conflict otherwise)."""
        with self.database.session() as session:
            self._pending(session, channel, draft_id)
        [found] = [d for d in self.drafts(channel) if d["id"] == draft_id]
        return found

    def _pending(self, session: Session, channel: str, draft_id: int) -> Draft:
        row = channel_row(session, channel)
        draft = session.get(Draft, draft_id) if 0 < draft_id <= MAX_RELEASE else None
        if draft is None or draft.channel_id != row.id:
            raise NotFound(f"channel {channel!r} has no draft {draft_id}")
        if draft.status != "pending":
            raise Conflict(f"draft {draft_id} is {draft.status}, not pending")
        return draft

    def _propose(
        self,
        channel: str,
        params: DraftParams,
        build: Callable[[int, datetime], bytes],
        *,
        by: str,
        replaces: int | None = None,
    ) -> int:
        now = self.clock().astimezone(UTC).replace(microsecond=0)
        with self.database.session() as session:
            row = channel_row(session, channel)
            if replaces is not None:
                replaced = session.get(Draft, replaces)
                if replaced is not None and replaced.channel_id == row.id and replaced.status == "pending":
                    replaced.status = "superseded"
                    session.flush()
            pending = session.scalars(
                select(Draft.number).where(Draft.channel_id == row.id, Draft.status == "pending")
            ).all()
            number = max([row.release, *pending]) + 1
            if number > MAX_RELEASE:
                raise Conflict(f"channel {channel!r} has used every release number")
            data = build(number, now)
            try:
                parse_manifest(data)
            except ContentError as exc:
                raise Rejected(str(exc).splitlines()[0]) from exc
            draft = Draft(
                channel_id=row.id,
                kind=KINDS[type(params)],
                description=params.describe()[:512],
                params=params_to_json(params),
                number=number,
                manifest=data,
                created=now,
                created_by=by,
            )
            session.add(draft)
            session.flush()
            return draft.id

    def drafts(self, channel: str, *, pending_only: bool = True) -> list[dict[str, Any]]:
        """The channel's drafts, oldest first: ``params`` as JSON values, ``manifest`` as base64, and for a
        superseded draft ``superseded_by`` (release, by, note) when it was kept."""
        with self.database.session() as session:
            row = channel_row(session, channel)
            query = select(Draft).where(Draft.channel_id == row.id)
            if pending_only:
                query = query.where(Draft.status == "pending")
            found = [(d, _params(d.params)) for d in session.scalars(query.order_by(Draft.id))]
            return [
                {
                    "id": d.id,
                    "kind": d.kind,
                    "description": d.description,
                    "params": {k: v for k, v in params.items() if k != SUPERSEDED_KEY},
                    "superseded_by": params.get(SUPERSEDED_KEY),
                    "release": d.number,
                    "status": d.status,
                    "created": d.created.isoformat(),
                    "created_by": d.created_by,
                    "manifest": base64.b64encode(d.manifest).decode("ascii"),
                }
                for d, params in found
            ]

    def approve(self, channel: str, draft_id: int, signature: bytes, *, by: str) -> int:
        """Publish a draft with the signature the admin tool made over its exact bytes."""
        with self.database.session() as session:
            row = channel_row(session, channel)
            draft = session.get(Draft, draft_id) if 0 < draft_id <= MAX_RELEASE else None
            if draft is None or draft.channel_id != row.id:
                raise NotFound(f"channel {channel!r} has no draft {draft_id}")
            if draft.status != "pending":
                raise Conflict(f"draft {draft_id} is {draft.status}, not pending")
            data, kind, description = draft.manifest, draft.kind, draft.description
            proposer = draft.created_by
        note = f"{kind}: {description}"[: 256 - 16 - len(proposer)] + f" (proposed by {proposer})"
        number = self.publishing.publish(channel, data, signature, by=by, note=note, draft=draft_id)
        with self.database.session() as session:
            stored = session.get(Draft, draft_id)
            if stored is not None:
                stored.status = "published"
        return number

    def manifest_of(self, channel: str, draft_id: int) -> bytes:
        """A draft's exact manifest bytes, whatever its status: what the console's preview draws."""
        with self.database.session() as session:
            row = channel_row(session, channel)
            draft = session.get(Draft, draft_id) if 0 < draft_id <= MAX_RELEASE else None
            if draft is None or draft.channel_id != row.id:
                raise NotFound(f"channel {channel!r} has no draft {draft_id}")
            return bytes(draft.manifest)


def _params(text: str | None) -> dict[str, Any]:
    doc = json.loads(text or "{}")
    return doc if isinstance(doc, dict) else {}
