"""`kioskctl approve` against a compromised central server: what is signed is what the signer saw.

The server is the real one on 127.0.0.1; the attacker's part is a draft whose manifest was changed in the
server's own database after the console proposed it, while its description still says "roll back".
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from kiosk.cli import main
from kiosk.content.remote import CentralClient, publish_remote
from tests.central.conftest import Fleet
from tests.conftest import REPO_ROOT
from tests.kiosk.content.channel import simple_source

EVIL_URL = "https://e-gov.az.example-login.net/item-0?from=kiosk&session=steal"
LONG_RU = (
    "Внимание: из-за технических работ все услуги центра временно перенесены на сайт, указанный ниже; "
    "оплату принимаем только переводом."
)


def proposed_rollback(fleet: Fleet, tmp_path: Path) -> tuple[CentralClient, int]:
    """Release 1 (two cards), release 2 (three cards), then a console draft to roll back to release 1."""
    client = CentralClient(fleet.server.channel_url(), fleet.admin_token)
    publish_remote(simple_source(tmp_path / "v1", count=2, tag="v1"), fleet.key, client)
    publish_remote(simple_source(tmp_path / "v2", count=3, tag="v2"), fleet.key, client)
    return client, client.propose_rollback(1)


def tamper(fleet: Fleet, draft: int, change: Callable[[dict[str, Any]], None]) -> None:
    """What an attacker with the server's database does: the draft's bytes change, its description not."""
    with sqlite3.connect(fleet.server.data / "central.db") as db:
        (data,) = db.execute("SELECT manifest FROM drafts WHERE id = ?", (draft,)).fetchone()
        doc = json.loads(data)
        change(doc["content"])
        forged = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        db.execute("UPDATE drafts SET manifest = ? WHERE id = ?", (forged, draft))


def hijack(content: dict[str, Any]) -> None:
    content["services"][0]["url"] = EVIL_URL
    content["announcements"] = [
        {
            "id": "notice",
            "level": "info",
            "starts": "2026-01-01T09:00:00+04:00",
            "ends": "2036-01-01T09:00:00+04:00",
            "text": {"az": "Xidmətlər davam edir", "en": "Services continue", "ru": LONG_RU},
        }
    ]


def kioskctl_in_terminal(tmp_path: Path, fleet: Fleet, answer: str, *args: str) -> tuple[int, str]:
    """Run kioskctl approve with a real terminal (pty) as its input, typing ``answer``."""
    controller, terminal = os.openpty()
    token = tmp_path / "admin.token"
    token.write_text(fleet.admin_token, encoding="utf-8")
    try:
        os.write(controller, answer.encode() + b"\n")
        done = subprocess.run(
            [sys.executable, "-m", "kiosk.cli", "approve", fleet.server.channel_url(),
             "--key", str(fleet.key), "--token-file", str(token), *args],
            stdin=terminal, capture_output=True, text=True, timeout=60, cwd=REPO_ROOT,
        )  # fmt: skip
    finally:
        os.close(terminal)
        os.close(controller)
    return done.returncode, done.stdout + done.stderr


def test_the_signer_sees_the_real_url_and_every_text_and_no_signs_nothing(
    fleet: Fleet, tmp_path: Path
) -> None:
    client, draft = proposed_rollback(fleet, tmp_path)
    tamper(fleet, draft, hijack)
    [pending] = client.drafts()
    assert "roll back" in pending["description"] and EVIL_URL not in pending["description"]

    code, out = kioskctl_in_terminal(tmp_path, fleet, "no")
    assert code != 0
    assert EVIL_URL in out  # the URL the QR code would carry, in full
    assert LONG_RU in out and "Services continue" in out  # every language, beyond 80 characters
    assert "- service item-2 (removed)" in out and "+ announcement notice (added)" in out
    assert "not signed" in out
    assert client.active_release() == 2 and len(client.drafts()) == 1

    code, out = kioskctl_in_terminal(tmp_path, fleet, "yes")
    assert code == 0, out
    assert EVIL_URL in out and "published as release 3" in out
    assert client.active_release() == 3


def test_yes_signs_without_asking_and_prints_the_same_difference(
    fleet: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, draft = proposed_rollback(fleet, tmp_path)
    tamper(fleet, draft, hijack)
    url, key = fleet.server.channel_url(), str(fleet.key)
    os.environ["GREEN_KIOSK_ADMIN_TOKEN"] = fleet.admin_token
    try:
        assert main(["approve", url, "--key", key]) == 1  # no terminal to ask in, and no --yes
        refused = capsys.readouterr()
        assert "no terminal" in refused.err and client.active_release() == 2
        assert main(["approve", url, "--key", key, "--yes"]) == 0
    finally:
        del os.environ["GREEN_KIOSK_ADMIN_TOKEN"]
    out = capsys.readouterr().out
    assert EVIL_URL in out and LONG_RU in out
    assert "url\n      was: https://www.e-gov.az/item-0\n      now: " + EVIL_URL in out
    served = json.loads((fleet.server.data / "channels" / "main" / "manifest.json").read_bytes())
    assert served["release"] == 3 and served["content"]["services"][0]["url"] == EVIL_URL  # what was shown


def test_a_draft_a_kiosk_would_refuse_is_not_signed(
    fleet: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, draft = proposed_rollback(fleet, tmp_path)

    def break_it(content: dict[str, Any]) -> None:
        content["services"][1]["url"] = "javascript:alert(1)"

    tamper(fleet, draft, break_it)
    os.environ["GREEN_KIOSK_ADMIN_TOKEN"] = fleet.admin_token
    try:
        code = main(["approve", fleet.server.channel_url(), "--key", str(fleet.key), "--yes"])
    finally:
        del os.environ["GREEN_KIOSK_ADMIN_TOKEN"]
    captured = capsys.readouterr()
    assert code == 1
    assert "NOT SIGNED, a kiosk would refuse it" in captured.out
    assert "services[1].url" in captured.out and "javascript:alert(1)" in captured.out
    assert client.active_release() == 2


def test_preview_renders_the_draft_with_the_kiosks_own_renderer(
    fleet: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, draft = proposed_rollback(fleet, tmp_path)
    tamper(fleet, draft, hijack)
    out = tmp_path / "preview"
    os.environ["GREEN_KIOSK_ADMIN_TOKEN"] = fleet.admin_token
    try:
        code = main(
            ["approve", fleet.server.channel_url(), "--key", str(fleet.key), "--yes", "--preview", str(out),
             "--languages", "ru", "--sizes", "1080x1920"]
        )  # fmt: skip
    finally:
        del os.environ["GREEN_KIOSK_ADMIN_TOKEN"]
    assert code == 0, capsys.readouterr().err
    shots = out / f"draft-{draft}"
    names = {p.name for p in shots.glob("*.png")}
    assert {f"{view}_ru_1080x1920.png" for view in ("energy", "video", "services")} <= names
    assert {n for n in names if n.startswith("service-")} == {
        "service-item-0_ru_1080x1920.png",
        "service-item-1_ru_1080x1920.png",
    }  # one page per service of the draft
    assert "announcement-notice_ru_1080x1920.png" in names
    for name in names:
        image = QImage(str(shots / name))
        assert (image.width(), image.height()) == (1080, 1920) and (shots / name).stat().st_size > 10_000
    assert client.active_release() == 3


def test_rollback_shows_the_difference_and_asks_like_approve(
    fleet: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = CentralClient(fleet.server.channel_url(), fleet.admin_token)
    publish_remote(simple_source(tmp_path / "v1", count=2, tag="v1"), fleet.key, client)
    publish_remote(simple_source(tmp_path / "v2", count=3, tag="v2"), fleet.key, client)
    command = ["rollback", fleet.server.channel_url(), "--release", "1", "--key", str(fleet.key)]
    os.environ["GREEN_KIOSK_ADMIN_TOKEN"] = fleet.admin_token
    try:
        assert main(command) == 1  # no terminal to ask in, and no --yes
        assert client.drafts() == [] and client.active_release() == 2
        assert main([*command, "--yes"]) == 0
    finally:
        del os.environ["GREEN_KIOSK_ADMIN_TOKEN"]
    out = capsys.readouterr().out
    assert "- service item-2 (removed)" in out and "Published release 3: the content of release 1" in out
    assert client.active_release() == 3


def test_an_active_release_not_signed_by_the_key_stops_approve(
    fleet: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that lies about what is active would make the difference a lie too."""
    client, _draft = proposed_rollback(fleet, tmp_path)
    served = fleet.server.data / "channels" / "main" / "manifest.json"
    served.write_bytes(served.read_bytes().replace(b"item-2", b"item-9"))
    os.environ["GREEN_KIOSK_ADMIN_TOKEN"] = fleet.admin_token
    try:
        code = main(["approve", fleet.server.channel_url(), "--key", str(fleet.key), "--yes"])
    finally:
        del os.environ["GREEN_KIOSK_ADMIN_TOKEN"]
    assert code == 1
    assert "the channel's active release is not signed by this key" in capsys.readouterr().err
    assert len(client.drafts()) == 1
