"""./run.sh, the first command of the README: on a machine without a screen it says how to look at the
kiosk, but asking for help (or for screenshots) is answered, not met with the "no screen" message."""

from __future__ import annotations

import os
import subprocess

from tests.conftest import REPO_ROOT


def run_sh(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [str(REPO_ROOT / "run.sh"), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_help_is_printed_on_a_machine_without_a_screen() -> None:
    result = run_sh("--help")
    assert result.returncode == 0, result.stderr
    assert "usage: main.py" in result.stdout and "--screenshot" in result.stdout
    assert "no screen" not in result.stdout


def test_starting_without_a_screen_says_how_to_see_the_kiosk() -> None:
    result = run_sh()
    assert result.returncode == 0, result.stderr
    assert "has no screen" in result.stdout and "./run.sh --screenshot screenshots" in result.stdout
