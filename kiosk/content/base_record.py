"""Which release of a channel a content folder holds: written by ``kioskctl pull`` and by a publish to a
central server, read by the next publish to tell the admin's own edits from work done on the channel since.

A small JSON file in the folder, one entry per channel URL (a folder may go to a test and a live channel).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.atomic_file import write_atomically
from kiosk.content.manifest import Manifest

BASE_FILE = ".kioskctl-base.json"
MAX_BASE_FILE = 64 * 1024


def record_base(folder: Path, channel: str, manifest: Manifest) -> None:
    """Remember in ``folder`` that its content is ``manifest``'s release of ``channel``."""
    record_release(folder, channel, manifest.release, manifest.digest)


def record_release(folder: Path, channel: str, release: int, digest: str) -> None:
    """Remember in ``folder`` that its content starts from ``release`` of ``channel`` (its manifest's
    sha256 ``digest``): the release itself, or the one a console working copy was taken from."""
    bases = read_bases(folder)
    bases[channel] = {"release": release, "manifest_sha256": digest}
    text = json.dumps({"channels": bases}, indent=2, sort_keys=True) + "\n"
    write_atomically(folder / BASE_FILE, text.encode("utf-8"))


def read_bases(folder: Path) -> dict[str, dict[str, Any]]:
    """channel URL -> {release, manifest_sha256}; empty when the folder has no (readable) record."""
    try:
        with (folder / BASE_FILE).open("rb") as handle:
            raw = json.loads(handle.read(MAX_BASE_FILE + 1)[:MAX_BASE_FILE])
    except (OSError, ValueError):
        return {}
    channels = raw.get("channels") if isinstance(raw, dict) else None
    if not isinstance(channels, dict):
        return {}
    return {
        str(url): base
        for url, base in channels.items()
        if isinstance(base, dict)
        and isinstance(base.get("release"), int)
        and not isinstance(base["release"], bool)
    }


def base_release(folder: Path, channel: str) -> int | None:
    """The release of ``channel`` the folder was pulled from or last published as, if it says."""
    base = read_bases(folder).get(channel)
    return None if base is None else int(base["release"])
