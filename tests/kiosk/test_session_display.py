"""A release's rotation and output reach the session (cage starts before the kiosk reads any release),
and the settings that apply only at start are named so the kiosk can restart for them."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import DisplaySettings, Settings
from kiosk.remote_settings import (
    SESSION_DISPLAY,
    RemoteSettings,
    restart_reasons,
    save_session_display,
    session_settings,
)
from kiosk.session import cage_rotates
from tests.conftest import REPO_ROOT


def test_rotation_output_and_energy_source_need_a_restart_language_does_not() -> None:
    before = Settings()
    display = dataclasses.replace(before.display, rotation=90, output="HDMI-A-1", language="en")
    energy = dataclasses.replace(before.energy, source="fronius", url="http://192.0.2.10/")
    assert restart_reasons(before, dataclasses.replace(before, display=display)) == [
        "display.rotation",
        "display.output",
    ]
    assert restart_reasons(before, dataclasses.replace(before, energy=energy)) == ["energy"]
    only_language = dataclasses.replace(before.display, language="ru", idle_seconds=30)
    assert restart_reasons(before, dataclasses.replace(before, display=only_language)) == []


def test_session_starts_with_the_rotation_the_release_set_and_forgets_it_when_the_release_drops_it(
    tmp_path: Path,
) -> None:
    local = Settings(display=DisplaySettings(rotation=180))
    remote = dataclasses.replace(local, display=dataclasses.replace(local.display, rotation=90))
    save_session_display(tmp_path, RemoteSettings(7, ("display.rotation", "display.language")), remote)
    assert json.loads((tmp_path / SESSION_DISPLAY).read_text(encoding="utf-8")) == {"rotation": 90}
    assert session_settings(local, tmp_path).display.rotation == 90
    off = dataclasses.replace(local, kiosk=dataclasses.replace(local.kiosk, remote_settings=False))
    assert session_settings(off, tmp_path).display.rotation == 180  # the local file says: its values only

    save_session_display(tmp_path, RemoteSettings(8, ("display.language",)), local)
    assert not (tmp_path / SESSION_DISPLAY).exists()
    assert session_settings(local, tmp_path).display.rotation == 180


@pytest.mark.parametrize(
    "text",
    ['{"rotation": 45}', '{"content_url": "http://evil.invalid/"}', "not json", "[90]", " " * 5000 + "{}"],
    ids=["bad-rotation", "other-key", "not-json", "not-an-object", "too-large"],
)
def test_a_wrong_session_file_leaves_the_local_rotation(
    tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / SESSION_DISPLAY).write_text(text, encoding="utf-8")
    local = Settings(display=DisplaySettings(rotation=270))
    assert session_settings(local, tmp_path).display == local.display
    assert f"Ignoring {tmp_path / SESSION_DISPLAY}" in caplog.text


@pytest.mark.skipif(not cage_rotates(), reason="no cage 0.1.4 here (newer ones rotate with wlr-randr)")
def test_kioskctl_session_rotates_cage_as_the_last_release_said(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("[display]\nrotation = 0\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    command = [sys.executable, "-m", "kiosk.cli", "session", "--print", "--config", str(config)]
    command += ["--data-dir", str(data)]

    def cage_line() -> str:
        printed = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
        assert printed.returncode == 0, printed.stderr
        return printed.stdout

    assert " -r " not in cage_line()
    remote = Settings(display=DisplaySettings(rotation=90))
    save_session_display(data, RemoteSettings(3, ("display.rotation",)), remote)
    assert "cage -d -r -- " in cage_line()  # cage 0.1.4 turns by 90° per -r
