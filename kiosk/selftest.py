"""``kioskctl self-test``: does the installed kiosk work? Run after every install and in CI.

The check runs in the kiosk binary itself (``green-kiosk --self-test``, ui/self_test.py), so it exercises
what the kiosk really loads — Qt's platform and image plugins, fonts, translations, the database
migrations, every section and the video decoder — over a fresh, temporary data dir that leaves the
kiosk's own database and content alone. This module is the command around it and imports no Qt.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from kiosk.checks import FAIL, CheckResult, report
from kiosk.paths import app_root

KIOSK_PROGRAM = "green-kiosk"
TIMEOUT_S = 180.0
"""Starting Qt, rendering every view and waiting for the first video frame take well under a minute."""


def add_self_test_options(parser: argparse.ArgumentParser) -> None:
    """The self-test's own options, the same for ``kioskctl self-test`` and ``green-kiosk --self-test``."""
    parser.add_argument("--json", action="store_true", help="one JSON list instead of the table")
    parser.add_argument(
        "--video-seconds", type=float, default=1.0, help="how long to play the video (default 1)"
    )


def kiosk_command() -> list[str]:
    """The kiosk binary: ``green-kiosk`` beside ``kioskctl`` in the packaged build, else main.py."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).with_name(KIOSK_PROGRAM))]
    return [sys.executable, str(app_root() / "main.py")]


def self_test_argv(args: argparse.Namespace) -> list[str]:
    """kioskctl's parsed options, handed on to the kiosk binary's ``--self-test`` mode."""
    argv = ["--self-test", "--video-seconds", str(args.video_seconds)]
    if args.json:
        argv.append("--json")
    for option in ("config", "data_dir", "log_level"):
        value = getattr(args, option, None)
        if value:
            argv += [f"--{option.replace('_', '-')}", str(value)]
    return argv


def cmd_self_test(args: argparse.Namespace) -> int:
    command = [*kiosk_command(), *self_test_argv(args)]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    try:
        done = subprocess.run(
            command, stdout=subprocess.PIPE, text=True, env=env, timeout=TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return report([CheckResult("kiosk binary", FAIL, f"{command[0]} did not run: {exc}")], args)
    if not done.stdout.strip():  # it died before its table: Qt or Python could not even start
        detail = f"{command[0]} exited with status {done.returncode} before reporting (its errors are above)"
        return report([CheckResult("kiosk binary", FAIL, detail)], args)
    sys.stdout.write(done.stdout)
    return done.returncode
