"""Remote settings end to end: published in a signed release, synced by a kiosk, shown by its status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.admin_pin import hash_pin
from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.core import open_core
from tests.kiosk.content.channel import ChannelServer, simple_source

OLD_PIN = hash_pin("1357", iterations=10_000)
NEW_PIN = hash_pin("2468", iterations=10_000)


def kioskctl(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def with_settings(source: Path, toml: str) -> Path:
    """Append ``[[settings]]`` entries (TOML text) to a source folder's content.toml."""
    path = source / "content.toml"
    path.write_text(path.read_text(encoding="utf-8") + toml, encoding="utf-8")
    return source


def test_sync_switches_open_hours_language_and_pin_and_a_new_release_switches_them_again(
    tmp_path: Path, channel: Path, server: ChannelServer, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kioskctl(capsys, "keygen", "--out", str(tmp_path / "keys"))
    key, pub = tmp_path / "keys" / "content.key", tmp_path / "keys" / "content.pub"
    first = with_settings(
        simple_source(tmp_path / "v1", count=1),
        f"""
[[settings]]
centres = ["baku-1"]
display = {{ open_hours = "09:00-18:00", language = "en" }}
[[settings]]
kiosks = ["lobby-2"]
admin = {{ pin_hash = "{NEW_PIN}" }}
[[settings]]
centres = ["ganja-1"]
display = {{ language = "ru" }}
""",
    )
    assert kioskctl(capsys, "publish", str(first), "--key", str(key), "--to", str(channel))[0] == 0
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nid = "lobby-2"\ncentre = "baku-1"\n'
        f'[content]\nurl = "{server.url}"\npublic_key = "{pub}"\n'
        f'[display]\nopen_hours = "08:00-20:00"\nidle_seconds = 45\n[admin]\npin_hash = "{OLD_PIN}"\n',
        encoding="utf-8",
    )
    common = ("--config", str(config), "--data-dir", str(data_dir))
    assert kioskctl(capsys, "sync", "--once", *common)[0] == 0

    core = open_core(load_settings(config), data_dir)
    try:
        display = core.settings.display
        assert (display.open_hours, display.language, display.idle_seconds) == ("09:00-18:00", "en", 45)
        assert core.settings.admin.pin_hash == NEW_PIN
        assert core.status().remote_settings == (
            "settings from release 1: display.language, display.open_hours, admin.pin_hash"
        )
        code, out, _ = kioskctl(capsys, "status", "--json", *common)
        assert code == 0 and json.loads(out)["remote_settings"] == core.status().remote_settings

        # The next release drops the PIN and gives this kiosk its own hours: the running core follows.
        second = with_settings(
            simple_source(tmp_path / "v2", count=1),
            '[[settings]]\nkiosks = ["lobby-2"]\ndisplay = { open_hours = "10:00-16:00" }\n'
            '[[settings]]\ncentres = ["baku-1"]\ndisplay = { open_hours = "09:00-18:00", language = "ru" }\n',
        )
        assert kioskctl(capsys, "publish", str(second), "--key", str(key), "--to", str(channel))[0] == 0
        assert kioskctl(capsys, "sync", "--once", *common)[0] == 0
        assert core.refresh_settings()
        display = core.settings.display
        assert (display.open_hours, display.language) == ("10:00-16:00", "ru")
        assert core.settings.admin.pin_hash == OLD_PIN
        assert not core.refresh_settings()  # nothing new: nothing to apply
    finally:
        core.close()


def test_publish_and_validate_refuse_a_release_that_sets_where_content_comes_from(
    tmp_path: Path, channel: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kioskctl(capsys, "keygen", "--out", str(tmp_path / "keys"))
    source = with_settings(
        simple_source(tmp_path / "src", count=1),
        '[[settings]]\ncentres = ["baku-1"]\ncontent = { url = "https://elsewhere.example/" }\n',
    )
    code, out, err = kioskctl(capsys, "validate", str(source))
    assert code != 0 and "settings[0].content" in out + err and "cannot be set by a release" in out + err
    code, out, err = kioskctl(
        capsys, "publish", str(source), "--key", str(tmp_path / "keys" / "content.key"), "--to", str(channel)
    )
    assert code != 0 and "settings[0].content" in out + err
    assert not (channel / "manifest.json").exists()
