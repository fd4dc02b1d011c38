"""The central server as one object: its rooms composed, so the edges need to know only this one.

The web API (``central.api``), the console (``central.console``) and the command line use this facade;
the work is done in the rooms: :mod:`central.publishing` (channels, blobs, releases),
:mod:`central.drafts` (proposals only the admin's key approves), :mod:`central.fleet` (reports,
kiosks, totals), :mod:`central.accounts` (tokens, users, revocation: ``self.accounts``) and
:mod:`central.media` (the media library uploaded in the console: ``self.media``) and
:mod:`central.working_copy` (the content the console edits: ``self.copies``). Each raises a
:class:`~central.errors.CentralError` whose kind the HTTP edge maps to a status.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from central.accounts import Accounts
from central.db import Database
from central.drafts import Drafts
from central.errors import CentralError, Conflict
from central.fleet import DEFAULT_RATED_POWER_W, Fleet
from central.media import MediaLibrary
from central.media_choices import channel_blobs
from central.models import Kiosk
from central.publishing import Publishing, ReleaseNotifier, check_name
from central.served_files import sweep_temporaries, temporary_folders
from central.working_copy import WorkingCopies
from kiosk.content.source import media_fields
from kiosk.wire import NetworkTotals, ReportBatch, ReportReceipt

__all__ = ["Central", "CentralError", "ReleaseNotifier"]


class Central:
    """The server's state: a database plus the channel folders under ``data_dir/channels``."""

    def __init__(
        self,
        data_dir: Path,
        database: Database,
        *,
        max_blob_bytes: int = 2 << 30,
        rated_power_w: float = DEFAULT_RATED_POWER_W,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.database = database
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        # The rooms ask the facade for the time, so a test that moves ``clock`` moves theirs.
        self.publishing = Publishing(
            data_dir / "channels", database, self._now, max_blob_bytes=max_blob_bytes
        )
        self.drafting = Drafts(database, self.publishing, self._now)
        self.fleet = Fleet(data_dir / "screenshots", database, self._now, rated_power_w=rated_power_w)
        self.notifier = self.publishing.notifier
        self.channels_dir = self.publishing.channels_dir
        self.max_blob_bytes = max_blob_bytes
        self.accounts = Accounts(database, self._now)
        self.media = MediaLibrary(self.publishing, database, self._now, work_dir=data_dir / "uploads")
        self.copies = WorkingCopies(
            database, self.publishing, self.drafting, self._now, lambda channel: channel_blobs(self, channel)
        )

    def _now(self) -> datetime:
        return self.clock()

    # --- kiosks: the fleet's row, the accounts room's token -------------------------------------
    def add_kiosk(self, kiosk_id: str, centre: str, channel: str = "") -> str:
        """Register a kiosk; returns its token (shown once: only the hash is kept)."""
        check_name(kiosk_id, "kiosk id")
        with self.database.session() as session:
            if session.get(Kiosk, kiosk_id) is not None:
                raise Conflict(f"kiosk {kiosk_id!r} already exists")
            session.add(
                Kiosk(
                    id=kiosk_id,
                    centre=centre,
                    channel=channel,
                    token_hash=secrets.token_hex(32),  # no known token's hash: accounts issues the real one
                    created=self.clock(),
                )
            )
        return self.accounts.renew_kiosk_token(kiosk_id)

    # --- publishing -----------------------------------------------------------------------------
    def add_channel(self, name: str, public_key_pem: bytes) -> None:
        self.publishing.add_channel(name, public_key_pem)

    def channel_names(self) -> list[str]:
        return self.publishing.channel_names()

    def channel_release(self, name: str) -> int:
        return self.publishing.channel_release(name)

    def reconcile(self) -> None:
        """At server start: every channel serves the database's active release, and what a killed
        process left half-written (staged releases, uploads) no longer fills the disk."""
        self.publishing.reconcile()
        sweep_temporaries(temporary_folders(self.channels_dir, self.media.work_dir))

    def missing_blobs(self, channel: str, blobs: Mapping[str, int]) -> list[str]:
        return self.publishing.missing_blobs(channel, blobs)

    def store_blob(self, channel: str, sha: str, size: int | None, chunks: Iterable[bytes]) -> bool:
        return self.publishing.store_blob(channel, sha, size, chunks)

    def publish(self, channel: str, manifest: bytes, signature: bytes, *, by: str, note: str = "") -> int:
        return self.publishing.publish(channel, manifest, signature, by=by, note=note)

    def releases(self, channel: str) -> list[dict[str, Any]]:
        return self.publishing.releases(channel)

    def release_manifest(self, channel: str, number: int) -> bytes:
        return self.publishing.release_manifest(channel, number)

    def release_signature(self, channel: str, number: int) -> bytes:
        return self.publishing.release_signature(channel, number)

    def working_copy(self, channel: str) -> dict[str, Any]:
        """The console's working copy for ``kioskctl pull --working-copy``: its document (media named by
        sha256), the release it was taken from, who changed it when, and the blobs it names."""
        copy = self.copies.current(channel)
        known = self.copies.media(channel)
        refs = {table[name] for _key, table, name in media_fields(copy.document)}
        return {
            "channel": channel,
            "base_release": copy.base_release,
            "active_release": copy.active_release,
            "revision": copy.revision,
            "updated": copy.updated.isoformat() if copy.updated else None,
            "updated_by": copy.updated_by,
            "draft": copy.draft_id,
            "content": copy.document,
            "blobs": {
                sha: {"size": known[sha].size, "type": known[sha].media_type}
                for sha in sorted(refs)
                if sha in known
            },
        }

    # --- drafts ----------------------------------------------------------------------------------
    def propose_rollback(self, channel: str, number: int, *, by: str) -> int:
        return self.drafting.propose_rollback(channel, number, by=by)

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
        return self.drafting.propose_announcement(
            channel, texts, starts=starts, ends=ends, level=level, centres=centres, by=by
        )

    def propose_settings(
        self, channel: str, entries: Sequence[Mapping[str, Any]], *, target: str, by: str
    ) -> int:
        return self.drafting.propose_settings(channel, entries, target=target, by=by)

    def drafts(self, channel: str, *, pending_only: bool = True) -> list[dict[str, Any]]:
        return self.drafting.drafts(channel, pending_only=pending_only)

    def approve(
        self, channel: str, draft_id: int, signature: bytes, *, by: str, signed_sha256: str | None = None
    ) -> int:
        return self.drafting.approve(channel, draft_id, signature, by=by, signed_sha256=signed_sha256)

    # --- the fleet -------------------------------------------------------------------------------
    def ingest(self, kiosk_id: str, batch: ReportBatch) -> ReportReceipt:
        return self.fleet.ingest(kiosk_id, batch)

    def request_screenshot(self, kiosk_id: str) -> None:
        self.fleet.request_screenshot(kiosk_id)

    def store_screenshot(self, kiosk_id: str, png: bytes) -> None:
        self.fleet.store_screenshot(kiosk_id, png)

    def screenshot_path(self, kiosk_id: str) -> Path | None:
        return self.fleet.screenshot_path(kiosk_id)

    def kiosk(self, kiosk_id: str) -> dict[str, Any]:
        return self.fleet.kiosk(kiosk_id)

    def history(self, kiosk_id: str, limit: int = 200) -> list[dict[str, Any]]:
        return self.fleet.history(kiosk_id, limit)

    def event_summary(self, kiosk_id: str) -> list[dict[str, Any]]:
        return self.fleet.event_summary(kiosk_id)

    def network(self) -> NetworkTotals:
        return self.fleet.network()
