"""Push past one process: a release published through one server process reaches kiosks held by another.

Real servers on one throwaway PostgreSQL, real kiosk push clients; the processes share only the
database, exactly as uvicorn workers (or servers on several machines) do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from central.cli import load_settings, main
from central.push import APPLICATION_NAME, parse_payload
from kiosk.content.push import PushClient
from kiosk.content.remote import CentralClient, publish_remote
from tests.central.conftest import Fleet, make_fleet
from tests.central.server import PostgresCluster, RunningServer
from tests.kiosk.content.channel import simple_source

ROOT = Path(__file__).resolve().parents[2]
_names = iter(range(1, 1_000_000))


@pytest.fixture
def database_url(postgres: PostgresCluster | None) -> str:
    if postgres is None:
        pytest.skip("PostgreSQL is not installed (scripts/bootstrap.sh dev installs it)")
    return postgres.create_database(f"fanout_{os.getpid()}_{next(_names)}")


@pytest.fixture
def two_servers(tmp_path: Path, database_url: str) -> Iterator[tuple[Fleet, RunningServer]]:
    """Server A (with the channel, tokens and kiosks) and server B on the same database and data folder."""
    fleet = make_fleet(tmp_path, database_url)
    other = RunningServer(fleet.server.data, database_url).start()
    yield fleet, other
    other.close()
    fleet.server.close()


def held_stream(url: str, token: str) -> tuple[PushClient, threading.Event]:
    asked = threading.Event()
    push = PushClient(f"{url}/events", token, lambda: 0, asked.set)
    push.start()
    assert push.connected.wait(10)
    return push, asked


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def listeners(database_url: str) -> int:
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (APPLICATION_NAME,)
        ).fetchone()
    return int(row[0]) if row else 0


def test_a_release_published_through_one_server_reaches_a_kiosk_held_by_another(
    two_servers: tuple[Fleet, RunningServer], tmp_path: Path
) -> None:
    fleet, other = two_servers
    push, asked = held_stream(fleet.server.channel_url(), fleet.kiosk_tokens["baku-1-lobby"])
    try:
        assert not asked.is_set()  # release 0: nothing to fetch yet
        publish_remote(simple_source(tmp_path / "source", count=1), fleet.key, CentralClient(
            other.channel_url(), fleet.admin_token))  # fmt: skip
        assert asked.wait(5)
        assert push.server_release == 1
    finally:
        push.stop()


def test_a_release_published_while_the_listener_was_cut_off_arrives_after_it_reconnects(
    two_servers: tuple[Fleet, RunningServer], database_url: str, tmp_path: Path
) -> None:
    fleet, other = two_servers
    assert wait_until(lambda: listeners(database_url) == 2, 10)  # one LISTEN connection per server
    push, asked = held_stream(fleet.server.channel_url(), fleet.kiosk_tokens["ganja-lobby"])
    try:
        with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                (APPLICATION_NAME,),
            )
        # Published at once, before the listeners are back (their first retry waits 0.5 s): the
        # notification goes to nobody, and server A must find the release when it reconnects.
        publish_remote(simple_source(tmp_path / "source", count=1), fleet.key, CentralClient(
            other.channel_url(), fleet.admin_token))  # fmt: skip
        assert asked.wait(10)
        assert push.server_release == 1
        assert wait_until(lambda: listeners(database_url) == 2, 10)
    finally:
        push.stop()


def test_serve_with_two_workers_pushes_to_every_stream_whichever_worker_holds_it(
    tmp_path: Path, database_url: str
) -> None:
    fleet_data = tmp_path / "central"
    # Set up as IT staff would, with the command line (which also brings the schema up to date).
    from kiosk.content.signing import generate_keys

    private, public = generate_keys(tmp_path / "keys")
    common = ["--data", str(fleet_data), "--database-url", database_url]
    assert main([*common, "add-channel", "main", "--public-key", str(public)]) == 0
    from central.db import Database
    from central.service import Central

    central = Central(fleet_data, Database(database_url))
    admin = central.accounts.add_admin_token("admin")
    kiosk = central.add_kiosk("baku-1-lobby", "baku-1", "main")
    central.database.close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "server.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "central", *common, "serve", "--workers", "2", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    streams: list[tuple[PushClient, threading.Event]] = []
    try:
        url = f"http://127.0.0.1:{port}/channels/main"
        assert wait_until(lambda: _accepts(port) or server.poll() is not None, 30), "no server"
        assert server.poll() is None, log.read_text()
        streams = [held_stream(url, kiosk) for _ in range(6)]  # spread over both workers by the kernel
        publish_remote(simple_source(tmp_path / "source", count=1), private, CentralClient(url, admin))
        for push, asked in streams:
            assert asked.wait(5)
            assert push.server_release == 1
    finally:
        for push, _asked in streams:
            push.stop()
        server.terminate()
        server.wait(20)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def test_more_than_one_worker_on_sqlite_is_refused_with_the_reason(tmp_path: Path) -> None:
    parser_args = ["--data", str(tmp_path), "serve", "--workers", "2"]
    with pytest.raises(SystemExit) as refused:
        main(parser_args)
    assert "needs PostgreSQL" in str(refused.value)
    import argparse

    args = argparse.Namespace(
        config=None, data=tmp_path, database_url="postgresql+psycopg://u@h/db", command="serve", workers=2
    )
    assert load_settings(args).workers == 2


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("main:7", ("main", 7)),
        ("baku.lobby-2:123", ("baku.lobby-2", 123)),
        ("main:", None),
        (":7", None),
        ("main:-1", None),
        ("main:99999999999", None),
        ("Main:7", None),
        ("main:7\n", None),
    ],
)
def test_only_a_well_formed_notification_moves_the_push(
    payload: str, expected: tuple[str, int] | None
) -> None:
    assert parse_payload(payload) == expected
