"""What a folder publish would take off a central server's channel, said before anything is uploaded.

A folder does not know about an announcement approved in the console, settings made there, or drafts
still waiting for a signature; publishing it used to drop them without a word. The comparison is the
difference ``kioskctl approve`` shows (:mod:`kiosk.content.diff`), from the channel's active release to
the folder. When the folder says which release it was pulled from (:mod:`kiosk.content.base_record`),
only what changed on the channel since then counts: the admin's own edits are not a loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.content.base_record import base_release
from kiosk.content.diff import ItemChange, diff_releases, shown
from kiosk.content.manifest import Manifest, encode_manifest, parse_manifest
from kiosk.content.publish import SourceRelease
from kiosk.content.remote import CentralClient
from kiosk.errors import ContentError

REPLACE_HINT = "run kioskctl pull first, or --replace"


@dataclass(frozen=True)
class Overwrite:
    """What publishing a folder would replace: items of the active release and pending drafts."""

    active: int
    base: int | None
    lost: tuple[ItemChange, ...]
    drafts: tuple[dict[str, Any], ...]

    def __bool__(self) -> bool:
        return bool(self.lost or self.drafts)


def what_publish_overwrites(
    client: CentralClient, source: Path, release: SourceRelease, public_key: Ed25519PublicKey
) -> Overwrite:
    """Compare the checked folder ``release`` with the channel's active release and pending drafts."""
    active = client.active_manifest(public_key)
    drafts = tuple(client.drafts())
    if active is None:
        return Overwrite(0, None, (), drafts)
    folder = _as_manifest(release, active.release + 1)
    base_number = base_release(source, client.channel.files())
    changes = [c for c in diff_releases(active, folder).changes if c.table != "release"]
    if base_number is None:  # no record of where the folder came from: all it lacks or says otherwise
        lost = [c for c in changes if c.kind != "added"]
    elif base_number == active.release:
        lost = []
    else:  # only what the channel changed since the folder's release, and the folder undoes
        base = _release(client, base_number)
        theirs = {(c.table, c.item_id) for c in diff_releases(base, active).changes} if base else None
        lost = [c for c in changes if theirs is None or (c.table, c.item_id) in theirs]
    return Overwrite(active.release, base_number, tuple(lost), drafts)


def _as_manifest(release: SourceRelease, number: int) -> Manifest:
    now = datetime.now(UTC).replace(microsecond=0)
    data = encode_manifest(
        release=number,
        created=now,
        expires=now + timedelta(days=1),
        content=release.content,
        blobs=release.blobs,
    )
    return parse_manifest(data, where="the content folder")


def _release(client: CentralClient, number: int) -> Manifest | None:
    """The release the folder came from; None when the server no longer has it (then all changes count)."""
    try:
        data, _signature = client.release_files(number)
        return parse_manifest(data, where=f"release {number}")
    except ContentError:
        return None


_VERBS = {"removed": "removes", "changed": "changes", "added": "brings back"}


def render_overwrite(found: Overwrite) -> str:
    """The list the admin reads before deciding, every item named."""
    lines: list[str] = []
    if found.lost:
        since = "" if found.base is None else f" (changed on the channel since release {found.base})"
        lines.append(f"Publishing this folder replaces what the active release {found.active} has{since}:")
        for change in found.lost:
            label = f"{change.table} {shown(change.item_id)}".strip()
            lines.append(f"  - {_VERBS[change.kind]} {label}")
            for field in change.fields[:6]:
                before = "(none)" if field.before is None else shown(field.before)[:120]
                lines.append(f"      {field.name}: {before}")
            if len(change.fields) > 6:
                lines.append(f"      … and {len(change.fields) - 6} more fields")
    if found.drafts:
        lines.append(
            "Pending drafts that would be superseded (made from the active release, they cannot be "
            "applied on top of this folder; propose them again after publishing):"
        )
        for draft in found.drafts:
            what = shown(str(draft.get("description", "")))[:120]
            by = shown(str(draft.get("created_by", "")))
            kind = shown(str(draft.get("kind", "")))
            lines.append(f'  - draft {shown(str(draft.get("id")))}: {kind} "{what}" by {by}')
    return "\n".join(lines)
