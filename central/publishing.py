"""Channels, blobs and releases: what the server publishes, each release verified as a kiosk would.

The one rule of this room: nothing becomes a channel's release unless the channel's key signed it, it
parses as a kiosk parses it, its number grows and every blob it names is here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from central.db import Database
from central.errors import (
    CentralError,
    Conflict,
    Invalid,
    NotFound,
    Rejected,
    StorageFull,
    TooLarge,
    Unavailable,
)
from central.models import Channel, Draft, Release
from central.served_files import StagedRelease, restore, stage_release, storage_errors
from kiosk.content.manifest import BLOBS_DIR, Manifest, content_of, parse_manifest
from kiosk.content.model import Announcement
from kiosk.content.publish import write_blob
from kiosk.content.signing import verify
from kiosk.errors import ContentError
from kiosk.wire import MAX_RELEASE

log = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"\A[a-z0-9][a-z0-9._-]{0,63}\Z")
SHA_PATTERN = re.compile(r"\A[0-9a-f]{64}\Z")
NOTIFY_CHANNEL = "green_release"  # PostgreSQL: every server process LISTENs (central.push)


class ReleaseNotifier:
    """Tells waiting push connections (any thread) that a channel has a new release."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[str, int], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Callable[[str, int], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def notify(self, channel: str, release: int) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(channel, release)


