from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from kiosk.errors import StoreError
from kiosk.store.db import DB_NAME, head_revisions, open_store, schema_revisions
from kiosk.store.models import KioskState


def test_migrations_create_the_schema_from_empty(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        tables = set(inspect(store.engine).get_table_names())
        assert {"content_release", "kiosk_state", "energy_reading", "alembic_version"} <= tables
        assert schema_revisions(store.engine) == head_revisions() != set()
    finally:
        store.close()


def test_database_uses_wal_mode(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        store.close()


def test_reopening_keeps_data_and_aware_times(data_dir: Path) -> None:
    when = datetime(2026, 3, 20, 8, 30, tzinfo=UTC)
    store = open_store(data_dir)
    with store.session() as session:
        session.add(KioskState(key="last_sync", value='"ok"', updated_at=when))
    store.close()
    store = open_store(data_dir)
    try:
        with store.session() as session:
            row = session.scalars(select(KioskState)).one()
            assert row.value == '"ok"'
            assert row.updated_at == when and row.updated_at.tzinfo is not None
    finally:
        store.close()


@pytest.mark.parametrize(
    "garbage", [b"this is not a database" * 100, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_corrupt_database_is_moved_aside_and_replaced(
    data_dir: Path, garbage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    (data_dir / DB_NAME).write_bytes(garbage)
    store = open_store(data_dir, now=lambda: datetime(2026, 11, 25, 7, 0, 5, tzinfo=UTC))
    try:
        kept = data_dir / f"{DB_NAME}.corrupt-20261125T070005Z"
        assert kept.read_bytes() == garbage
        assert schema_revisions(store.engine) == head_revisions()
        assert "is corrupt" in caplog.text and str(kept) in caplog.text
    finally:
        store.close()


def test_database_with_damaged_pages_is_moved_aside(data_dir: Path) -> None:
    store = open_store(data_dir)
    with store.session() as session:
        session.add_all(
            KioskState(key=f"k{i}", value="x" * 500, updated_at=datetime.now(UTC)) for i in range(200)
        )
    store.close()
    path = data_dir / DB_NAME
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(raw) - 4096, 4096):
        raw[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(raw))
    store = open_store(data_dir)
    try:
        assert list(data_dir.glob(f"{DB_NAME}.corrupt-*"))
        with store.session() as session:
            assert session.scalars(select(KioskState)).all() == []
    finally:
        store.close()


def test_fast_path_knows_the_same_heads_as_alembic(data_dir: Path) -> None:
    from kiosk.store.db import _known_heads

    assert _known_heads() == head_revisions()


def test_start_up_on_a_current_database_does_not_import_alembic(data_dir: Path) -> None:
    import subprocess
    import sys

    open_store(data_dir).close()
    code = (
        "import sys; from pathlib import Path; from kiosk.store.db import open_store; "
        f"open_store(Path({str(data_dir)!r})).close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_failing_migration_leaves_the_database_as_it_was(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import kiosk.store.db as db
    from kiosk.errors import StoreError

    open_store(data_dir).close()
    before = schema_revisions(open_store(data_dir).engine)
    migrations = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, migrations)
    heads = sorted(head_revisions())
    (migrations / "versions" / "9999_broken.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = '9999'\ndown_revision = {tuple(heads)!r}\nbranch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.create_table('half_done', sa.Column('id', sa.Integer(), primary_key=True))\n"
        "    op.execute('SELECT no_such_function()')\n"
        "def downgrade():\n    pass\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(db, "MIGRATIONS_DIR", migrations)
    with pytest.raises(StoreError, match="left as it was"):
        open_store(data_dir)
    with sqlite3.connect(data_dir / DB_NAME) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        stored = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
    assert "half_done" not in tables
    assert stored == before


def test_a_locked_database_is_reported_and_never_moved_aside(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLITE_BUSY says nothing about the file: before, a kiosk started beside a holder of the lock
    moved the healthy database aside as "corrupt"."""
    monkeypatch.setattr("kiosk.store.db.LOCK_WAIT_SECONDS", 0.05)
    open_store(data_dir).close()
    path = data_dir / DB_NAME
    holder = sqlite3.connect(path, timeout=0)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("CREATE TABLE held (x)")  # the write takes the exclusive lock and keeps it
        with pytest.raises(StoreError, match=r"left as it is \(not corrupt\)") as raised:
            open_store(data_dir)
        assert "SQLITE_BUSY" in str(raised.value)
        assert not list(data_dir.glob(f"{DB_NAME}.corrupt-*"))
    finally:
        holder.close()
    open_store(data_dir).close()  # once the lock is gone it opens as before
