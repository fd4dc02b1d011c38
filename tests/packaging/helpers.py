"""Helpers for the packaging tests: a database at an older schema, and a stand-in for systemd's socket."""

from __future__ import annotations

import socket
import sqlite3
import time
from pathlib import Path

from alembic import command

from kiosk.store.db import _alembic_config, _make_engine


def make_database_at(path: Path, revision: str, *, state: dict[str, str] | None = None) -> None:
    """A kiosk database at an older schema revision, as a previous version left it, with some state."""
    engine = _make_engine(path)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()
    with sqlite3.connect(path) as db:
        for key, value in (state or {}).items():
            db.execute(
                "INSERT INTO kiosk_state (key, value, updated_at) VALUES (?, ?, '2026-06-21 09:00:00')",
                (key, value),
            )
    db.close()


def read_state(path: Path, key: str) -> str | None:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT value FROM kiosk_state WHERE key = ?", (key,)).fetchone()
    db.close()
    return None if row is None else str(row[0])


def revisions(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT version_num FROM alembic_version").fetchall()
    db.close()
    return {row[0] for row in rows}


class NotifySocket:
    """What systemd listens on for sd_notify: a datagram socket; collects (time, pid-less) messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        path.chmod(0o777)

    def receive(self, timeout: float) -> str | None:
        """The next message, or None when none came within ``timeout`` seconds."""
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(4096).decode()
        except TimeoutError:
            return None

    def wait_for(self, message: str, timeout: float) -> float | None:
        """Seconds until ``message`` arrived (other messages skipped), or None."""
        start = time.monotonic()
        while (left := timeout - (time.monotonic() - start)) > 0:
            got = self.receive(left)
            if got is not None and message in got.splitlines():
                return time.monotonic() - start
        return None

    def close(self) -> None:
        self.sock.close()
