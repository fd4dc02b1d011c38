"""The kiosk from source as systemd runs it: a broken config and token still give a window (READY=1),
repeated quick exits give safe mode, and a stop says STOPPING=1 and counts as no crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.startup import CRASH_FILE, SAFE_MODE_AFTER
from tests.conftest import REPO_ROOT
from tests.packaging.helpers import NotifySocket

BROKEN = '[kiosk]\nid = "baku-1-lobby"\n[display]\nidle_seconds = "soon"\n' + (
    '[central]\nurl = "http://127.0.0.1:9/"\ntoken_file = "absent.token"\n'
)


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[NotifySocket]:
    sock = NotifySocket(tmp_path / "notify")
    yield sock
    sock.close()


def run_kiosk(config: Path, data: Path, notify: NotifySocket) -> tuple[int, str]:
    """Start the kiosk, wait for READY=1, stop it as systemd does (SIGTERM); exit code and its log."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NOTIFY_SOCKET=str(notify.path), INVOCATION_ID="1")
    env.pop("WATCHDOG_USEC", None)
    command = [sys.executable, str(REPO_ROOT / "main.py"), "--config", str(config), "--data-dir", str(data)]
    kiosk = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert notify.wait_for("READY=1", 60) is not None, "the kiosk did not come up"
        kiosk.send_signal(signal.SIGTERM)
        assert notify.wait_for("STOPPING=1", 30) is not None
        code = kiosk.wait(30)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait(30)
    return code, (data / "logs" / "kiosk.log").read_text(encoding="utf-8")


def test_broken_config_and_token_still_start_and_a_stop_is_no_crash(
    tmp_path: Path, notify_socket: NotifySocket
) -> None:
    config, data = tmp_path / "kiosk.toml", tmp_path / "data"
    config.write_text(BROKEN, encoding="utf-8")
    code, log = run_kiosk(config, data, notify_socket)
    assert code == 0
    starts = [line for line in log.splitlines() if "Green Kiosk" in line and "starting:" in line]
    assert len(starts) == 1
    assert f"config {config} (defaults), data dir {data}" in starts[0]
    assert "[display] idle_seconds: expected a whole number" in log
    assert "absent.token" in log
    assert "INFO alembic" not in log  # quiet: one line per event that matters
    assert not (data / CRASH_FILE).exists()  # a clean stop clears the count
    assert not (data / "last-good-config.toml").exists()  # a broken config is never "good"


def test_repeated_quick_exits_start_safe_mode(tmp_path: Path, notify_socket: NotifySocket) -> None:
    config, data = tmp_path / "kiosk.toml", tmp_path / "data"
    config.write_text('[kiosk]\nid = "baku-1-lobby"\n', encoding="utf-8")
    data.mkdir()
    (data / CRASH_FILE).write_text(json.dumps({"count": SAFE_MODE_AFTER, "at": 0}), encoding="utf-8")
    code, log = run_kiosk(config, data, notify_socket)
    assert code == 0
    assert f"SAFE MODE after {SAFE_MODE_AFTER} quick exits in a row" in log
    assert "(as written)" in log
    assert (data / "last-good-config.toml").read_text(encoding="utf-8") == config.read_text(encoding="utf-8")
