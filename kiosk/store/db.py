"""Opening the kiosk's SQLite database: WAL mode, migrations at start-up, recovery from corruption.

A kiosk in a lobby has nobody to repair a broken database file, so a file SQLite itself reports as
corrupt is moved aside (kept for IT staff to inspect) and a fresh one is created: the kiosk still starts.
A full disk, an I/O error or a lock is not corruption: the file is left alone and the error reported,
so the release, energy history and unsent reports are there again once the cause is gone.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy.exc
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = logging.getLogger(__name__)
logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines at import and each step: noise

DB_NAME = "kiosk.db"
LOCK_WAIT_SECONDS = 5.0
"""How long the start-up check waits for another holder of the database's lock before reporting it."""
CORRUPT_CODES = {11: "SQLITE_CORRUPT", 26: "SQLITE_NOTADB"}
"""Primary SQLite result codes that mean the file itself is damaged (extended codes keep them in the
low byte); only these, or a failing quick_check, move a database aside."""
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class Store:
    """The kiosk's database: an engine plus a session factory, shared by all core services."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path, *, now: Callable[[], datetime] | None = None) -> Store:
    """Open (creating or repairing as needed) and migrate the database in ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_NAME
    try:
        _check_readable(path)
    except _CorruptDatabaseError as exc:
        moved = _move_aside(path, (now or (lambda: datetime.now(UTC)))())
        log.error("Database %s is corrupt (%s); moved it to %s and created a new one", path, exc, moved)
    except (sqlite3.Error, OSError) as exc:
        detail = f"{exc} ({_error_name(exc)})" if _error_name(exc) else str(exc)
        raise StoreError(
            f"{path}: the database cannot be opened now: {detail}; it is left as it is (not corrupt) - "
            "free disk space or fix the cause, and the next start opens it again"
        ) from exc
    engine = _make_engine(path)
    try:
        migrate(engine)
    except Exception as exc:  # any failure: the whole migration was rolled back, the old schema stays
        engine.dispose()
        reason = exc.orig if isinstance(exc, sqlalchemy.exc.DBAPIError) else exc
        raise StoreError(f"{path}: database cannot be migrated (left as it was): {reason}") from exc
    return Store(path, engine)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is already there).

    Alembic itself (half a second to import) is loaded only when there is something to migrate.
    """
    stored = _stored_revisions(engine)
    if stored == _known_heads():
        return
    if stored:
        _keep_copy(engine, stored)
    from alembic import command

    config = _alembic_config()
    log.info("Migrating the database from schema %s", ",".join(sorted(stored)) or "none (new database)")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def _keep_copy(engine: Engine, revisions: set[str]) -> None:
    """Before a migration: copy the database to ``kiosk.db.pre-<revision>``, for going back to the
    previous version of the kiosk (which cannot read the newer schema). packaging/README.md: roll back.
    """
    path = Path(engine.url.database or "")
    target = path.with_name(f"{path.name}.pre-{'-'.join(sorted(revisions))}")
    source, copy = sqlite3.connect(path), sqlite3.connect(target)
    try:
        source.backup(copy)  # consistent even with a WAL file beside it
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, to copy back by hand
    finally:
        copy.close()
        source.close()
    log.info("Copied the database (schema %s) to %s before migrating it", ",".join(sorted(revisions)), target)


_REVISION = re.compile(r"^(revision|down_revision)\s*=\s*(.+)$", re.MULTILINE)


def _known_heads() -> set[str]:
    """Revisions no other revision builds on, read from the migration files without importing Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        fields = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" not in fields:
            continue
        revisions.add(fields["revision"].strip().strip("'\""))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", fields.get("down_revision", "")))
    return revisions - parents


def _stored_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except sqlalchemy.exc.OperationalError:  # no table yet: an empty database
            return set()
    return {row[0] for row in rows}


def schema_revisions(engine: Engine) -> set[str]:
    """The Alembic revisions the database is at (empty for an empty database)."""
    return _stored_revisions(engine)


def head_revisions() -> set[str]:
    """The newest revisions the code knows, as Alembic computes them."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(_alembic_config()).get_heads())


def _alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _make_engine(path: Path) -> Engine:
    """An engine whose transactions are real SQLite transactions, DDL included.

    Python's sqlite3 module does not open a transaction before CREATE or ALTER, so a migration cut off
    half-way (power cut, kill, error) would leave half a schema behind. SQLAlchemy's documented recipe:
    let the driver autocommit and emit BEGIN ourselves; then a migration commits whole or not at all.
    """
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE: take the write lock at the start. A deferred transaction that reads, then writes
        # after another thread committed (sync state, outbox, energy history) fails at once with
        # "database is locked" in WAL mode, whatever busy_timeout says; this one waits its turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class _CorruptDatabaseError(Exception):
    """SQLite itself says the file is damaged (quick_check, SQLITE_CORRUPT or SQLITE_NOTADB)."""


def _error_name(exc: BaseException) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def _is_corrupt(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and (code & 0xFF) in CORRUPT_CODES


def _check_readable(path: Path) -> None:
    """Raise _CorruptDatabaseError when SQLite reports the file damaged; other errors pass through.

    A full disk (SQLITE_FULL), an I/O error (SQLITE_IOERR) or a lock raise sqlite3.Error or OSError as
    they are: those say nothing about the file's contents.
    """
    if not path.exists():
        return
    try:
        connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=LOCK_WAIT_SECONDS)
        try:
            row = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        if _is_corrupt(exc):
            raise _CorruptDatabaseError(f"{exc} ({_error_name(exc)})") from exc
        raise
    if row is None or row[0] != "ok":
        raise _CorruptDatabaseError(f"integrity check failed: {row[0] if row else 'no answer'}")


def _move_aside(path: Path, when: datetime) -> Path:
    stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            part.replace(Path(str(target) + suffix))
    return target
