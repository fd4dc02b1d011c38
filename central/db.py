"""The server's database: SQLite in the data folder by default, PostgreSQL by URL; Alembic at start."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from central.errors import CentralError, StorageFull, Unavailable

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class Database:
    """An engine and a session factory; ``session()`` commits on success, rolls back on error."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except OperationalError as exc:  # gone, locked, full: the request fails, the server stays
            raise database_refusal(exc) from exc

    def close(self) -> None:
        self.engine.dispose()


DISK_FULL_SQLSTATE = "53100"


def database_refusal(exc: OperationalError) -> CentralError:
    """What the admin reads when the database failed a request: full disk (507) or unavailable (503).

    Nothing of the request was committed (the transaction rolled back), so it can simply be retried.
    """
    reason = str(exc.orig).splitlines()[0][:200] if exc.orig is not None else type(exc).__name__
    full = getattr(exc.orig, "sqlstate", None) == DISK_FULL_SQLSTATE or any(
        words in reason.lower() for words in ("disk is full", "no space left")
    )
    log.error("Database: %s", reason)
    if full:
        return StorageFull(
            "the database's disk is full, so nothing was changed and the active release is still "
            "served; free space on the server and try again"
        )
    return Unavailable(
        f"the database did not answer ({reason}), so nothing was changed; try again in a minute, "
        "and if it lasts, check the database server and the server's log"
    )


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        if engine.url.database and engine.url.database != ":memory:":
            owner_only(Path(engine.url.database))

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def owner_only(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it holds token and password hashes).

    SQLite gives its -wal and -shm files the database file's mode, so those follow. A file left
    readable by an older version is tightened.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if each.stat().st_mode & 0o077:
                os.chmod(each, 0o600)
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("Cannot make %s readable by its owner only: %s", each, exc)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (SQLite and PostgreSQL alike)."""
    # Before the import: importing alembic sets up its plugins with a line each at INFO.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(url: str) -> Database:
    database = Database(url)
    migrate(database.engine)
    return database
