"""What changes between two signed releases, computed from the manifests a kiosk would parse.

The signer must see what the key approves, not what a server says about it: ``kioskctl approve`` (and
later the console) shows this difference, built only from manifest bytes and the kiosk's own content
model, with every text in every language and every URL in full. No Qt here.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime
from typing import Any, Literal

from kiosk.config import LANGUAGES
from kiosk.content.manifest import BLOB_REF_PREFIX, Manifest, content_of
from kiosk.content.model import Announcement, Content, LocalizedText, Schedule, Service, Video
from kiosk.content.overrides import SettingsEntry

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    """One field of one item: its value before and after (None where the item did not exist)."""

    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ItemChange:
    """An item (``service``, ``video``, ``announcement``, a ``settings`` entry, or the ``release``,
    ``channel``, ``attract`` tables) that was added, removed or changed; added and removed items list
    every field."""

    kind: ChangeKind
    table: str
    item_id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ReleaseDiff:
    """The whole difference; ``before_release`` is None when the channel has no release yet."""

    before_release: int | None
    after_release: int
    after_created: datetime
    after_expires: datetime
    changes: tuple[ItemChange, ...]

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def diff_releases(before: Manifest | None, after: Manifest) -> ReleaseDiff:
    """Every difference between the active release ``before`` and the proposed ``after``.

    Both are read through :func:`content_of` (every centre's items), the parser a kiosk uses, so an item
    a kiosk would refuse never reaches this point.
    """
    old = _Release(before) if before is not None else None
    new = _Release(after)
    changes: list[ItemChange] = []
    changes += _compare("release", "", old.meta() if old else None, new.meta())
    changes += _compare("channel", "", old.channel() if old else None, new.channel())
    for table, items in (("service", _services), ("video", _videos), ("announcement", _announcements)):
        old_items = dict(items(old)) if old else {}
        new_items = dict(items(new))
        for item_id, fields in new_items.items():
            changes += _compare(table, item_id, old_items.get(item_id), fields)
        for item_id, fields in old_items.items():
            if item_id not in new_items:
                changes += _compare(table, item_id, fields, None)
    if old is not None:
        old_order = [s.id for s in old.content.services if s.id in {n.id for n in new.content.services}]
        new_order = [s.id for s in new.content.services if s.id in {o.id for o in old.content.services}]
        if old_order != new_order:
            changes.append(
                ItemChange(
                    "changed",
                    "services",
                    "order",
                    (FieldChange("order", ", ".join(old_order), ", ".join(new_order)),),
                )
            )
    changes += _compare("attract", "", old.attract() if old else None, new.attract())
    old_settings = dict(_settings(old)) if old else {}
    new_settings = dict(_settings(new))
    for item_id, fields in new_settings.items():
        changes += _compare("settings", item_id, old_settings.get(item_id), fields)
    for item_id, fields in old_settings.items():
        if item_id not in new_settings:
            changes += _compare("settings", item_id, fields, None)
    return ReleaseDiff(
        before.release if before else None, after.release, after.created, after.expires, tuple(changes)
    )


class _Release:
    """One manifest seen through the kiosk's parser, with its blobs for describing media."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.content: Content = content_of(manifest, None)

    def meta(self) -> dict[str, str]:
        m = self.manifest
        return {
            "release": str(m.release),
            "created": m.created.isoformat(),
            "expires": m.expires.isoformat(),
            "manifest sha256": m.digest,
        }

    def channel(self) -> dict[str, str]:
        return dict(_texts("name", self.content.channel_name))

    def attract(self) -> dict[str, str]:
        plan = self.content.attract
        fields = {"sequence": ", ".join(plan.sequence)}
        fields.update({f"{step} seconds": str(s) for step, s in sorted(plan.seconds.items())})
        return fields

    def media(self, ref: str | None) -> str | None:
        """A media reference as the signer must see it: hash, size and type the manifest promises."""
        if not ref:
            return None
        sha = ref[len(BLOB_REF_PREFIX) :] if ref.startswith(BLOB_REF_PREFIX) else ref
        info = self.manifest.blobs.get(sha)
        if info is None:
            return f"{ref} (not listed in the manifest's blobs)"
        return f"{info.media_type}, {info.size} bytes, sha256 {sha}"


def _services(release: _Release) -> Iterator[tuple[str, dict[str, str]]]:
    for service in release.content.services:
        yield service.id, _service_fields(release, service)


def _service_fields(release: _Release, s: Service) -> dict[str, str]:
    fields = {"category": s.category, "featured": "yes" if s.featured else "no", "url": s.url}
    for name, text in (("title", s.title), ("summary", s.summary), ("body", s.body)):
        fields.update(_texts(name, text))
    _put(fields, "icon", release.media(s.icon))
    _put(fields, "image", release.media(s.image))
    fields["centres"] = _centres(s.centres)
    fields["schedule"] = _schedule(s.schedule)
    return fields


def _videos(release: _Release) -> Iterator[tuple[str, dict[str, str]]]:
    for video in release.content.videos:
        yield video.id, _video_fields(release, video)


def _video_fields(release: _Release, v: Video) -> dict[str, str]:
    fields = {"file": release.media(v.file) or ""}
    fields.update(_texts("title", v.title))
    _put(fields, "poster", release.media(v.poster))
    for language in LANGUAGES:
        _put(fields, f"subtitles.{language}", release.media(v.subtitles.get(language)))
    fields["centres"] = _centres(v.centres)
    fields["schedule"] = _schedule(v.schedule)
    return fields


def _announcements(release: _Release) -> Iterator[tuple[str, dict[str, str]]]:
    for announcement in release.content.announcements:
        yield announcement.id, _announcement_fields(announcement)


def _announcement_fields(a: Announcement) -> dict[str, str]:
    fields = {"level": a.level}
    fields.update(_texts("text", a.text))
    fields.update(
        {"starts": a.starts.isoformat(), "ends": a.ends.isoformat(), "centres": _centres(a.centres)}
    )
    return fields


def _settings(release: _Release) -> Iterator[tuple[str, dict[str, str]]]:
    """Each ``[[settings]]`` entry named by the kiosks it is for (``for centres baku-1``), values in full."""
    seen: dict[str, int] = {}
    for entry in release.content.settings:
        target = _targets(entry)
        seen[target] = seen.get(target, 0) + 1
        item_id = target if seen[target] == 1 else f"{target} (#{seen[target]})"
        yield item_id, {name: _setting_value(value) for name, value in _setting_items(entry)}


def _targets(entry: SettingsEntry) -> str:
    parts = []
    if entry.centres:
        parts.append("centres " + ", ".join(entry.centres))
    if entry.kiosks:
        parts.append("kiosks " + ", ".join(entry.kiosks))
    return "for " + "; ".join(parts) if parts else "for every kiosk"


def _setting_items(entry: SettingsEntry) -> Iterator[tuple[str, Any]]:
    for table, values in entry.values.items():
        for key, value in values.items():
            yield f"{table}.{key}", value


def _setting_value(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_setting_value(item) for item in value) + "]"
    if is_dataclass(value) and not isinstance(value, type):
        return "{" + ", ".join(f"{k} = {_setting_value(v)}" for k, v in asdict(value).items()) + "}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _texts(name: str, text: LocalizedText) -> Iterator[tuple[str, str]]:
    for language in LANGUAGES:
        yield f"{name}.{language}", text.values.get(language, "")


def _put(fields: dict[str, str], name: str, value: str | None) -> None:
    if value is not None:
        fields[name] = value


def _centres(centres: tuple[str, ...]) -> str:
    return ", ".join(centres) if centres else "every centre"


def _schedule(schedule: Schedule) -> str:
    parts = []
    if schedule.date_from:
        parts.append(f"from {schedule.date_from.isoformat()}")
    if schedule.date_until:
        parts.append(f"until {schedule.date_until.isoformat()}")
    if schedule.weekdays:
        parts.append("weekdays " + ",".join(str(d) for d in schedule.weekdays))
    if schedule.hours:
        start, end = schedule.hours
        parts.append(f"hours {start:%H:%M}-{end:%H:%M}")
    return " ".join(parts) if parts else "always"


def _compare(
    table: str, item_id: str, before: dict[str, str] | None, after: dict[str, str] | None
) -> list[ItemChange]:
    if before is None and after is None:
        return []
    if before is None:
        assert after is not None
        return [ItemChange("added", table, item_id, tuple(FieldChange(k, None, v) for k, v in after.items()))]
    if after is None:
        return [
            ItemChange("removed", table, item_id, tuple(FieldChange(k, v, None) for k, v in before.items()))
        ]
    names = list(after) + [name for name in before if name not in after]
    fields = tuple(
        FieldChange(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    )
    return [ItemChange("changed", table, item_id, fields)] if fields else []


# --- text -------------------------------------------------------------------------------------------
_MARKS = {"added": "+", "removed": "-", "changed": "~"}


def shown(value: str) -> str:
    """``value`` safe for a terminal: control and format characters (escape sequences, carriage returns,
    right-to-left overrides, zero-width characters) are written as ``\\u....`` so nothing hides text."""
    out = []
    for char in value:
        if char == "\n":
            out.append("\\n")
        elif char == "\\":
            out.append("\\\\")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def render_text(diff: ReleaseDiff, *, before_is_active: bool = True) -> str:
    """The difference as the signer reads it in a terminal, every value in full.

    ``before_is_active``: the release compared with is the one the channel shows now (approve, a
    draft); False for a release's history, compared with the release published before it.
    """
    if diff.before_release is None and before_is_active:
        before = "nothing (the channel has no release yet)"
    elif diff.before_release is None:
        before = "nothing (a first release)"
    elif before_is_active:
        before = f"what the channel shows now (release {diff.before_release})"
    else:
        before = f"the release published before it (release {diff.before_release})"
    lines = [
        f"Release {diff.after_release}: made {diff.after_created.isoformat()}, kiosks refuse it after "
        f"{diff.after_expires.isoformat()}",
        f"Difference from {before} to release {diff.after_release}:",
        f"  {diff.count('added')} added, {diff.count('removed')} removed, {diff.count('changed')} changed",
    ]
    for change in diff.changes:
        label = f"{change.table} {shown(change.item_id)}".strip()
        lines.append(f"{_MARKS[change.kind]} {label} ({change.kind})")
        for field in change.fields:
            if change.kind == "added":
                lines.append(f"    {field.name}: {shown(field.after or '')}")
            elif change.kind == "removed":
                lines.append(f"    {field.name}: {shown(field.before or '')}")
            else:
                lines.append(f"    {field.name}")
                lines.append(f"      was: {'(none)' if field.before is None else shown(field.before)}")
                lines.append(f"      now: {'(none)' if field.after is None else shown(field.after)}")
    if len(lines) == 3:
        lines.append("  (the content is the same)")
    return "\n".join(lines)
