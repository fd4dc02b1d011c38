"""Building a kiosk's sync engine on a real store for the tests, with quick retries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from urllib3.util.retry import Retry

from kiosk.content.library import ContentLibrary
from kiosk.content.releases import InstalledRelease, active_release
from kiosk.content.signing import load_public_key
from kiosk.content.sync import ContentSync
from kiosk.store.db import Store, open_store

MB = 1024 * 1024


def quick_retry(total: int = 3) -> Retry:
    """The production policy's shape with millisecond backoff, so fault tests stay fast."""
    return Retry(
        total=total,
        connect=total,
        read=1,
        status=total,
        backoff_factor=0.005,
        backoff_jitter=0.005,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
    )


def open_kiosk_store(data_dir: Path) -> Store:
    store = open_store(data_dir)
    ContentLibrary(store, data_dir / "blobs").ensure_demo_release()
    return store


def make_sync(
    store: Store,
    data_dir: Path,
    url: str,
    public_key: Path,
    clock: Callable[[], datetime],
    *,
    centre: str | None = "baku-1",
    cache_limit_bytes: int = 10 * MB,
    retries: int = 3,
) -> ContentSync:
    return ContentSync(
        url,
        load_public_key(public_key),
        store,
        data_dir / "blobs",
        centre=centre,
        cache_limit_bytes=cache_limit_bytes,
        clock=clock,
        retry=quick_retry(retries),
        timeout=(2.0, 5.0),
    )


def active(store: Store) -> InstalledRelease:
    release = active_release(store)
    assert release is not None
    return release
