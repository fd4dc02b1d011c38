"""Accounts from the command line, files only their owner can read, and the schema behind a token."""

from __future__ import annotations

import argparse
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from central.accounts import Accounts
from central.cli import load_settings, main
from central.db import open_database, sqlite_url
from tests.central.conftest import Fleet
from tests.central.test_api import auth
from tests.central.test_cli import central


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask most systems start services with: files readable by everyone unless asked otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_token_file_is_written_0600_by_a_quiet_command(tmp_path: Path, loose_umask: None) -> None:
    data, out = tmp_path / "data", tmp_path / "alice.token"
    made = central("--data", str(data), "add-admin-token", "alice", "--out", str(out))  # a real process
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""  # quiet: no migration lines at INFO
    assert mode(out) == 0o600 and out.read_text().startswith("gka_") and out.read_text() not in made.stdout
    assert mode(data / "central.db") == 0o600


def test_account_commands_list_and_revoke(
    tmp_path: Path, loose_umask: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data", str(tmp_path / "data"), *args])
        printed = capsys.readouterr()
        return code, printed.out, printed.err

    out = tmp_path / "alice.token"
    assert run("add-admin-token", "alice", "--out", str(out))[0] == 0
    code, _, err = run("add-admin-token", "bob", "--out", str(out))
    assert code == 1 and "already exists" in err and out.read_text().startswith("gka_")  # not overwritten
    assert token_names(tmp_path / "data") == ["alice"]  # bob was not made
    kiosk = tmp_path / "kiosk.token"
    assert run("add-kiosk", "baku-1-lobby", "--centre", "baku-1", "--out", str(kiosk))[0] == 0
    assert mode(kiosk) == 0o600 and kiosk.read_text().startswith("gkk_")

    code, printed, _ = run("revoke-token", "admin", "alice")
    assert code == 0 and "revoked" in printed
    listed = run("list-tokens")[1].splitlines()
    assert [line.split()[:2] for line in listed] == [["admin", "alice"], ["kiosk", "baku-1-lobby"]]
    assert "last used never" in listed[0] and " revoked 20" in listed[0]
    assert listed[1].endswith("active")
    renewed = tmp_path / "kiosk-2.token"
    assert run("renew-kiosk-token", "baku-1-lobby", "--out", str(renewed))[0] == 0
    assert renewed.read_text() != kiosk.read_text() and mode(renewed) == 0o600

    monkeypatch.setenv("GREEN_CENTRAL_PASSWORD", "a-long-password")
    assert run("add-user", "alice")[0] == 0
    code, _, err = run("add-user", "alice")
    assert code == 1 and "set-password" in err
    monkeypatch.setenv("GREEN_CENTRAL_PASSWORD", "another-password")
    code, printed, _ = run("set-password", "alice")
    assert code == 0 and "0 sessions ended" in printed
    assert run("list-users")[1].split()[0] == "alice"
    assert run("remove-user", "alice")[0] == 0
    assert run("list-users")[1] == ""
    assert run("remove-user", "alice")[1:] == ("", "remove-user: no console user 'alice'\n")


def token_names(data: Path) -> list[str]:
    database = open_database(sqlite_url(data / "central.db"))
    try:
        return [t.name for t in Accounts(database, lambda: datetime.now(UTC)).tokens()]
    finally:
        database.close()


def test_the_database_and_its_journal_are_only_the_owners(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "central.db"
    database = open_database(sqlite_url(path))
    try:
        with database.engine.connect() as connection:  # WAL mode: -wal and -shm exist while open
            connection.exec_driver_sql("SELECT 1")
            found = {p.name: mode(p) for p in tmp_path.iterdir()}
    finally:
        database.close()
    assert found == {"central.db": 0o600, "central.db-wal": 0o600, "central.db-shm": 0o600}


def test_an_older_readable_database_is_tightened(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "central.db"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    open_database(sqlite_url(path)).close()
    assert mode(path) == 0o600


def test_the_api_schema_needs_an_admin_token(fleet: Fleet) -> None:
    url = f"{fleet.server.url}/openapi.json"
    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, headers=auth(fleet.kiosk_tokens["ganja-lobby"]), timeout=5).status_code == 403
    schema = requests.get(url, headers=auth(fleet.admin_token), timeout=5)
    assert schema.status_code == 200 and "/api/kiosk/reports" in schema.json()["paths"]
    assert "/openapi.json" not in schema.json()["paths"]
    assert requests.get(f"{fleet.server.url}/docs", timeout=5).status_code == 404


def test_trusted_proxies_are_addresses_or_the_config_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "central.toml"
    config.write_text('[server]\ndata = "data"\ntrusted_proxies = ["127.0.0.1", "10.0.0.0/8"]\n', "utf-8")
    args = argparse.Namespace(config=str(config), data=None, database_url=None)
    assert load_settings(args).trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    given = argparse.Namespace(config=str(config), data=None, database_url=None, trusted_proxies=["::1"])
    assert load_settings(given).trusted_proxies == ("::1",)  # the command line wins
    config.write_text('[server]\ndata = "data"\ntrusted_proxies = ["127.0.0.l"]\n', "utf-8")
    with pytest.raises(SystemExit, match=r"trusted_proxies: '127.0.0.l' is not an IP address"):
        load_settings(args)
