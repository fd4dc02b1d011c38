"""Installed releases in the store: the atomic switch, the rollback copy, and the sync's own state.

The switch to a new release is one SQLite transaction that flips ``active``, so a reader (the UI, or a
restart after a kill) sees either the old release or the new one, never a mix.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from kiosk.content.manifest import blob_refs
from kiosk.store.db import Store
from kiosk.store.models import ContentRelease, KioskState

log = logging.getLogger(__name__)

SYNC_ORIGIN = "sync"


@dataclass(frozen=True)
class InstalledRelease:
    """A release row as the sync engine needs it."""

    id: int
    number: int
    origin: str
    active: bool
    document: dict[str, Any]


def _installed(row: ContentRelease) -> InstalledRelease:
    try:
        document = json.loads(row.document)
    except ValueError:
        document = {}
    return InstalledRelease(row.id, row.release_number, row.origin, row.active, document)


def active_release(store: Store) -> InstalledRelease | None:
    with store.session() as session:
        row = session.scalars(select(ContentRelease).where(ContentRelease.active)).first()
        return None if row is None else _installed(row)


def installed_releases(store: Store) -> list[InstalledRelease]:
    """Every release row, newest first."""
    with store.session() as session:
        rows = session.scalars(select(ContentRelease).order_by(ContentRelease.id.desc())).all()
        return [_installed(row) for row in rows]


def install_release(store: Store, number: int, document: dict[str, Any], now: datetime) -> int:
    """Make ``document`` the active release in one transaction; keep the one it replaces for rollback.

    Older synced releases are deleted (their blobs are pruned afterwards). Returns the new row's id.
    """
    encoded = json.dumps(document, ensure_ascii=False, sort_keys=True)
    with store.session() as session:
        previous = session.scalars(select(ContentRelease).where(ContentRelease.active)).first()
        keep = {previous.id} if previous is not None else set()
        session.execute(update(ContentRelease).where(ContentRelease.active).values(active=False))
        row = ContentRelease(
            release_number=number, origin=SYNC_ORIGIN, document=encoded, installed_at=now, active=True
        )
        session.add(row)
        session.flush()
        keep.add(row.id)
        session.execute(
            delete(ContentRelease).where(ContentRelease.origin == SYNC_ORIGIN, ContentRelease.id.not_in(keep))
        )
        return row.id


def drop_rollback_copies(store: Store) -> int:
    """Delete every synced release but the active one (to make room in the cache)."""
    with store.session() as session:
        result = session.execute(
            delete(ContentRelease).where(ContentRelease.origin == SYNC_ORIGIN, ~ContentRelease.active)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def referenced_blobs(store: Store) -> set[str]:
    """Every blob any release in the store names: what pruning must keep."""
    refs: set[str] = set()
    for release in installed_releases(store):
        refs |= blob_refs(release.document)
    return refs


def write_state(store: Store, values: dict[str, Any], now: datetime) -> None:
    """Save named values (as JSON) in one transaction, for ``kioskctl status`` and the admin screen."""
    with store.session() as session:
        for key, value in values.items():
            encoded = json.dumps(value, ensure_ascii=False)
            row = session.get(KioskState, key)
            if row is None:
                session.add(KioskState(key=key, value=encoded, updated_at=now))
            else:
                row.value, row.updated_at = encoded, now


def read_states(store: Store, keys: tuple[str, ...]) -> dict[str, Any]:
    """Values saved with :func:`write_state` (None for a key never written)."""
    with store.session() as session:
        rows = session.scalars(select(KioskState).where(KioskState.key.in_(keys))).all()
        found = {row.key: json.loads(row.value) for row in rows}
    return {key: found.get(key) for key in keys}
