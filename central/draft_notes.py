"""A release that was a draft, described in the reader's language from the draft's typed parameters.

The stored note (``announcement: … (proposed by …)``) is English on purpose: the API and ``kioskctl``
read it. The console instead finds the published draft that became each release (same channel, status
"published", its number the release's number) and renders what it was, so an Azerbaijani reader reads
Azerbaijani. Nothing is stored twice and the schema does not change.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from central.db import Database
from central.drafts import (
    AnnouncementDraft,
    ContentDraft,
    DraftParams,
    EndAnnouncement,
    Rollback,
    SettingsDraft,
    params_of,
)
from central.models import Draft
from central.publishing import channel_row
from kiosk.wire import MAX_RELEASE

log = logging.getLogger(__name__)

MAX_TEXT = 80
"""An announcement's text is cut here: the note cell is one line of a table."""

AZ: dict[str, str] = {
    "rollback": "{n} nömrəli buraxılışın məzmununa geri qaytarma",
    "announcement": "Elan ({level}) {when}-dək: {text}",
    "end_announcement": "Elan erkən bitirildi ({when}): {text}",
    "settings": "{target} üçün ayarlar (buraxılışda cəmi {n} ayar qeydi)",
    "content": "{note}",
    "proposed": "{note} (təklif edən: {who})",
    "level_info": "məlumat",
    "level_warning": "xəbərdarlıq",
    "level_emergency": "təcili bildiriş",
}

EN: dict[str, str] = {
    "rollback": "Rollback to the content of release {n}",
    "announcement": "Announcement ({level}) until {when}: {text}",
    "end_announcement": "Announcement ended early ({when}): {text}",
    "settings": "Settings for {target} ({n} settings entries in the release)",
    "content": "{note}",
    "proposed": "{note} (proposed by {who})",
    "level_info": "information",
    "level_warning": "warning",
    "level_emergency": "emergency",
}

NOTE_TEXTS: dict[str, dict[str, str]] = {"az": AZ, "en": EN}


@dataclass(frozen=True)
class PublishedDraft:
    """What a release was proposed as: the draft's kind, its parameters (None if unreadable), who."""

    kind: str
    params: DraftParams | None
    proposer: str


def published_drafts(database: Database, channel: str, numbers: Iterable[int]) -> dict[int, PublishedDraft]:
    """The published drafts of ``channel`` that became the releases ``numbers``, by release number."""
    wanted = sorted({n for n in numbers if 0 < n <= MAX_RELEASE})
    if not wanted:
        return {}
    with database.session() as session:
        row = channel_row(session, channel)
        rows = session.scalars(
            select(Draft).where(
                Draft.channel_id == row.id, Draft.status == "published", Draft.number.in_(wanted)
            )
        )
        return {
            d.number: PublishedDraft(d.kind, params_of(d.kind, _json(d.params)), d.created_by) for d in rows
        }


def draft_note(draft: PublishedDraft, lang: str, when: Callable[[datetime], str]) -> str | None:
    """The release note in ``lang``; None when the draft's parameters cannot be read (the stored note
    is shown then)."""
    t = NOTE_TEXTS[lang]
    params = draft.params
    if isinstance(params, Rollback):
        note = t["rollback"].format(n=params.release)
    elif isinstance(params, AnnouncementDraft):
        level = t.get(f"level_{params.level}", params.level)
        text = _short(params.texts.get(lang) or params.texts["az"])
        note = t["announcement"].format(level=level, when=when(params.ends), text=text)
    elif isinstance(params, EndAnnouncement):
        text = _short(params.texts.get(lang) or params.texts.get("az") or params.announcement)
        note = t["end_announcement"].format(when=when(params.at), text=text)
    elif isinstance(params, SettingsDraft):
        note = t["settings"].format(target=params.target, n=len(params.entries))
    elif isinstance(params, ContentDraft):
        note = t["content"].format(note=params.note)
    else:
        return None
    return t["proposed"].format(note=note, who=draft.proposer)


def add_draft_notes(
    database: Database,
    channel: str,
    releases: list[dict[str, Any]],
    lang: str,
    when: Callable[[datetime], str],
) -> None:
    """Set ``note_shown`` on each release row of the channel page that a draft became."""
    drafts = published_drafts(database, channel, (int(r["release"]) for r in releases))
    for row in releases:
        draft = drafts.get(int(row["release"]))
        shown = None if draft is None else draft_note(draft, lang, when)
        if shown is not None:
            row["note_shown"] = shown


def _json(text: str | None) -> Any:
    try:
        return json.loads(text or "{}")
    except ValueError:
        log.warning("A published draft's parameters are not JSON")
        return {}


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