class Publishing:
    """The channels in the database and their folders under ``channels_dir`` (served as static files)."""

    def __init__(
        self,
        channels_dir: Path,
        database: Database,
        clock: Callable[[], datetime],
        *,
        max_blob_bytes: int,
    ) -> None:
        self.channels_dir = channels_dir
        self.database = database
        self.clock = clock
        self.max_blob_bytes = max_blob_bytes
        self.notifier = ReleaseNotifier()
        self._lock = threading.Lock()
        self._staged: list[StagedRelease] = []  # by activate, placed once the transaction committed
        channels_dir.mkdir(parents=True, exist_ok=True)

    @property
    def lock(self) -> threading.Lock:
        """Held while a release is made: the media library holds it to remove a blob no release names."""
        return self._lock

    def add_channel(self, name: str, public_key_pem: bytes) -> None:
        check_name(name, "channel")
        _public_key(public_key_pem.decode("ascii", "replace"))  # refuse a bad key now, not at publish
        with self.database.session() as session:
            if session.scalar(select(Channel).where(Channel.name == name)) is not None:
                raise Conflict(f"channel {name!r} already exists")
            session.add(
                Channel(name=name, public_key=public_key_pem.decode(), release=0, created=self.clock())
            )
        (self.channels_dir / name / BLOBS_DIR).mkdir(parents=True, exist_ok=True)

    def channel_names(self) -> list[str]:
        with self.database.session() as session:
            return list(session.scalars(select(Channel.name).order_by(Channel.name)))

    def channel_release(self, name: str) -> int:
        with self.database.session() as session:
            return channel_row(session, name).release

    def current_releases(self) -> dict[str, int]:
        """Every channel's active release (what a push listener re-reads after a reconnect)."""
        with self.database.session() as session:
            return {name: release for name, release in session.execute(select(Channel.name, Channel.release))}

    def channel_dir(self, name: str) -> Path:
        check_name(name, "channel")
        return self.channels_dir / name

    def missing_blobs(self, channel: str, blobs: Mapping[str, int]) -> list[str]:
        """Which of ``{sha: size}`` the channel does not hold yet (so the publisher uploads only those)."""
        self.channel_release(channel)  # NotFound for an unknown channel
        folder = self.channel_dir(channel) / BLOBS_DIR
        missing = []
        for sha, size in blobs.items():
            check_sha(sha)
            path = folder / sha
            if not (path.is_file() and path.stat().st_size == size):
                missing.append(sha)
        return sorted(missing)

    def store_blob(self, channel: str, sha: str, size: int | None, chunks: Iterable[bytes]) -> bool:
        """Store an uploaded blob after checking its sha256 and size; False when it was already there."""
        check_sha(sha)
        if size is not None and size > self.max_blob_bytes:
            raise TooLarge(f"blob of {size} bytes is over the {self.max_blob_bytes} allowed")
        self.channel_release(channel)
        target = self.channel_dir(channel) / BLOBS_DIR / sha
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and (size is None or target.stat().st_size == size):
            for _chunk in chunks:  # drain the request body
                pass
            return False
        digest = hashlib.sha256()
        received = 0

        def fill(handle: BinaryIO) -> None:
            nonlocal received
            for chunk in chunks:
                received += len(chunk)
                if received > self.max_blob_bytes:
                    raise TooLarge(f"blob is over the {self.max_blob_bytes} bytes allowed")
                digest.update(chunk)
                handle.write(chunk)
            if size is not None and received != size:
                raise Invalid(f"blob {sha}: received {received} bytes, announced {size}")
            if digest.hexdigest() != sha:
                raise Invalid(f"blob {sha}: its content hashes to {digest.hexdigest()}")

        try:
            with storage_errors(f"blob {sha} of channel {channel}"):
                write_blob(target, fill)
        except StorageFull:
            for _chunk in chunks:  # read the rest (bounded by the route), so the client reads why
                pass
            raise
        return True

    def publish(self, channel: str, manifest: bytes, signature: bytes, *, by: str, note: str = "") -> int:
        """Verify and activate a signed manifest (a folder's): signature, schema, growing number, blobs.

        It replaces the content every pending draft was made from, and nothing says what the folder meant
        to keep of them, so all of them are superseded, each with the reason kept.
        """
        with self.releasing() as session:
            row = channel_row(session, channel, for_update=True)
            parsed = self.activate(session, row, manifest, signature, by=by, note=note)
            for pending in session.scalars(
                select(Draft).where(Draft.channel_id == row.id, Draft.status == "pending")
            ):
                pending.status = "superseded"
                pending.params = superseded_params(pending.params, parsed.release, by, note)
        self.released(channel, parsed.release, by, note)
        return parsed.release

    @contextmanager
    def releasing(self) -> Iterator[Session]:
        """The transaction :meth:`activate` runs in, with :attr:`lock` held: the files it staged are
        renamed into place only after the commit, and discarded if anything fails before it."""
        with self._lock:
            self._staged = []
            try:
                with self.database.session() as session:
                    yield session
            except BaseException:
                for staged in self._staged:
                    staged.discard()
                raise
            finally:
                staged_now, self._staged = self._staged, []
            for staged in staged_now:
                self._place(staged)

    def _place(self, staged: StagedRelease) -> None:
        """Show a committed release's files, under the channel's row lock so that of two server
        processes the one placing last also places the newest release."""
        try:
            with self.database.session() as session:
                row = channel_row(session, staged.channel, for_update=True)
                if row.release != staged.release:  # a newer one committed since; its publisher places it
                    staged.discard()
                    return
                with storage_errors(f"release {staged.release} of channel {staged.channel}"):
                    staged.place()
        except CentralError as exc:
            staged.discard()
            log.error(
                "Channel %s: release %d is committed but its files are not in place (%s); the server "
                "rewrites them from the database at the next publish or start",
                staged.channel,
                staged.release,
                exc,
            )
            raise Unavailable(
                f"release {staged.release} is saved, but the server could not put its files in place "
                f"yet ({exc}); restart the server to serve it"
            ) from exc

    def reconcile(self) -> int:
        """Make every channel folder serve what the database says is active (at server start: a crash
        between commit and rename, or an older version's leftovers); returns how many were rewritten."""
        rewritten = 0
        for name in self.channel_names():
            try:
                with self._lock, self.database.session() as session:
                    rewritten += self.reconcile_channel(session, channel_row(session, name, for_update=True))
            except CentralError as exc:  # the server still starts: the next publish tries again
                log.error("Channel %s: its served files could not be checked or rewritten: %s", name, exc)
        return rewritten

    def reconcile_channel(self, session: Session, row: Channel) -> bool:
        """Rewrite the channel's served manifest and signature from the database if they differ (the
        caller holding :attr:`lock` and the row); True when they did."""
        manifest = signature = None
        if row.release:
            active = session.scalar(
                select(Release).where(Release.channel_id == row.id, Release.number == row.release)
            )
            if active is None:  # the database contradicts itself: better the files than nothing
                log.error("Channel %s: release %d is active but not in the database", row.name, row.release)
                return False
            manifest, signature = bytes(active.manifest), bytes(active.signature)
        return restore(row.name, self.channel_dir(row.name), row.release, manifest, signature)

    def activate(
        self, session: Session, row: Channel, manifest: bytes, signature: bytes, *, by: str, note: str
    ) -> Manifest:
        """Make ``manifest`` the channel's release in ``session``'s transaction, inside :meth:`releasing`
        and holding the channel's row (``for_update``); :meth:`released` once it is committed."""
        self.reconcile_channel(session, row)  # cheap: two small files read and compared
        problem = self.signature_problem(row, manifest, signature)
        if problem:
            raise Rejected(problem)
        try:
            parsed = parse_manifest(manifest)
        except ContentError as exc:
            raise Rejected(str(exc).splitlines()[0]) from exc
        if parsed.release > MAX_RELEASE:
            raise Rejected(f"release {parsed.release} is over the highest number, {MAX_RELEASE}")
        if parsed.release <= row.release:
            raise Conflict(f"release {parsed.release} is not newer than the active release {row.release}")
        if parsed.expires <= self.clock():
            raise Rejected(f"the manifest expired at {parsed.expires.isoformat()}")
        missing = self.missing_blobs(row.name, {sha: info.size for sha, info in parsed.blobs.items()})
        if missing:
            raise Conflict(f"{len(missing)} blobs are not uploaded yet, e.g. {missing[0]}")
        self._staged.append(
            stage_release(row.name, parsed.release, self.channel_dir(row.name), manifest, signature)
        )
        row.release = parsed.release
        session.add(
            Release(
                channel_id=row.id,
                number=parsed.release,
                manifest=manifest,
                signature=signature,
                published_at=self.clock(),
                published_by=by,
                note=note,
            )
        )
        announce_release(session, row.name, parsed.release)
        return parsed

    def signature_problem(self, row: Channel, manifest: bytes, signature: bytes) -> str:
        """Why the channel's key did not sign exactly ``manifest`` ("" when it did)."""
        try:
            verify(_public_key(row.public_key), manifest, signature)
        except ContentError as exc:
            return str(exc).splitlines()[0]
        return ""

    def released(self, channel: str, release: int, by: str, note: str) -> None:
        """After the release's transaction committed: log it and wake the push streams."""
        log.info("Channel %s: release %d published by %s %s", channel, release, by, note)
        self.notifier.notify(channel, release)

    def releases(self, channel: str) -> list[dict[str, Any]]:
        with self.database.session() as session:
            row = channel_row(session, channel)
            found = session.scalars(
                select(Release).where(Release.channel_id == row.id).order_by(Release.number.desc())
            )
            return [
                {
                    "release": r.number,
                    "published_at": r.published_at.isoformat(),
                    "published_by": r.published_by,
                    "note": r.note,
                    "active": r.number == row.release,
                    "items": _item_count(r.manifest),
                }
                for r in found
            ]

    def release_manifest(self, channel: str, number: int) -> bytes:
        return self._release(channel, number).manifest

    def release_signature(self, channel: str, number: int) -> bytes:
        """The admin's signature over release ``number``, so ``kioskctl pull`` can check any release."""
        return self._release(channel, number).signature

    def _release(self, channel: str, number: int) -> Release:
        with self.database.session() as session:
            row = channel_row(session, channel)
            if not 0 < number <= MAX_RELEASE:
                raise NotFound(f"channel {channel!r} has no release {number}")
            release = session.scalar(
                select(Release).where(Release.channel_id == row.id, Release.number == number)
            )
            if release is None:
                raise NotFound(f"channel {channel!r} has no release {number}")
            session.expunge(release)
            return release

    def active_manifest(self, channel: str) -> Manifest | None:
        """The channel's active release, parsed as a kiosk parses it; None before the first."""
        active = self.channel_release(channel)
        return None if active == 0 else parse_manifest(self.release_manifest(channel, active))

    def announcements(self, channel: str) -> list[Announcement]:
        """The announcements of the channel's active release (every centre's), newest start first."""
        manifest = self.active_manifest(channel)
        if manifest is None:
            return []
        found = content_of(manifest, None).announcements
        return sorted(found, key=lambda item: item.starts, reverse=True)


