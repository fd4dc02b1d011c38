"""The schema's migrations form one chain, and a database made by the first release upgrades to it.

Two branches each added a second migration; a fork in the chain would stop ``alembic upgrade head``
on every server, so the chain itself is checked, and a 0001 database with tokens in it is upgraded
on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from central.db import MIGRATIONS_DIR, make_engine, open_database, sqlite_url
from central.security import ADMIN_TOKEN_PREFIX, KIOSK_TOKEN_PREFIX, new_token, token_hash
from central.service import Central
from tests.central.server import PostgresCluster

FIRST = "0001"
_names = iter(range(1, 1_000_000))


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _run(engine: Engine, step: str, revision: str) -> None:
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, step)(config, revision)


def _current(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresCluster | None
) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "central.sqlite")
        return
    if postgres is None:
        pytest.skip("PostgreSQL is not installed (scripts/bootstrap.sh dev installs it)")
    yield postgres.create_database(f"migrations_{next(_names)}")


def test_the_migrations_are_one_chain_from_the_first_to_the_head() -> None:
    script = ScriptDirectory.from_config(_config())
    heads = script.get_heads()
    assert len(heads) == 1, f"the migrations fork: heads {heads}"
    chain = [rev.revision for rev in script.walk_revisions("base", heads[0])]
    assert chain[-1] == FIRST
    assert len(chain) == len(list(script.walk_revisions())), "a migration is off the chain"
    assert {"0002_typed_drafts", "0003_revocation"} <= set(chain)


def test_a_fresh_database_is_at_the_head(database_url: str) -> None:
    database = open_database(database_url)
    try:
        assert _current(database.engine) == set(ScriptDirectory.from_config(_config()).get_heads())
    finally:
        database.close()


def test_a_first_release_database_keeps_its_tokens_through_the_upgrade(
    database_url: str, tmp_path: Path
) -> None:
    old = make_engine(database_url)
    _run(old, "upgrade", FIRST)
    admin, kiosk = new_token(ADMIN_TOKEN_PREFIX), new_token(KIOSK_TOKEN_PREFIX)
    now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    with old.begin() as connection:
        connection.execute(
            text("INSERT INTO admin_tokens (name, token_hash, created) VALUES ('ops', :hash, :now)"),
            {"hash": token_hash(admin), "now": now},
        )
        connection.execute(
            text(
                "INSERT INTO kiosks (id, centre, channel, token_hash, created, app_version, "
                "energy_state, last_error, screenshot_requested) "
                "VALUES ('baku-1-lobby', 'baku-1', 'main', :hash, :now, '1.0', '', '', false)"
            ),
            {"hash": token_hash(kiosk), "now": now},
        )
    old.dispose()

    database = open_database(database_url)  # what the server does when it starts
    try:
        accounts = Central(tmp_path / "data", database).accounts
        assert accounts.admin_for(admin) == "ops"
        assert accounts.kiosk_for(kiosk) == "baku-1-lobby"
        accounts.revoke_kiosk_token("baku-1-lobby")  # the new column is there and counts
        assert accounts.kiosk_for(kiosk) is None
        with database.engine.connect() as connection:
            doubt, skew = connection.execute(text("SELECT doubt, clock_skew_s FROM kiosks")).one()
        assert (doubt, skew) == ("", None)

        _run(database.engine, "downgrade", FIRST)  # and the chain goes back down, too
        assert _current(database.engine) == {FIRST}
        _run(database.engine, "upgrade", "head")
        assert accounts.admin_for(admin) == "ops"
    finally:
        database.close()
