"""The watchdog: sd_notify from the Qt event loop, and a frozen UI restarted (systemd's side emulated)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.watchdog import Watchdog, notify
from tests.conftest import REPO_ROOT
from tests.packaging.helpers import NotifySocket

# The kiosk from source, with its event loop blocked after FREEZE_AFTER_S (when asked), as a hung paint or
# a deadlock would: the process lives on, only the loop stops.
KIOSK = """
import os, sys, time
sys.path.insert(0, {root!r})
import main, ui.app
from PySide6.QtCore import QTimer
freeze = float(os.environ.get("FREEZE_AFTER_S", "0"))
create = ui.app.create_application
def create_and_maybe_freeze(argv):
    app = create(argv)
    if freeze:
        QTimer.singleShot(int(freeze * 1000), lambda: time.sleep(3600))
    return app
ui.app.create_application = create_and_maybe_freeze
sys.exit(main.main(["--windowed", "--data-dir", {data!r}, "--log-level", "WARNING"]))
"""

WATCHDOG_SEC = 1.5


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[NotifySocket]:
    sock = NotifySocket(tmp_path / "notify")
    yield sock
    sock.close()


def start_kiosk(data: Path, notify_path: Path, *, freeze_after: float = 0.0) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        NOTIFY_SOCKET=str(notify_path),
        WATCHDOG_USEC=str(int(WATCHDOG_SEC * 1e6)),
        FREEZE_AFTER_S=str(freeze_after),
    )
    env.pop("WATCHDOG_PID", None)
    code = KIOSK.format(root=str(REPO_ROOT), data=str(data))
    return subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def test_watchdog_reads_what_systemd_sets() -> None:
    env = {"NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "60000000"}
    watchdog = Watchdog.from_environment(env, pid=10, parent_pid=1)
    assert watchdog is not None
    assert watchdog.interval_ms == 20_000  # a third of WatchdogSec
    assert Watchdog.from_environment({}) is None  # not under systemd: nothing to do


def test_watchdog_pings_as_cages_child_but_not_for_a_stranger() -> None:
    env = {"NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "7"}
    under_cage = Watchdog.from_environment(env, pid=8, parent_pid=7)
    stranger = Watchdog.from_environment(env, pid=9, parent_pid=3)
    assert under_cage is not None and under_cage.interval_s == 20.0
    assert stranger is not None and stranger.interval_s is None


def test_notify_reaches_an_abstract_socket() -> None:
    import socket

    name = f"green-kiosk-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind("\0" + name)
        server.settimeout(2)
        notify("WATCHDOG=1", "@" + name)
        assert server.recv(64) == b"WATCHDOG=1"


def test_unreachable_socket_is_reported_not_raised(tmp_path: Path) -> None:
    watchdog = Watchdog(str(tmp_path / "nobody-listens"), 1.0)
    assert watchdog.ping() is False
    assert watchdog.failing


def test_kiosk_sends_ready_then_pings_from_its_event_loop(
    tmp_path: Path, notify_socket: NotifySocket
) -> None:
    kiosk = start_kiosk(tmp_path / "data", notify_socket.path)
    try:
        assert notify_socket.wait_for("READY=1", 60) is not None
        for _ in range(3):  # a ping at least every WatchdogSec / 3 (with slack for a busy machine)
            assert notify_socket.wait_for("WATCHDOG=1", WATCHDOG_SEC) is not None
    finally:
        kiosk.terminate()
        kiosk.wait(30)


def test_frozen_ui_stops_pinging_and_is_restarted(tmp_path: Path, notify_socket: NotifySocket) -> None:
    """What systemd does with WatchdogSec= and Restart=always, step by step, against the real kiosk."""
    frozen = start_kiosk(tmp_path / "data", notify_socket.path, freeze_after=2.0)
    try:
        assert notify_socket.wait_for("READY=1", 60) is not None
        assert notify_socket.wait_for("WATCHDOG=1", WATCHDOG_SEC) is not None
        # The event loop blocks: the process is alive but no ping comes within WatchdogSec.
        while notify_socket.wait_for("WATCHDOG=1", WATCHDOG_SEC) is not None:
            pass
        assert frozen.poll() is None, "the kiosk should be alive, only frozen"
        frozen.send_signal(signal.SIGABRT)  # systemd's WatchdogSignal
        assert frozen.wait(30) != 0
    finally:
        if frozen.poll() is None:
            frozen.kill()
            frozen.wait(30)
    restarted = start_kiosk(tmp_path / "data", notify_socket.path)  # Restart=always
    try:
        assert notify_socket.wait_for("READY=1", 60) is not None
        assert notify_socket.wait_for("WATCHDOG=1", WATCHDOG_SEC) is not None
    finally:
        restarted.terminate()
        restarted.wait(30)
