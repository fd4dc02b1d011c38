"""Drafts: releases the server proposes (a rollback, an announcement, an announcement ended early, settings,
the console's edited content) that only the admin's key approves.

The rules of this room: a draft stores what it is (its kind and typed parameters) next to the exact
manifest bytes to be signed, so every reader renders it in its own language from the parameters, and
nothing re-parses a sentence. A pending draft always means "the active release plus this change": when
one draft is published, every other pending one is rebuilt on the new release (or superseded, saying
why), so approving drafts in turn never drops what an earlier one changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.db import Database
from central.draft_builds import (
    Built,
    Unbuildable,
    announcement_build,
    content_build,
    content_onto,
    end_build,
    rollback_build,
    settings_build,
)
from central.draft_params import (
    KINDS,
    AnnouncementDraft,
    ContentDraft,
    DraftParams,
    EndAnnouncement,
    Rollback,
    SettingsDraft,
    params_of,
    params_to_json,
    stored_params,
)
from central.draft_rebuild import (
    REBASED_KEY,
    follow_published,
    free_id,
    rebuild_pending,
    rebuild_record,
    release_in,
)
from central.errors import Conflict, Invalid, NotFound, Rejected
from central.models import Channel, Draft
from central.publishing import SUPERSEDED_KEY, Publishing, channel_row
from kiosk.content.manifest import BlobInfo, Manifest, content_of, parse_manifest
from kiosk.wire import LANGUAGES, LEVELS, MAX_RELEASE, parse_time

__all__ = [
    "KINDS",
    "AnnouncementDraft",
    "ContentDraft",
    "DraftParams",
    "Drafts",
    "EndAnnouncement",
    "Rollback",
    "SettingsDraft",
    "StaleDraft",
    "params_of",
    "params_to_json",
]

log = logging.getLogger(__name__)

MAX_ANNOUNCEMENT_TEXT = 500
MAX_CENTRES = 200
MAX_SETTINGS_ENTRIES = 500
MAX_NOTE_CHARS = 200
"""A release keeps ``content: <note>`` in 256 characters."""

Build = Callable[[Manifest | None, datetime], tuple[DraftParams, Built]]


class StaleDraft(Conflict):
    """A signature over bytes the draft had before it was rebuilt on a newer release."""

    def __init__(self, draft_id: int, release: int) -> None:
        super().__init__(
            f"draft {draft_id} was rebuilt on release {release} since it was shown; run approve again"
        )


class Drafts:
    """Proposes drafts on top of :class:`Publishing` and publishes one when its signature arrives."""

    def __init__(self, database: Database, publishing: Publishing, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.publishing = publishing
        self.clock = clock

    def _now(self) -> datetime:
        return self.clock().astimezone(UTC).replace(microsecond=0)

    def propose_rollback(self, channel: str, number: int, *, by: str, valid_days: int = 365) -> int:
        """A draft re-activating release ``number``'s content under a new, higher release number."""
        old = parse_manifest(self.publishing.release_manifest(channel, number))
        valid = timedelta(days=valid_days)
        return self._propose(
            channel, lambda _base, now: (Rollback(number), rollback_build(old, now, valid)), by=by
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
        params = AnnouncementDraft(
            level=level,
            starts=starts,
            ends=ends,
            texts={language: texts[language].strip() for language in LANGUAGES},
            centres=tuple(centres),
        )

        def build(base: Manifest | None, now: datetime) -> tuple[DraftParams, Built]:
            if base is None:
                raise Conflict(f"channel {channel!r} has no release to add an announcement to")
            named = replace(params, id=free_id(base, f"console-{int(now.timestamp())}"))
            return named, announcement_build(base, named)

        return self._propose(channel, build, by=by)

    def propose_end(self, channel: str, announcement: str, *, by: str) -> int:
        """A draft of the active content with one announcement ended now (removed, if it had not started),
        so an announcement can be taken off the screens before its planned end."""
        base = self.publishing.active_manifest(channel)
        if base is None:
            raise Conflict(f"channel {channel!r} has no release, so no announcement to end")
        found = next((a for a in content_of(base, None).announcements if a.id == announcement), None)
        if found is None:
            raise NotFound(f"the active release of {channel!r} has no announcement {announcement[:70]!r}")
        texts = {lang: found.text.get(lang)[:80] for lang in LANGUAGES}

        def build(active: Manifest | None, now: datetime) -> tuple[DraftParams, Built]:
            if active is None:
                raise Conflict(f"channel {channel!r} has no release, so no announcement to end")
            params = EndAnnouncement(announcement, now, texts)
            return params, end_build(active, params, now)

        return self._propose(channel, build, by=by)

    def propose_settings(
        self, channel: str, entries: Sequence[Mapping[str, Any]], *, target: str, by: str
    ) -> int:
        """A draft republishing the active release's content with ``entries`` as its ``[[settings]]``.

        The kiosk's own parser checks them when the draft is made (forbidden keys, bad values), and the
        kiosk checks them again after the admin's key has signed them.
        """
        if len(entries) > MAX_SETTINGS_ENTRIES:
            raise Invalid(f"at most {MAX_SETTINGS_ENTRIES} settings entries")
        params = SettingsDraft(target[:200], tuple(json.loads(json.dumps(list(entries)))))

        def build(base: Manifest | None, now: datetime) -> tuple[DraftParams, Built]:
            if base is None:
                raise Conflict(f"channel {channel!r} has no release to add settings to")
            return params, settings_build(base, params, now)

        return self._propose(channel, build, by=by)

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
        document = json.loads(json.dumps(dict(content)))
        edited_from = self._kept_release(channel, base_release)

        def build(base: Manifest | None, now: datetime) -> tuple[DraftParams, Built]:
            if base is None or base.release == base_release:
                return ContentDraft(note, base_release, replaces), content_build(document, blobs, base, now)
            # edited from an older release: carry the edit onto the active one, never undo what came since
            if edited_from is None:
                raise Unbuildable(
                    "no_base",
                    f"release {base_release}, which the content was edited from, is not kept",
                    str(base_release),
                )
            built = content_onto(edited_from, document, blobs, base, now)
            return ContentDraft(note, base.release, replaces), built

        return self._propose(channel, build, by=by, replaces=replaces)

    def _kept_release(self, channel: str, number: int) -> Manifest | None:
        """Release ``number`` of the channel parsed (releases never change), None for 0 or one not kept."""
        with self.database.session() as session:
            return release_in(session, channel_row(session, channel), number)

    def discard(self, channel: str, draft_id: int, *, by: str) -> None:
        """Set a pending draft aside: it stays in the record as "discarded" and can no longer be signed."""
        with self.database.session() as session:
            draft = self._pending(session, channel_row(session, channel), draft_id)
            draft.status = "discarded"
        log.info("Channel %s: draft %d discarded by %s", channel, draft_id, by)

    def pending_draft(self, channel: str, draft_id: int) -> dict[str, Any]:
        """One pending draft, as :meth:`drafts` lists it (NotFound / Conflict otherwise)."""
        with self.database.session() as session:
            self._pending(session, channel_row(session, channel), draft_id)
        [found] = [d for d in self.drafts(channel) if d["id"] == draft_id]
        return found

    def _pending(self, session: Session, row: Channel, draft_id: int) -> Draft:
        draft = session.get(Draft, draft_id) if 0 < draft_id <= MAX_RELEASE else None
        if draft is None or draft.channel_id != row.id:
            raise NotFound(f"channel {row.name!r} has no draft {draft_id}")
        if draft.status != "pending":
            raise Conflict(f"draft {draft_id} is {draft.status}, not pending")
        return draft

    def _propose(self, channel: str, build: Build, *, by: str, replaces: int | None = None) -> int:
        """Build the draft on the active release read under the channel's lock, so no release published
        meanwhile can leave it built on an older one."""
        now = self._now()
        with self.publishing.lock, self.database.session() as session:
            row = channel_row(session, channel, for_update=True)
            params, built = build(release_in(session, row, row.release), now)
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
            draft = Draft(
                channel_id=row.id,
                kind=KINDS[type(params)],
                description=params.describe()[:512],
                params=params_to_json(params),
                number=number,
                manifest=built.encode(number, now),
                created=now,
                created_by=by,
            )
            session.add(draft)
            session.flush()
            return draft.id

    def drafts(self, channel: str, *, pending_only: bool = True) -> list[dict[str, Any]]:
        """The channel's drafts, oldest first: ``params`` as JSON values, ``manifest`` as base64, for a
        superseded draft ``superseded_by`` (release, by, note and, if a rebuild failed, its reason), and
        for a rebuilt one ``rebased_on`` (release, at)."""
        with self.database.session() as session:
            row = channel_row(session, channel)
            query = select(Draft).where(Draft.channel_id == row.id)
            if pending_only:
                query = query.where(Draft.status == "pending")
            found = [(d, stored_params(d.params)) for d in session.scalars(query.order_by(Draft.id))]
            return [
                {
                    "id": d.id,
                    "kind": d.kind,
                    "description": d.description,
                    "params": {k: v for k, v in params.items() if k not in (SUPERSEDED_KEY, REBASED_KEY)},
                    "superseded_by": params.get(SUPERSEDED_KEY),
                    "rebased_on": _rebased_shown(params.get(REBASED_KEY)),
                    "release": d.number,
                    "status": d.status,
                    "created": d.created.isoformat(),
                    "created_by": d.created_by,
                    "manifest": base64.b64encode(d.manifest).decode("ascii"),
                    "sha256": hashlib.sha256(d.manifest).hexdigest(),
                }
                for d, params in found
            ]

    def approve(
        self, channel: str, draft_id: int, signature: bytes, *, by: str, signed_sha256: str | None = None
    ) -> int:
        """Publish a draft with the signature the admin tool made over its exact bytes, then rebuild every
        other pending draft of the channel on the new release, all in one transaction.

        ``signed_sha256`` (sent by newer ``kioskctl``) names the bytes that were signed, so a signature
        over bytes the draft had before a rebuild is answered "stale" (StaleDraft), not "bad signature".
        """
        now = self._now()
        with self.publishing.releasing() as session:
            row = channel_row(session, channel, for_update=True)
            draft = self._pending(session, row, draft_id)
            data = bytes(draft.manifest)
            self._check_fresh(row, draft, data, signature, signed_sha256)
            proposer = draft.created_by
            note = (
                f"{draft.kind}: {draft.description}"[: 256 - 16 - len(proposer)]
                + f" (proposed by {proposer})"
            )
            parsed = self.publishing.activate(session, row, data, signature, by=by, note=note)
            draft.status = "published"
            follow_published(session, row, draft.id, parsed.release, now, by)
            rebuild_pending(session, row, parsed, by=by, note=note, now=now)
        self.publishing.released(channel, parsed.release, by, note)
        return parsed.release

    def _check_fresh(
        self, row: Channel, draft: Draft, data: bytes, signature: bytes, signed_sha256: str | None
    ) -> None:
        rebased = rebuild_record(stored_params(draft.params))
        earlier = list(rebased.get("earlier") or [])
        if signed_sha256 is not None and signed_sha256 != hashlib.sha256(data).hexdigest():
            if signed_sha256 in earlier:
                raise StaleDraft(draft.id, int(rebased.get("release", row.release)))
            raise Rejected(
                f"draft {draft.id}: the signed bytes (sha256 {signed_sha256[:16]}…) are not this draft's; "
                "run approve again to sign what it is now"
            )
        if signed_sha256 is None and rebased and self.publishing.signature_problem(row, data, signature):
            raise StaleDraft(draft.id, int(rebased.get("release", row.release)))  # an older kioskctl

    def manifest_of(self, channel: str, draft_id: int) -> bytes:
        """A draft's exact manifest bytes, whatever its status: what the console's preview draws."""
        with self.database.session() as session:
            row = channel_row(session, channel)
            draft = session.get(Draft, draft_id) if 0 < draft_id <= MAX_RELEASE else None
            if draft is None or draft.channel_id != row.id:
                raise NotFound(f"channel {channel!r} has no draft {draft_id}")
            return bytes(draft.manifest)


def _rebased_shown(found: Any) -> dict[str, Any] | None:
    if not isinstance(found, dict):
        return None
    return {"release": found.get("release"), "at": found.get("at")}