SUPERSEDED_KEY = "superseded_by"
"""Kept beside a draft's parameters (no schema change): the release that replaced its base, and who
published it, so the console can say why the draft can no longer be approved."""


def superseded_params(
    params: str | None, release: int, by: str, note: str, reason: Mapping[str, str] | None = None
) -> str:
    """``params`` with why the draft was superseded; ``reason`` (``code``, ``detail``, ``text``) when a
    rebuild on ``release`` failed, so the console can say which part clashed."""
    try:
        doc = json.loads(params or "{}")
    except ValueError:
        doc = {}
    if not isinstance(doc, dict):
        doc = {}
    doc[SUPERSEDED_KEY] = {"release": release, "by": by[:128], "note": note[:256]}
    if reason is not None:
        doc[SUPERSEDED_KEY]["reason"] = {key: str(value)[:300] for key, value in reason.items()}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def announce_release(session: Session, channel: str, release: int) -> None:
    """On PostgreSQL, tell every server process in the release's own transaction (sent at commit)."""
    if session.get_bind().dialect.name == "postgresql":
        notify = text("SELECT pg_notify(:topic, :payload)")
        session.execute(notify, {"topic": NOTIFY_CHANNEL, "payload": f"{channel}:{release}"})


def channel_row(session: Session, name: str, *, for_update: bool = False) -> Channel:
    """The channel's row; ``for_update`` locks it until the transaction ends (PostgreSQL: every server
    process publishing to the channel waits its turn; SQLite's one writer needs no row lock)."""
    query = select(Channel).where(Channel.name == name)
    row = session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise NotFound(f"no channel {name[:70]!r}")
    return row


def check_name(name: str, what: str) -> None:
    if not NAME_PATTERN.match(name):
        raise Invalid(f"{what} {name[:70]!r}: use 1-64 of a-z 0-9 . _ - (starting with a letter or digit)")


def check_sha(sha: str) -> None:
    if not SHA_PATTERN.match(sha):
        raise Invalid(f"{sha[:70]!r} is not a sha256 (64 hex digits)")


def _public_key(pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise Invalid("the channel's public key is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise Invalid("the channel's public key is not an Ed25519 key")
    return key


def _item_count(manifest: bytes) -> int:
    try:
        content = json.loads(manifest)["content"]
    except (ValueError, KeyError, TypeError):
        return 0
    return sum(len(v) for v in content.values() if isinstance(v, list))
