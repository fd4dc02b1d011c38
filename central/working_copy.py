"""The channel's working copy: the content the console edits, kept only when a kiosk would accept it.

Each edit reads the copy, changes one thing and is saved only if the whole document, built into a
manifest, passes the kiosk's own parser (:func:`kiosk.content.manifest.parse_manifest`: schema,
languages, URLs, media sizes) and every media reference is a blob of the right kind the channel holds.
So whatever the console later proposes as a draft is something a kiosk takes. No FastAPI, no Qt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from central.content_forms import EditRefused, Problem
from central.db import Database
from central.draft_builds import Unbuildable
from central.drafts import MAX_NOTE_CHARS, ContentDraft, Drafts, params_of
from central.errors import Conflict, Invalid, NotFound
from central.media_choices import media_kind
from central.models import Draft, WorkingCopy
from central.publishing import Publishing, channel_row
from kiosk.content.manifest import BlobInfo, Manifest, encode_manifest, parse_manifest
from kiosk.content.model import FORMAT_VERSION
from kiosk.content.source import media_fields
from kiosk.errors import ContentError
from kiosk.wire import LANGUAGES

log = logging.getLogger(__name__)

TABLES = ("services", "videos", "announcements")
_PARSER_LINE = re.compile(r"^(services|videos|announcements)\[(\d+)\](?:\.(\S+?))?: (.*)$")
_WHERE = "working copy"


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
    revision: str
    """Names this state of the copy: a form carries the one it was rendered from, and an edit built on
    another is refused (:class:`Stale`) instead of overwriting what someone else saved meanwhile."""

    def items(self, table: str) -> list[dict[str, Any]]:
        found = self.document.get(table)
        return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []

    def item(self, table: str, item_id: str) -> dict[str, Any]:
        for item in self.items(table):
            if item.get("id") == item_id:
                return item
        raise NotFound(f"the working copy of {self.channel!r} has no {table[:-1]} {item_id[:70]!r}")


class Stale(Conflict):
    """The working copy changed since the page the edit came from was rendered: nothing was saved."""

    def __init__(self, copy: Copy) -> None:
        self.copy = copy
        who = copy.updated_by or "someone"
        when = copy.updated.isoformat(timespec="seconds") if copy.updated else "?"
        super().__init__(f"the working copy of {copy.channel!r} was changed by {who} at {when} meanwhile")


def skeleton(channel: str) -> dict[str, Any]:
    """The smallest valid content, for a channel with no release yet."""
    return {
        "format": FORMAT_VERSION,
        "channel": {"name": {language: channel for language in LANGUAGES}},
        "services": [],
        "videos": [],
    }


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
    # ``since``: the revision the edit was built on (None: whatever the copy is now); Stale if it moved.
    def put_item(
        self,
        channel: str,
        table: str,
        old_id: str | None,
        item: Mapping[str, Any],
        *,
        by: str,
        since: str | None = None,
    ) -> Copy:
        """Replace item ``old_id`` of ``table`` by ``item``, or append it (``None``)."""
        _check_table(table)

        def change(doc: dict[str, Any]) -> int:
            items = _items(doc, table)
            if old_id is None:
                items.append(dict(item))
                return len(items) - 1
            index = _index(items, old_id, channel, table)
            items[index] = dict(item)
            return index

        return self._edit(channel, change, table, by=by, since=since)

    def delete_item(
        self, channel: str, table: str, item_id: str, *, by: str, since: str | None = None
    ) -> Copy:
        _check_table(table)

        def change(doc: dict[str, Any]) -> None:
            items = _items(doc, table)
            del items[_index(items, item_id, channel, table)]
            if table == "announcements" and not items:
                del doc[table]  # as a release without announcements has it

        return self._edit(channel, change, table, by=by, since=since)

    def move_item(
        self, channel: str, table: str, item_id: str, step: int, *, by: str, since: str | None = None
    ) -> Copy:
        """Move an item one place up (``step`` -1) or down (+1); at either end it stays."""
        _check_table(table)

        def change(doc: dict[str, Any]) -> None:
            items = _items(doc, table)
            index = _index(items, item_id, channel, table)
            other = index + (1 if step > 0 else -1)
            if 0 <= other < len(items):
                items[index], items[other] = items[other], items[index]

        return self._edit(channel, change, table, by=by, since=since)

    def set_general(
        self,
        channel: str,
        name: Mapping[str, str],
        attract: Mapping[str, Any],
        *,
        by: str,
        since: str | None = None,
    ) -> Copy:
        def change(doc: dict[str, Any]) -> None:
            doc["channel"] = {"name": dict(name)}
            doc["attract"] = dict(attract)

        return self._edit(channel, change, None, by=by, since=since)

    def reset(self, channel: str, *, by: str, since: str | None = None) -> Copy:
        """Start again from the active release's content (edits not proposed are dropped)."""
        active = self.publishing.active_manifest(channel)
        with self.database.session() as session:
            row = self._row(session, channel, active, lock=True)
            self._same(channel, row, active, since)
            row.document = _dump(dict(active.content) if active else skeleton(channel))
            row.base_release, row.draft_id = (active.release if active else 0), None
            row.updated, row.updated_by = self.clock(), by[:128]
            return self._copy(channel, row, active)

    def open_draft(self, channel: str, draft_id: int, *, by: str, since: str | None = None) -> Copy:
        """Put a pending content draft back into the working copy; proposing again supersedes it.

        It replaces the whole copy, so a colleague's edits saved after ``since`` (the revision the draft
        page was drawn with) must stop it: Stale, and the copy stays as it is."""
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
            row = self._row(session, channel, active, lock=True)
            self._same(channel, row, active, since)
            row.document, row.base_release, row.draft_id = _dump(dict(content)), params.base_release, draft_id
            row.updated, row.updated_by = self.clock(), by[:128]
            return self._copy(channel, row, active)

    def propose(self, channel: str, note: str, *, by: str, since: str | None = None) -> int:
        """The working copy as a content draft with ``note``; it supersedes the draft it was opened from."""
        if not note.strip():
            raise EditRefused([Problem("note", "note_missing")])
        if len(" ".join(note.split())) > MAX_NOTE_CHARS:
            raise EditRefused([Problem("note", "note_too_long", str(MAX_NOTE_CHARS))])
        copy = self.current(channel)
        if since is not None and since != copy.revision:
            raise Stale(copy)
        if not copy.changed:
            raise EditRefused([Problem("", "nothing_changed")])
        blobs = self.media(channel)
        self._check(copy.document, blobs, None, None)
        refs = {table[name] for _key, table, name in media_fields(copy.document)}
        try:
            draft = self.drafts.propose_content(
                channel,
                copy.document,
                {sha: blobs[sha] for sha in refs},
                note=note,
                base_release=copy.base_release,
                replaces=copy.draft_id,
                by=by,
            )
        except Unbuildable as exc:  # edited from an older release, and both changed the same part
            raise EditRefused([Problem("", f"propose_{exc.code}", exc.detail)]) from exc
        with self.database.session() as session:
            row = session.get(WorkingCopy, channel_row(session, channel).id)
            if row is not None:
                row.draft_id = draft
                proposed = session.get(Draft, draft)
                params = None if proposed is None else params_of("content", json.loads(proposed.params))
                if (
                    proposed is not None
                    and isinstance(params, ContentDraft)
                    and params.base_release != row.base_release
                ):
                    # carried onto a newer release: the copy is now that merged content, on that release
                    row.document = _dump(dict(parse_manifest(proposed.manifest).content))
                    row.base_release = params.base_release
        log.info("Channel %s: working copy proposed as draft %d by %s", channel, draft, by)
        return draft

    # --- inside ----------------------------------------------------------------------------------
    def _edit(
        self,
        channel: str,
        change: Callable[[dict[str, Any]], int | None],
        table: str | None,
        *,
        by: str,
        since: str | None,
    ) -> Copy:
        """Read, change, check, then write only if the copy is still the one read (a compare-and-set in
        its own transaction, so two saves racing cannot both win, on SQLite or PostgreSQL)."""
        active = self.publishing.active_manifest(channel)
        blobs = self.media(channel)
        with self.database.session() as session:
            row = self._row(session, channel, active)
            self._same(channel, row, active, since)
            channel_id, old = row.channel_id, row.document
            base, draft = row.base_release, row.draft_id
        doc = json.loads(old)
        index = change(doc)
        self._check(doc, blobs, table, index)
        with self.database.session() as session:
            written = session.execute(
                update(WorkingCopy)
                .where(
                    WorkingCopy.channel_id == channel_id,
                    WorkingCopy.document == old,
                    WorkingCopy.base_release == base,
                    WorkingCopy.draft_id.is_(None) if draft is None else WorkingCopy.draft_id == draft,
                )
                .values(document=_dump(doc), updated=self.clock(), updated_by=by[:128])
                .execution_options(synchronize_session=False)
            )
            row = self._row(session, channel, active)
            if getattr(written, "rowcount", 1) != 1:
                raise Stale(self._copy(channel, row, active))
            return self._copy(channel, row, active)

    def _same(self, channel: str, row: WorkingCopy, active: Manifest | None, since: str | None) -> None:
        if since is not None and since != _revision(row):
            raise Stale(self._copy(channel, row, active))

    def _check(
        self, doc: dict[str, Any], blobs: Mapping[str, BlobInfo], table: str | None, index: int | None
    ) -> None:
        """Every problem the kiosk would find, each placed at the edited item's field where it is one."""
        problems: list[Problem] = []

        def place(key: str) -> str:
            found = re.match(r"^(services|videos|announcements)\[(\d+)\]\.(.+)$", key)
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
            revision=_revision(row),
        )


def _revision(row: WorkingCopy) -> str:
    """The copy's state as a short digest: what it holds, where it came from, the draft it reopened."""
    state = f"{row.base_release}\n{row.draft_id}\n{row.document}".encode()
    return hashlib.sha256(state).hexdigest()[:20]


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
