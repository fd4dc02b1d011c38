"""The kiosk's sync engine: fetch the signed manifest, download missing blobs, switch atomically.

Plain Python and blocking: ``ContentSync.sync_once()`` runs one cycle (from ``kioskctl sync --once`` or
from :class:`kiosk.content.sync_service.ContentSyncService`'s thread). Whatever the network or the
server does, the active release is replaced only by a complete, verified one; every outcome is written
to the store for ``kioskctl status`` and the admin screen.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import sqlalchemy.exc
import urllib3.exceptions
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kiosk.config import Settings
from kiosk.content.blobs import BlobCache
from kiosk.content.manifest import (
    BLOBS_DIR,
    MANIFEST_FILE,
    MAX_MANIFEST_BYTES,
    SIGNATURE_FILE,
    BlobInfo,
    Manifest,
    blob_refs,
    content_of,
    parse_manifest,
)
from kiosk.content.releases import (
    SYNC_ORIGIN,
    InstalledRelease,
    active_release,
    drop_rollback_copies,
    install_release,
    read_states,
    referenced_blobs,
    write_state,
)
from kiosk.content.signing import load_public_key, verify
from kiosk.content.transfer import (
    HeaderWatch,
    Pacer,
    TransferPace,
    TransferTooSlowError,
    WatchedHTTPPool,
    WatchedHTTPSPool,
    paced_body,
    watching,
)
from kiosk.errors import ConfigError, ContentError, DiskFullError
from kiosk.status import disk_space
from kiosk.store.db import Store

log = logging.getLogger(__name__)

UNCHANGED, INSTALLED, REJECTED, FAILED = "unchanged", "installed", "rejected", "failed"
BLOB_DIR_NAME = "blobs"
RESUME_ATTEMPTS = 4
_STATE_KEYS = ("sync_etag", "sync_last_modified", "manifest_sha256")


def default_retry() -> Retry:
    """Retries for one request: exponential backoff with jitter, on connection errors and 5xx."""
    return Retry(
        total=5,
        connect=5,
        read=2,
        status=5,
        backoff_factor=0.5,
        backoff_jitter=0.5,
        backoff_max=30,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
    )


@dataclass(frozen=True)
class SyncResult:
    """What one sync cycle did, for a log line, ``kioskctl sync`` and the admin screen."""

    outcome: str
    release: int
    message: str
    blobs_fetched: int = 0
    bytes_fetched: int = 0
    requests: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in (UNCHANGED, INSTALLED)


@dataclass
class _Traffic:
    requests: int = 0
    bytes: int = 0
    blobs: int = 0


class ContentSync:
    """One kiosk's view of one content channel.

    ``on_release_activated`` (settable at any time) is called with the new release number right after
    a switch, from the thread that ran the sync: the UI bridge turns it into a queued Qt signal.
    """

    def __init__(
        self,
        base_url: str,
        public_key: Ed25519PublicKey,
        store: Store,
        blob_dir: Path,
        *,
        centre: str | None,
        cache_limit_bytes: int,
        clock: Callable[[], datetime] | None = None,
        retry: Retry | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        pace: TransferPace | None = None,
        disk_reserve_bytes: int | None = None,
        on_release_activated: Callable[[int], None] | None = None,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.public_key = public_key
        self.store = store
        self.blobs = BlobCache(blob_dir)
        self.centre = centre
        self.cache_limit_bytes = cache_limit_bytes
        self.on_release_activated = on_release_activated
        self._clock = clock or (lambda: datetime.now(UTC))
        self._timeout = timeout
        self._pace = pace or TransferPace()
        self.disk_reserve_bytes = disk_reserve_bytes
        self._lock = threading.Lock()
        self._http = requests.Session()
        self._http.headers["User-Agent"] = "green-kiosk-sync/1"
        adapter = HTTPAdapter(max_retries=retry if retry is not None else default_retry())
        adapter.poolmanager.pool_classes_by_scheme = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}
        self._http.mount("http://", adapter)
        self._http.mount("https://", adapter)

    @classmethod
    def from_settings(cls, settings: Settings, store: Store, data_dir: Path) -> ContentSync:
        """Build from ``[content]`` (the config's loader made public_key absolute)."""
        key_path = Path(settings.content.public_key)
        if not settings.content.public_key:
            raise ConfigError("[content] public_key: needed when [content] url is set")
        return cls(
            settings.content.url,
            load_public_key(key_path),
            store,
            data_dir / BLOB_DIR_NAME,
            centre=settings.kiosk.centre,
            cache_limit_bytes=settings.content.cache_limit_mb * 1024 * 1024,
        )

    def close(self) -> None:
        self._http.close()

    def sync_once(self) -> SyncResult:
        """One cycle: never raises for network, server or content faults; reports them instead."""
        with self._lock:
            traffic = _Traffic()
            active = active_release(self.store)
            active_number = active.number if active is not None else 0
            try:
                result = self._cycle(active, traffic)
            except ContentError as exc:
                reason = str(exc).replace("\n", "; ")
                log.error("Rejected the content from %s: %s", self.base_url, reason)
                result = SyncResult(REJECTED, active_number, f"rejected: {reason}")
            except DiskFullError as exc:
                log.error("Content sync from %s stopped: %s", self.base_url, exc)
                self._drop_partial_downloads()
                result = SyncResult(FAILED, active_number, f"failed: {exc}")
            except (requests.RequestException, OSError) as exc:
                if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                    log.error("Content sync from %s stopped: the disk is full (%s)", self.base_url, exc)
                    self._drop_partial_downloads()
                    message = f"failed: disk full: {exc.strerror} ({exc.filename or self.blobs.folder})"
                    result = SyncResult(FAILED, active_number, message)
                else:
                    log.warning("Content sync from %s failed: %s", self.base_url, exc)
                    result = SyncResult(FAILED, active_number, f"failed: {_network_reason(exc)}")
            except sqlalchemy.exc.OperationalError as exc:  # SQLITE_FULL, SQLITE_IOERR: retried next cycle
                log.error("Content sync could not write to the kiosk's database: %s", exc.orig)
                result = SyncResult(FAILED, active_number, f"failed: the kiosk's database: {exc.orig}")
            result = SyncResult(
                result.outcome,
                result.release,
                result.message,
                traffic.blobs,
                traffic.bytes,
                traffic.requests,
            )
            self._report(result)
        if result.outcome == INSTALLED and self.on_release_activated is not None:
            try:
                self.on_release_activated(result.release)
            except Exception:  # a UI hook's bug must not look like a failed sync
                log.exception("The release-activated hook failed")
        return result

    def _report(self, result: SyncResult) -> None:
        values: dict[str, Any] = {
            "last_sync": self._clock().astimezone(UTC).isoformat(timespec="seconds"),
            "last_result": result.message,
            "last_outcome": result.outcome,
            "last_error": None if result.ok else result.message,
        }
        try:
            write_state(self.store, values, self._clock())
        except Exception:  # the store is the kiosk's own disk: log loudly, the sync itself is done
            log.exception("Cannot record the sync result in the store")

    def _cycle(self, active: InstalledRelease | None, traffic: _Traffic) -> SyncResult:
        state = read_states(self.store, _STATE_KEYS)
        synced = active is not None and active.origin == SYNC_ORIGIN
        active_number = active.number if active is not None else 0
        intact = synced and active is not None and self._blobs_present(active)
        headers: dict[str, str] = {}
        if intact:
            if state["sync_etag"]:
                headers["If-None-Match"] = state["sync_etag"]
            if state["sync_last_modified"]:
                headers["If-Modified-Since"] = state["sync_last_modified"]
        response, data = self._get_manifest(headers, traffic)
        if response is None:
            return SyncResult(UNCHANGED, active_number, f"unchanged: release {active_number} is current")
        signature = self._get_bytes(SIGNATURE_FILE, traffic, limit=1024)
        try:
            verify(self.public_key, data, signature)
        except ContentError:
            # The publisher renames the signature first, then the manifest: a poll in between reads an
            # old manifest with a new signature. Reading the manifest again settles it.
            response, data = self._get_manifest({}, traffic)
            assert response is not None
            verify(self.public_key, data, signature)
        etag_state = {
            "sync_etag": response.headers.get("ETag"),
            "sync_last_modified": response.headers.get("Last-Modified"),
        }
        digest = hashlib.sha256(data).hexdigest()
        if intact and digest == state["manifest_sha256"]:
            write_state(self.store, etag_state, self._clock())
            return SyncResult(UNCHANGED, active_number, f"unchanged: release {active_number} is current")
        manifest = parse_manifest(data)
        self._check_trust(manifest, active_number if synced else 0)
        document = manifest.store_document(self.centre)
        content_of(manifest, self.centre)
        needed = manifest.blobs_of(document)
        declared = sum(info.size for info in needed.values())
        if declared > self.cache_limit_bytes:
            raise ContentError(
                f"release {manifest.release} needs {_mb(declared)} of media, more than the cache limit "
                f"of {_mb(self.cache_limit_bytes)} ([content] cache_limit_mb)"
            )
        missing = {sha: info for sha, info in needed.items() if not self.blobs.has(sha, info.size)}
        self._check_space(manifest.release, missing)
        for sha, info in sorted(missing.items()):
            self._download(sha, info, traffic)
        install_release(self.store, manifest.release, document, self._clock())
        write_state(self.store, {**etag_state, "manifest_sha256": digest}, self._clock())
        self._prune()
        log.info(
            "Installed content release %d (%d new blobs, %d bytes fetched)",
            manifest.release,
            len(missing),
            traffic.bytes,
        )
        return SyncResult(
            INSTALLED,
            manifest.release,
            f"installed release {manifest.release}: {len(missing)} new of {len(needed)} blobs, "
            f"{_mb(sum(i.size for i in missing.values()))} downloaded",
        )

    def _check_trust(self, manifest: Manifest, active_number: int) -> None:
        if manifest.release < active_number:
            raise ContentError(
                f"manifest release {manifest.release} is older than the active release {active_number} "
                "(a replayed old manifest is never installed)"
            )
        now = self._clock()
        if manifest.expires <= now:
            raise ContentError(
                f"manifest release {manifest.release} expired at {manifest.expires.isoformat()} "
                "(the publisher must publish again)"
            )

    def _check_space(self, release: int, missing: dict[str, BlobInfo]) -> None:
        """Refuse before downloading what would fill the disk (and then the database's next write)."""
        need = sum(max(0, info.size - self.blobs.part_size(sha)) for sha, info in missing.items())
        if not need:
            return
        space = disk_space(self.blobs.folder, self.disk_reserve_bytes)
        if need + space.reserve_bytes > space.free_bytes:
            raise DiskFullError(
                f"disk full: need {_mb(need + space.reserve_bytes)} ({_mb(need)} of media for release "
                f"{release} + {_mb(space.reserve_bytes)} kept free), have {_mb(space.free_bytes)} "
                f"in {self.blobs.folder}"
            )

    def _drop_partial_downloads(self) -> None:
        """After a full disk: free what half-done downloads hold (the release they were for is not active)."""
        try:
            freed = self.blobs.prune(referenced_blobs(self.store))
        except Exception:  # the disk or the store is in trouble already: say so, the sync result stands
            log.exception("Cannot clean up partial downloads in %s", self.blobs.folder)
            return
        if freed:
            log.warning("Removed %d bytes of partial downloads to free disk space", freed)

    def _blobs_present(self, release: InstalledRelease) -> bool:
        return all(self.blobs.path(sha).is_file() for sha in blob_refs(release.document))

    def _prune(self) -> None:
        keep = referenced_blobs(self.store)
        self.blobs.prune(keep)
        if self.blobs.total_bytes() > self.cache_limit_bytes:
            dropped = drop_rollback_copies(self.store)
            freed = self.blobs.prune(referenced_blobs(self.store))
            log.warning(
                "Content cache over its limit: dropped %d rollback release(s), freed %d bytes",
                dropped,
                freed,
            )

    def _get_manifest(
        self, headers: dict[str, str], traffic: _Traffic
    ) -> tuple[requests.Response | None, bytes]:
        with self._request(MANIFEST_FILE, headers, traffic) as response:
            if response.status_code == 304:
                return None, b""
            response.raise_for_status()
            return response, self._read_limited(MANIFEST_FILE, response, MAX_MANIFEST_BYTES, traffic)

    def _get_bytes(self, name: str, traffic: _Traffic, *, limit: int) -> bytes:
        with self._request(name, {}, traffic) as response:
            response.raise_for_status()
            return self._read_limited(name, response, limit, traffic)

    @contextmanager
    def _request(self, name: str, headers: dict[str, str], traffic: _Traffic) -> Iterator[requests.Response]:
        traffic.requests += 1
        watch = HeaderWatch(self._pace.grace_seconds)
        watching.watch = watch
        try:
            response = self._http.get(
                self.base_url + name, headers=headers, stream=True, timeout=self._timeout
            )
        except requests.RequestException as exc:
            if watch.fired:
                raise TransferTooSlowError(
                    f"{name}: too slow, no complete answer header within {self._pace.grace_seconds:g} s"
                ) from exc
            raise
        finally:
            watching.watch = None
        try:
            yield response
        finally:
            response.close()

    def _download(self, sha: str, info: BlobInfo, traffic: _Traffic) -> None:
        """Fetch one blob into the cache, resuming with HTTP Range after a cut connection."""
        name = f"{BLOBS_DIR}/{sha}"
        failures = 0
        while True:
            offset = self.blobs.part_size(sha)
            if offset > info.size:
                self.blobs.discard_part(sha)
                offset = 0
            headers = {"Accept-Encoding": "identity"}
            if offset:
                headers["Range"] = f"bytes={offset}-"
            with self._request(name, headers, traffic) as response:
                if response.status_code == 416:
                    self.blobs.discard_part(sha)
                    failures += 1
                    if failures >= RESUME_ATTEMPTS:
                        raise ContentError(f"blob {sha}: the server refuses the range")
                    continue
                response.raise_for_status()
                resume = response.status_code == 206
                writer, _ = self.blobs.open_part(sha, resume=resume)
                pacer = Pacer(f"blob {sha}", self._pace)
                try:
                    for chunk in paced_body(response, pacer):
                        traffic.bytes += len(chunk)
                        if writer.written + len(chunk) > info.size:
                            writer.close()
                            self.blobs.discard_part(sha)
                            raise ContentError(f"blob {sha}: larger than the {info.size} bytes promised")
                        writer.write(chunk)
                except TransferTooSlowError:
                    writer.close()  # the part stays: the next cycle resumes it
                    raise
                except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                    writer.close()
                    failures += 1
                    if failures >= RESUME_ATTEMPTS:
                        raise
                    log.warning(
                        "Download of blob %s cut after %d bytes (%s); resuming", sha, writer.written, exc
                    )
                    continue
                except OSError:  # the disk (ENOSPC, EIO; after RequestException, an OSError too)
                    with contextlib.suppress(OSError):
                        writer.close()
                    self.blobs.discard_part(sha)
                    raise
                writer.commit(info.size)
                traffic.blobs += 1
                return

    def _read_limited(self, name: str, response: requests.Response, limit: int, traffic: _Traffic) -> bytes:
        parts: list[bytes] = []
        total = 0
        for chunk in paced_body(response, Pacer(name, self._pace), decode=True):
            total += len(chunk)
            traffic.bytes += len(chunk)
            if total > limit:
                raise ContentError(f"{response.url}: larger than {limit} bytes")
            parts.append(chunk)
        return b"".join(parts)


def _network_reason(exc: BaseException) -> str:
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"{exc.response.url} answered {exc.response.status_code} {exc.response.reason}"
    text = str(exc)
    return text if len(text) <= 300 else text[:300] + "…"


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
