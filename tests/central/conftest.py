"""Fixtures: a real central server on 127.0.0.1 with a channel, an admin token and two kiosks."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.content.signing import generate_keys
from tests.central.server import PostgresCluster, RunningServer
from tests.kiosk.content.channel import Nginx

_databases = itertools.count(1)


@dataclass
class Fleet:
    """A running server set up as an administrator would: keys, channel ``main``, tokens."""

    server: RunningServer
    key: Path
    public_key: Path
    admin_token: str
    kiosk_tokens: dict[str, str]

    @property
    def central(self):  # type: ignore[no-untyped-def]
        return self.server.central


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster | None]:
    """A PostgreSQL cluster for the whole session, or None where Debian's PostgreSQL is not installed."""
    binaries = PostgresCluster.find_binaries()
    if binaries is None:
        yield None
        return
    # Not under pytest's folder: that is private to root, and PostgreSQL runs as its own user.
    folder = Path(tempfile.mkdtemp(prefix="green-central-pg-"))
    cluster = PostgresCluster(folder, binaries).start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def make_fleet(tmp_path: Path, database_url: str | None = None) -> Fleet:
    private, public = generate_keys(tmp_path / "keys")
    server = RunningServer(tmp_path / "central", database_url)
    server.central.add_channel("main", public.read_bytes())
    admin_token = server.central.accounts.add_admin_token("admin")
    kiosks = {
        "baku-1-lobby": server.central.add_kiosk("baku-1-lobby", "baku-1", "main"),
        "ganja-lobby": server.central.add_kiosk("ganja-lobby", "ganja", "main"),
    }
    server.start()
    return Fleet(server, private, public, admin_token, kiosks)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_fleet(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresCluster | None
) -> Iterator[Fleet]:
    """The same tests against SQLite and against a real PostgreSQL."""
    url = None
    if request.param == "postgresql":
        if postgres is None:
            pytest.skip("PostgreSQL is not installed (scripts/bootstrap.sh dev installs it)")
        url = postgres.create_database(f"central_{next(_databases)}")
    fleet = make_fleet(tmp_path, url)
    yield fleet
    fleet.server.close()


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Fleet]:
    """A server on SQLite (for tests where the database does not matter)."""
    made = make_fleet(tmp_path)
    yield made
    made.server.close()


@pytest.fixture
def nginx_channel(tmp_path: Path) -> Iterator[tuple[Nginx, Path]]:
    """Debian's nginx serving an empty channel folder (to compare with the server's channel)."""
    folder = tmp_path / "nginx-channel"
    folder.mkdir()
    running = Nginx(folder, tmp_path / "nginx")
    yield running, folder
    running.close()
