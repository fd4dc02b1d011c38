"""End to end with the real commands: keygen, publish to a folder, nginx serves it, kioskctl syncs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.core import open_core
from tests.kiosk.content.channel import Nginx, sha256, simple_source, svg


def kioskctl(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def kiosk_config(tmp_path: Path, url: str, public_key: Path, centre: str = "baku-1") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\ncentre = "{centre}"\n[content]\nurl = "{url}"\npublic_key = "{public_key}"\n',
        encoding="utf-8",
    )
    return path


def test_published_source_reaches_the_kiosk_and_a_change_moves_only_its_blob(
    tmp_path: Path, channel: Path, nginx: Nginx, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = kioskctl(capsys, "keygen", "--out", str(tmp_path / "keys"))
    assert code == 0 and "content.key" in out
    key, pub = tmp_path / "keys" / "content.key", tmp_path / "keys" / "content.pub"
    assert key.stat().st_mode & 0o777 == 0o600
    source = simple_source(tmp_path / "source", count=4)
    assert kioskctl(capsys, "validate", str(source))[0] == 0
    code, out, _ = kioskctl(capsys, "publish", str(source), "--key", str(key), "--to", str(channel))
    assert code == 0 and "release 1" in out
    config = str(kiosk_config(tmp_path, nginx.url, pub))
    common = ("--config", config, "--data-dir", str(data_dir))

    code, out, _ = kioskctl(capsys, "sync", "--once", *common)
    assert code == 0 and "installed release 1" in out
    code, out, _ = kioskctl(capsys, "status", "--json", *common)
    status = json.loads(out)
    assert status["active_release"] == 1 and status["content_origin"] == "sync"
    assert status["last_result"].startswith("installed release 1")
    assert status["cache_bytes"] == sum(len(svg(f"item {i} v1")) for i in range(4))
    core = open_core(load_settings(Path(config)), data_dir)
    try:
        content = core.content.active()
        assert [s.id for s in content.services] == [f"item-{i}" for i in range(4)]
        icon = core.content.resolve(content.services[2].icon)
        assert icon is not None and icon.read_bytes() == svg("item 2 v1")
    finally:
        core.close()

    # A poll with nothing new: one conditional GET answered 304.
    nginx.clear_log()
    code, out, _ = kioskctl(capsys, "sync", "--once", *common)
    assert code == 0 and out.startswith("unchanged")
    log = nginx.log(expect=1)
    assert [(uri, status) for _m, uri, status, *_ in log] == [("/manifest.json", 304)]
    assert log[0][3] + log[0][4] < 1024  # response + request bytes

    # Change one item's icon: only that blob (plus manifest and signature) crosses the network.
    (source / "icons" / "item-3.svg").write_bytes(svg("item 3 v2"))
    assert kioskctl(capsys, "publish", str(source), "--key", str(key), "--to", str(channel))[0] == 0
    nginx.clear_log()
    code, out, _ = kioskctl(capsys, "sync", "--once", *common)
    assert code == 0 and "installed release 2: 1 new of 4 blobs" in out
    uris = [uri for _m, uri, *_ in nginx.log(expect=3)]
    assert uris == ["/manifest.json", "/manifest.json.sig", f"/blobs/{sha256(svg('item 3 v2'))}"]
    status = json.loads(kioskctl(capsys, "status", "--json", *common)[1])
    assert status["active_release"] == 2
    # The rollback copy (release 1) keeps its old icon; nothing else is cached twice.
    assert status["cache_bytes"] == sum(len(svg(f"item {i} v1")) for i in range(4)) + len(svg("item 3 v2"))


def test_sync_without_a_channel_fails_with_one_line(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("", encoding="utf-8")
    code, _out, err = kioskctl(capsys, "sync", "--once", "--config", str(config), "--data-dir", str(data_dir))
    assert code == 1
    assert (
        err.strip().splitlines()[-1]
        == "kioskctl: [content] url: not set, so there is no channel to sync from"
    )
