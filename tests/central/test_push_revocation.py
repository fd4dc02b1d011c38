"""A revoked token's push stream ends: at once where the server hears of it, by its next keep-alive else.

Real servers on 127.0.0.1 (SQLite and PostgreSQL), real streams read over HTTP; revocations made as
the console makes them (in the server's process) and as IT staff make them (``python -m central
revoke-token``, another process that shares only the database).
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

import central.push
from central.cli import main
from central.push import parse_credentials
from tests.central.conftest import Fleet, make_fleet
from tests.central.server import PostgresCluster
from tests.central.test_api import auth

_names = itertools.count(1)
PROMPT_S = 2.0  # "promptly": a revocation the server hears of ends the stream within this


@dataclass
class HeldStream:
    """A push stream read in a thread over a plain socket (which the test can always cut).

    ``connected`` is set at the first release event, ``ended`` when the server closes the connection
    (asked with ``Connection: close``, so the end of the response is the end of the connection).
    """

    sock: socket.socket
    connected: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)
    received: bytearray = field(default_factory=bytearray)

    def read(self) -> None:
        try:
            while chunk := self.sock.recv(65536):
                self.received += chunk
                if b"event: release" in self.received:
                    self.connected.set()
        except OSError:
            pass  # cut by the test
        finally:
            self.ended.set()


@contextmanager
def held(fleet: Fleet, token: str) -> Iterator[HeldStream]:
    sock = socket.create_connection(("127.0.0.1", fleet.server.port), timeout=30)
    request = (
        f"GET /channels/main/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        "Connection: close\r\n\r\n"
    )
    sock.sendall(request.encode())
    stream = HeldStream(sock)
    reader = threading.Thread(target=stream.read, daemon=True)
    reader.start()
    try:
        assert stream.connected.wait(5), bytes(stream.received)
        assert stream.received.startswith(b"HTTP/1.1 200")
        yield stream
    finally:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        reader.join(5)


def push_status(fleet: Fleet, token: str) -> int:
    with requests.get(
        f"{fleet.server.channel_url()}/events", headers=auth(token), stream=True, timeout=5
    ) as response:
        return response.status_code


def cli(fleet: Fleet, *args: str) -> int:
    """The server's own command line, as IT staff run it: its own database connection, its own Central."""
    return main(["--data", str(fleet.server.data), "--database-url", fleet.server.database_url, *args])


def test_revoking_a_kiosk_token_ends_its_open_stream_at_once(any_fleet: Fleet) -> None:
    revoked, other = any_fleet.kiosk_tokens["baku-1-lobby"], any_fleet.kiosk_tokens["ganja-lobby"]
    with held(any_fleet, revoked) as stream, held(any_fleet, other) as bystander:
        any_fleet.central.accounts.revoke_token("kiosk", "baku-1-lobby")  # what the console does
        assert stream.ended.wait(PROMPT_S)
        assert push_status(any_fleet, revoked) == 401
        assert not bystander.ended.is_set()
        assert push_status(any_fleet, other) == 200


def test_revoking_an_admin_token_ends_its_open_stream(fleet: Fleet) -> None:
    with held(fleet, fleet.admin_token) as stream:
        fleet.central.accounts.revoke_token("admin", "admin")
        assert stream.ended.wait(PROMPT_S)
    assert push_status(fleet, fleet.admin_token) == 401


def test_a_renewed_kiosk_token_ends_the_stream_of_the_old_one(fleet: Fleet) -> None:
    old = fleet.kiosk_tokens["baku-1-lobby"]
    with held(fleet, old) as stream:
        new = fleet.central.accounts.renew_kiosk_token("baku-1-lobby")
        assert stream.ended.wait(PROMPT_S)
        with held(fleet, new) as renewed:
            assert not renewed.ended.is_set()
    assert push_status(fleet, old) == 401


@pytest.fixture
def pg_fleet(tmp_path: Path, postgres: PostgresCluster | None) -> Iterator[Fleet]:
    if postgres is None:
        pytest.skip("PostgreSQL is not installed (scripts/bootstrap.sh dev installs it)")
    made = make_fleet(tmp_path, postgres.create_database(f"revocation_{os.getpid()}_{next(_names)}"))
    yield made
    made.server.close()


def test_a_revocation_from_the_command_line_on_postgresql_ends_the_stream_at_once(pg_fleet: Fleet) -> None:
    assert central.push.KEEPALIVE_SECONDS >= 10  # so only the notification can end it this fast
    with held(pg_fleet, pg_fleet.kiosk_tokens["baku-1-lobby"]) as stream:
        assert cli(pg_fleet, "revoke-token", "kiosk", "baku-1-lobby") == 0
        assert stream.ended.wait(PROMPT_S)


def test_a_revocation_the_server_cannot_hear_ends_the_stream_by_the_next_keep_alive(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(central.push, "KEEPALIVE_SECONDS", 0.5)  # 15 s in service
    with held(fleet, fleet.kiosk_tokens["baku-1-lobby"]) as stream:
        assert not stream.ended.wait(0.8)  # alive across a keep-alive while its token is good
        assert cli(fleet, "revoke-token", "kiosk", "baku-1-lobby") == 0  # SQLite: no notification
        assert stream.ended.wait(PROMPT_S)
    assert b": keep-alive" in stream.received
    assert push_status(fleet, fleet.kiosk_tokens["baku-1-lobby"]) == 401


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("kiosk:baku-1-lobby", ("kiosk", "baku-1-lobby")),
        ("admin:laptop@office", ("admin", "laptop@office")),
        ("user:admin", None),
        ("kiosk:", None),
        ("kiosk:a\nb", None),
        ("kiosk:" + "k" * 129, None),
    ],
)
def test_only_a_well_formed_credentials_notification_checks_streams(
    payload: str, expected: tuple[str, str] | None
) -> None:
    assert parse_credentials(payload) == expected
