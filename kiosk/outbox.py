"""The outbox: heartbeats and play events kept in SQLite until the central server has them.

A kiosk may be offline for days; what it records meanwhile waits here, oldest first, and is deleted
only after the server answered 2xx. Each record carries its own id, so a batch resent after a lost
answer is skipped by the server, not counted twice. The outbox is capped: past ``limit`` rows the
oldest heartbeats go first (the newest one says the same), then the oldest events.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from kiosk.store.db import Store
from kiosk.store.models import OutboxRow
from kiosk.wire import Heartbeat, PlayEvent

log = logging.getLogger(__name__)

HEARTBEAT, EVENT = "heartbeat", "event"
DEFAULT_LIMIT = 50_000


@dataclass(frozen=True)
class OutboxRecord:
    """One queued record: its row id (to delete it once sent), kind and the message the server receives."""

    row_id: int
    kind: str
    message: Heartbeat | PlayEvent


class Outbox:
    """Queue of records for the central server, in the kiosk's store (safe from any thread)."""

    def __init__(self, store: Store, *, limit: int = DEFAULT_LIMIT) -> None:
        self.store = store
        self.limit = limit

    def add(self, message: Heartbeat | PlayEvent) -> str:
        """Queue one message; returns its id."""
        kind = HEARTBEAT if isinstance(message, Heartbeat) else EVENT
        with self.store.session() as session:
            session.add(
                OutboxRow(
                    event_id=message.id,
                    kind=kind,
                    payload=json.dumps(message.to_json()),
                    created=message.at,
                )
            )
        return message.id

    def oldest(self, limit: int) -> list[OutboxRecord]:
        """Up to ``limit`` records, oldest first; a row that no longer reads as a message is dropped."""
        records: list[OutboxRecord] = []
        unreadable: list[int] = []
        with self.store.session() as session:
            rows = session.scalars(select(OutboxRow).order_by(OutboxRow.id).limit(limit)).all()
            for row in rows:
                try:
                    records.append(OutboxRecord(row.id, row.kind, _message(row.kind, row.payload)))
                except (ValueError, TypeError) as exc:
                    log.error("Outbox record %d cannot be read and is dropped: %s", row.id, exc)
                    unreadable.append(row.id)
            if unreadable:
                session.execute(delete(OutboxRow).where(OutboxRow.id.in_(unreadable)))
        return records

    def remove(self, records: list[OutboxRecord]) -> None:
        """Delete records the server has acknowledged."""
        ids = [r.row_id for r in records]
        with self.store.session() as session:
            for start in range(0, len(ids), 500):
                session.execute(delete(OutboxRow).where(OutboxRow.id.in_(ids[start : start + 500])))

    def count(self) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(OutboxRow)) or 0

    def trim(self) -> int:
        """Keep at most ``limit`` rows: the oldest heartbeats go first, then the oldest events.

        Returns how many were dropped."""
        total = self.count()
        excess = total - self.limit
        if excess <= 0:
            return 0
        dropped: dict[str, int] = {}
        with self.store.session() as session:
            for kind in (HEARTBEAT, EVENT):
                if excess <= 0:
                    break
                ids = session.scalars(
                    select(OutboxRow.id).where(OutboxRow.kind == kind).order_by(OutboxRow.id).limit(excess)
                ).all()
                for start in range(0, len(ids), 500):
                    session.execute(delete(OutboxRow).where(OutboxRow.id.in_(ids[start : start + 500])))
                dropped[kind] = len(ids)
                excess -= len(ids)
        log.warning(
            "The outbox held %d records (limit %d): dropped the oldest %d heartbeats and %d events "
            "that never reached the central server",
            total,
            self.limit,
            dropped.get(HEARTBEAT, 0),
            dropped.get(EVENT, 0),
        )
        return sum(dropped.values())


def _message(kind: str, payload: str) -> Heartbeat | PlayEvent:
    doc: Any = json.loads(payload)
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    if kind == HEARTBEAT:
        return Heartbeat.from_json(doc)
    if kind == EVENT:
        return PlayEvent.from_json(doc)
    raise ValueError(f"unknown kind {kind!r}")
