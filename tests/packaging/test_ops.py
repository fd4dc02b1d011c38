"""kioskctl doctor and the database copy kept before a migration (no build needed)."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk import selftest
from kiosk.checks import FAIL, OK, SKIP, WARN
from kiosk.cli import build_parser
from kiosk.doctor import run_doctor
from kiosk.store.db import DB_NAME, head_revisions, open_store
from tests.packaging.helpers import make_database_at, read_state, revisions


def doctor(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, tuple[str, str]]]:
    args = build_parser().parse_args(["doctor", "--json", "--timeout", "2", *argv])
    status = int(args.run(args))
    checks = {c["name"]: (c["result"], c["detail"]) for c in json.loads(capsys.readouterr().out)}
    return status, checks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_doctor_passes_the_demo_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nid = "baku-1-lobby"\n', encoding="utf-8")
    status, checks = doctor(capsys, "--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert status == 0, checks
    assert checks["config"][0] == OK and "baku-1-lobby" in checks["config"][1]
    assert checks["content"][0] == SKIP
    assert checks["energy"][0] == OK
    assert list(checks) == [
        "config", "display", "session", "display sleep", "gl", "video decoding", "fonts", "data dir",
        "database", "clock", "content", "central", "energy",
    ]  # fmt: skip


def test_doctor_fails_on_a_bad_config_an_unreachable_server_and_a_wrong_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[display]\nlangauge = 'az'\n", encoding="utf-8")
    status, checks = doctor(capsys, "--config", str(bad), "--data-dir", str(tmp_path / "data"))
    assert status == 1
    assert checks["config"][0] == FAIL and "langauge" in checks["config"][1]

    key = tmp_path / "content.pub"
    from kiosk.content.signing import generate_keys

    _private, public = generate_keys(tmp_path / "keys")
    key.write_bytes(public.read_bytes())
    config = tmp_path / "kiosk.toml"
    port = free_port()  # nobody listens there
    config.write_text(
        f'[content]\nurl = "http://127.0.0.1:{port}/channel/"\npublic_key = "content.pub"\n'
        f'[energy]\nsource = "fronius"\nurl = "http://127.0.0.1:{port}"\ntimeout_seconds = 1.0\n',
        encoding="utf-8",
    )
    status, checks = doctor(capsys, "--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert status == 1
    assert checks["content"][0] == FAIL and "cannot fetch" in checks["content"][1]
    assert checks["energy"][0] == FAIL

    args = build_parser().parse_args(["doctor", "--data-dir", str(tmp_path / "data")])
    results = {r.name: r for r in run_doctor(args, now=lambda: datetime(2000, 1, 1, tzinfo=UTC))}
    assert results["clock"].result == FAIL


def test_doctor_flags_a_database_from_a_newer_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    make_database_at(data / DB_NAME, "heads")
    import sqlite3

    with sqlite3.connect(data / DB_NAME) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    db.close()
    status, checks = doctor(capsys, "--data-dir", str(data))
    assert checks["database"][0] == FAIL and "newer version" in checks["database"][1]
    assert status == 1


def test_migration_keeps_a_copy_of_the_old_database_for_rolling_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    make_database_at(data / DB_NAME, "0001", state={"last_sync": '"kept"'})
    store = open_store(data)
    store.close()
    assert revisions(data / DB_NAME) == head_revisions()
    copy = data / f"{DB_NAME}.pre-0001"
    assert revisions(copy) == {"0001"}
    assert read_state(copy, "last_sync") == '"kept"'
    open_store(data).close()  # already current: no new copy, nothing migrated
    assert sorted(p.name for p in data.glob("kiosk.db.pre-*")) == ["kiosk.db.pre-0001"]


def test_doctor_names_the_package_of_each_missing_session_piece(tmp_path: Path) -> None:
    """A minimal Debian root without libpam-systemd and dbus: cage would find no seat and no runtime dir."""
    from kiosk.config import Settings
    from kiosk.session_checks import LOGIND, session_check

    (tmp_path / LOGIND[0].lstrip("/")).parent.mkdir(parents=True)
    (tmp_path / LOGIND[0].lstrip("/")).touch()
    result = session_check(Settings(), which=lambda name: f"/usr/bin/{name}", root=tmp_path)
    assert result.result == FAIL
    assert "apt install libpam-systemd" in result.detail and "apt install dbus" in result.detail
    assert "systemd-logind" not in result.detail


def test_doctor_says_whether_video_is_decoded_by_the_gpu(tmp_path: Path) -> None:
    from kiosk.session_checks import vaapi_check

    assert vaapi_check([]).detail.startswith("hardware video decoding not available")
    not_a_gpu = tmp_path / "renderD128"
    not_a_gpu.write_bytes(b"")
    result = vaapi_check([not_a_gpu])  # libva opens it and finds no driver: the words IT staff act on
    assert result.result == WARN and "not available" in result.detail


def test_kioskctl_self_test_runs_the_kiosk_binary_and_passes_on_its_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Qt half runs in the kiosk binary (main.py --self-test), so kioskctl itself needs no Qt."""
    bad = tmp_path / "bad.toml"
    bad.write_text("[display]\nlangauge = 'az'\n", encoding="utf-8")
    args = build_parser().parse_args(["self-test", "--json", "--config", str(bad)])
    status = int(args.run(args))
    checks = {c["name"]: (c["result"], c["detail"]) for c in json.loads(capsys.readouterr().out)}
    assert status == 1
    assert checks["config"][0] == FAIL and "langauge" in checks["config"][1]


def test_kioskctl_self_test_fails_clearly_when_the_kiosk_binary_cannot_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "green-kiosk"
    broken.write_text(
        "#!/bin/sh\necho 'cannot load the Qt platform plugin' >&2\nexit 134\n", encoding="utf-8"
    )
    broken.chmod(0o755)
    monkeypatch.setattr(selftest, "kiosk_command", lambda: [str(broken)])
    args = build_parser().parse_args(["self-test", "--json"])
    status = int(args.run(args))
    [check] = json.loads(capsys.readouterr().out)
    assert status == 1
    assert check["name"] == "kiosk binary" and check["result"] == FAIL and "status 134" in check["detail"]
