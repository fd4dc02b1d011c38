"""A manifest drawn by the kiosk's own renderer: ``kioskctl approve --preview`` and the console's preview.

The kiosk program runs in a child process (``main.py --screenshot DIR --preview-manifest FILE``), so
neither ``kiosk/`` nor the central server ever imports Qt. ``approve --preview`` fetches the blobs from
the channel and checks them against the manifest first, so the PNGs show exactly the bytes the key
would approve; the server (``central.preview``) points the child at the channel's own blobs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import LANGUAGES
from kiosk.content.library import ContentLibrary
from kiosk.content.manifest import MAX_MANIFEST_BYTES, TARGETED_LISTS, Manifest, parse_manifest
from kiosk.content.model import Content, parse_content
from kiosk.content.releases import install_release
from kiosk.errors import ContentError
from kiosk.paths import app_root
from kiosk.store.db import Store

if TYPE_CHECKING:
    from kiosk.content.remote import CentralClient, ProposedDraft

log = logging.getLogger(__name__)

RENDER_TIMEOUT_S = 600
STOP_GRACE_S = 3.0
"""A child asked to stop (SIGTERM) is killed (SIGKILL) when it has not ended within this."""


@dataclass(frozen=True)
class PreviewOptions:
    """Where the PNGs go, which languages and screen sizes are drawn, and whether small JPEG
    thumbnails (``<name>.jpg``, this many pixels wide) are written beside them (the console's page)."""

    out_dir: Path
    languages: tuple[str, ...]
    sizes: tuple[tuple[int, int], ...]
    thumbnail_width: int | None = None

    @classmethod
    def parse(cls, out_dir: Path, languages: str, sizes: str) -> PreviewOptions:
        return cls(out_dir, parse_languages(languages), parse_sizes(sizes))

    def folder(self, draft_id: int) -> Path:
        return self.out_dir / f"draft-{draft_id}"


def parse_languages(value: str) -> tuple[str, ...]:
    """``az,en`` → ("az", "en"); ContentError names an unknown language."""
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in LANGUAGES]
    if not chosen or unknown:
        raise ContentError(f"--languages: expected some of {','.join(LANGUAGES)}, got {value!r}")
    return chosen


def parse_sizes(value: str) -> tuple[tuple[int, int], ...]:
    """``1920x1080,1080x1920`` → ((1920, 1080), (1080, 1920)), each side 320 to 7680 pixels."""
    sizes = []
    for part in (p.strip() for p in value.split(",") if p.strip()):
        width, _, height = part.partition("x")
        if not (width.isdigit() and height.isdigit()) or not (
            320 <= int(width) <= 7680 and 320 <= int(height) <= 7680
        ):
            raise ContentError(f"--sizes: expected sizes like 1920x1080,1080x1920, got {part!r}")
        sizes.append((int(width), int(height)))
    if not sizes:
        raise ContentError(f"--sizes: expected sizes like 1920x1080,1080x1920, got {value!r}")
    return tuple(sizes)


def kiosk_command(python: Path | None = None) -> list[str]:
    """How to start the kiosk program: main.py from source (with ``python``, default this one), or
    ``green-kiosk`` beside ``kioskctl``."""
    if python is not None:
        return [str(python), str(app_root() / "main.py")]
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).with_name("green-kiosk"))]
    return [sys.executable, str(app_root() / "main.py")]


def render_draft(client: CentralClient, draft: ProposedDraft, options: PreviewOptions) -> list[Path]:
    """Fetch the draft's blobs (hash-checked), render it in a kiosk child process; returns the PNGs."""
    out = options.folder(draft.id)
    with tempfile.TemporaryDirectory(prefix="green-kiosk-preview-") as temp:
        work = Path(temp)
        blobs = work / "blobs"
        blobs.mkdir()
        for sha, info in sorted(draft.manifest.blobs.items()):
            client.fetch_blob(sha, info.size, blobs / sha)
        manifest = work / "manifest.json"
        manifest.write_bytes(draft.data)
        return render_manifest(manifest, blobs, out, options, data_dir=work / "data")


def render_manifest(
    manifest: Path,
    blobs: Path,
    out: Path,
    options: PreviewOptions,
    *,
    data_dir: Path,
    kiosk: Sequence[str] | None = None,
    timeout_s: float = RENDER_TIMEOUT_S,
    started: Callable[[subprocess.Popen[str]], None] | None = None,
) -> list[Path]:
    """Run the kiosk's screenshot renderer (``kiosk``: the command, default :func:`kiosk_command`) on a
    manifest file and a folder of its blobs; ContentError says why when it fails or overruns.

    The child leads its own process group, so that :func:`stop_child` (called by whoever ``started``
    handed it to, e.g. a server shutting down) ends it with everything it started.
    """
    command = [
        *(kiosk or kiosk_command()),
        "--screenshot", str(out),
        "--preview-manifest", str(manifest),
        "--preview-blobs", str(blobs),
        "--data-dir", str(data_dir),
        "--languages", ",".join(options.languages),
        "--sizes", ",".join(f"{w}x{h}" for w, h in options.sizes),
    ]  # fmt: skip
    if options.thumbnail_width is not None:
        command += ["--thumbnails", str(options.thumbnail_width)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        child = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise ContentError(f"the preview could not be rendered: {exc}") from exc
    with child:
        if started is not None:
            started(child)
        try:
            _, stderr = child.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            stop_child(child, grace_s=0)
            child.communicate()
            raise ContentError(f"the preview was not rendered within {timeout_s:g} seconds") from exc
        except BaseException:
            stop_child(child, grace_s=0)
            raise
    if child.returncode != 0:
        reason = (stderr.strip().splitlines() or [f"exit status {child.returncode}"])[-1]
        raise ContentError(f"the preview could not be rendered: {reason}")
    return sorted(out.glob("*.png"))


def stop_child(child: subprocess.Popen[str], grace_s: float = STOP_GRACE_S) -> None:
    """End a renderer child and its process group: SIGTERM, then SIGKILL after ``grace_s`` seconds
    (at once with 0); the SIGKILL also reaches anything of the group that outlived its leader."""
    if grace_s > 0:
        _signal_group(child, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(grace_s)
    _signal_group(child, signal.SIGKILL)


def _signal_group(child: subprocess.Popen[str], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signum)


def install_preview(store: Store, library: ContentLibrary, manifest_file: Path, blob_dir: Path) -> int:
    """Make a manifest file the active release of a throwaway kiosk store, its media in ``blob_dir``.

    Every item is shown as if this kiosk's centre were targeted (the signer sees every centre's items);
    returns the release number.
    """
    try:
        data = manifest_file.read_bytes()[: MAX_MANIFEST_BYTES + 1]
    except OSError as exc:
        raise ContentError(f"{manifest_file}: cannot read: {exc.strerror}") from exc
    manifest = parse_manifest(data, where=str(manifest_file))
    install_release(store, manifest.release, preview_document(manifest), datetime.now(UTC))
    library.blob_dir = blob_dir
    return manifest.release


def preview_document(manifest: Manifest) -> dict[str, Any]:
    """The release's content with every item shown as if for this centre (the signer sees them all)."""
    document = manifest.store_document(None)
    for name in TARGETED_LISTS:
        for item in document.get(name) or []:
            if isinstance(item, dict):
                item.pop("centres", None)
    return document


def preview_content(manifest: Manifest) -> Content:
    """What a preview draws, as the kiosk's Content: the console names its pictures after it."""
    return parse_content(preview_document(manifest), release=manifest.release, origin="sync")
