"""What a draft is, as typed parameters kept beside its bytes (JSON in ``drafts.params``).

Every reader renders a draft from these in its own language, and a draft is rebuilt from them on a newer
release, so nothing ever re-parses a sentence or guesses a change from bytes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from kiosk.wire import LANGUAGES, parse_time

log = logging.getLogger(__name__)


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
    id: str = ""
    """The announcement's id in the content ("" in drafts kept before it was stored)."""

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
    """The console's working copy of the content, proposed whole with the editor's note; ``base_release``
    is the release its content was edited from (what a rebuild merges against)."""

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


def params_to_json(params: DraftParams, keep: Mapping[str, Any] | None = None) -> str:
    """The parameters as stored; ``keep`` adds the bookkeeping kept beside them (rebuilds, supersession)."""
    doc = asdict(params)
    if isinstance(params, AnnouncementDraft):
        doc.update(starts=params.starts.isoformat(), ends=params.ends.isoformat())
        doc["centres"] = list(params.centres)
    if isinstance(params, EndAnnouncement):
        doc.update(at=params.at.isoformat(), texts=dict(params.texts))
    if isinstance(params, SettingsDraft):
        doc["entries"] = [dict(entry) for entry in params.entries]
    doc.update(keep or {})
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
                id=str(doc.get("id") or "")[:128],
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


def stored_params(text: str | None) -> dict[str, Any]:
    """A draft's ``params`` column as a JSON object (``{}`` for anything else)."""
    try:
        doc = json.loads(text or "{}")
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}
