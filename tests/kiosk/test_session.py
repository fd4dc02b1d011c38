"""The packaged session: [display] rotation and output, the cage command line, and cage's headless run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from kiosk.cli import main as kioskctl
from kiosk.config import DisplaySettings, load_settings
from kiosk.errors import ConfigError
from kiosk.session import (
    APPLY_OUTPUTS_ENV,
    apply_outputs,
    cage_command,
    cage_rotates,
    output_commands,
    parse_outputs,
)

# What wlr-randr 0.2.0 prints (measured against sway 1.7's headless backend), with a second screen.
LISTING = """\
HDMI-A-1 "Dell Inc. DELL P2419H 1234"
  Enabled: yes
  Modes:
    1920x1080 px, 60.000000 Hz (preferred, current)
  Position: 0,0
  Transform: normal
  Scale: 1.000000
DP-1 "Unknown 0x0000"
  Enabled: yes
  Modes:
    1920x1080 px, 60.000000 Hz (current)
  Transform: normal
"""


def test_rotation_and_output_are_read_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[display]\nrotation = 270\noutput = "HDMI-A-1"\n', encoding="utf-8")
    display = load_settings(config).display
    assert (display.rotation, display.output) == (270, "HDMI-A-1")
    config.write_text("[display]\nrotation = 45\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 2: \[display\] rotation: expected one of 0, 90, 180, 270"):
        load_settings(config)
    config.write_text('[display]\noutput = "HDMI-A-1; reboot"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="screen connector name"):
        load_settings(config)
    assert kioskctl(["--config", str(config), "check-config"]) == 1


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_cage_with_r_rotates_once_per_quarter_turn(rotation: int) -> None:
    command, env = cage_command(
        DisplaySettings(rotation=rotation), ["/opt/green-kiosk/green-kiosk"], rotates_itself=True
    )
    assert command == ["cage", "-d", *["-r"] * (rotation // 90), "--", "/opt/green-kiosk/green-kiosk"]
    assert env == {}


def test_newer_cage_leaves_rotation_and_output_to_the_kiosk() -> None:
    kiosk = ["/opt/green-kiosk/green-kiosk", "--data-dir", "/var/lib/green-kiosk"]
    command, env = cage_command(DisplaySettings(rotation=90), kiosk, rotates_itself=False)
    assert command == ["cage", "-d", "--", *kiosk]
    assert env == {APPLY_OUTPUTS_ENV: "1"}
    assert cage_command(DisplaySettings(), kiosk, rotates_itself=False)[1] == {}


def test_chosen_output_is_rotated_and_the_others_switched_off() -> None:
    outputs = parse_outputs(LISTING)
    assert outputs == ["HDMI-A-1", "DP-1"]
    assert output_commands(DisplaySettings(rotation=90, output="DP-1"), outputs) == [
        ["wlr-randr", "--output", "HDMI-A-1", "--off"],
        ["wlr-randr", "--output", "DP-1", "--on", "--transform", "90"],
    ]
    assert output_commands(DisplaySettings(), outputs)[-1][-1] == "normal"  # no output named: the first


def test_kioskctl_session_prints_the_command_the_service_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("cage") is None:
        pytest.skip("cage is not installed (scripts/bootstrap.sh dev installs it)")
    config = tmp_path / "kiosk.toml"
    config.write_text("[display]\nrotation = 180\n", encoding="utf-8")
    argv = ["--config", str(config), "--data-dir", "/var/lib/green-kiosk", "session", "--print"]
    assert kioskctl(argv) == 0
    printed = capsys.readouterr().out.split()
    if cage_rotates():
        assert printed[:4] == ["cage", "-d", "-r", "-r"]
    else:
        assert printed[0] == f"{APPLY_OUTPUTS_ENV}=1"
    assert printed[-3:] == ["/opt/green-kiosk/green-kiosk", "--data-dir", "/var/lib/green-kiosk"]


@pytest.fixture
def session_dir() -> Iterator[Path]:
    """Files cage's user can reach (cage refuses to run as root; pytest's folders are root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="green-kiosk-session-"))
    path.chmod(0o777)
    runtime = path / "runtime"
    runtime.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(runtime, 65534, 65534)
    yield path
    shutil.rmtree(path)


def run_in_cage(session_dir: Path, display: DisplaySettings, client: str) -> subprocess.CompletedProcess[str]:
    """cage on its headless backend (no screen here) running ``client``, as the kiosk's session would."""
    script = session_dir / "client.sh"
    script.write_text(f"#!/bin/sh\n{client}\n", encoding="utf-8")
    script.chmod(0o755)
    command, env = cage_command(display, [str(script)], rotates_itself=cage_rotates())
    env = {
        **env,
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "XDG_RUNTIME_DIR": str(session_dir / "runtime"),
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
    }
    user: dict[str, object] = {"user": 65534, "group": 65534, "extra_groups": []} if os.geteuid() == 0 else {}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, **user)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("rotation", "size"), [(90, "720, logical_height: 1280"), (180, "1280, logical_height: 720")]
)
def test_rotation_is_applied_by_cage_on_its_headless_backend(
    session_dir: Path, rotation: int, size: str
) -> None:
    missing = [tool for tool in ("cage", "wayland-info", "Xwayland") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt install cage wayland-utils xwayland)")
    if not cage_rotates():
        pytest.skip("this cage has no -r: rotation goes through wlr-randr (tested with the listing above)")
    out = session_dir / "info.txt"
    result = run_in_cage(session_dir, DisplaySettings(rotation=rotation), f"wayland-info > {out} 2>&1")
    assert result.returncode == 0, result.stderr[-2000:]
    info = out.read_text(encoding="utf-8")
    assert f"logical_width: {size}" in info
    assert f"output_transform: {rotation}°" in info


def test_without_output_management_the_kiosk_reports_a_problem_instead_of_failing(session_dir: Path) -> None:
    """cage 0.1.4 (Debian 12) has no wlr-output-management: what the kiosk gets when it runs wlr-randr."""
    missing = [tool for tool in ("cage", "wlr-randr", "Xwayland") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (apt install cage wlr-randr xwayland)")
    out = session_dir / "randr.txt"
    result = run_in_cage(session_dir, DisplaySettings(), f"wlr-randr > {out} 2>&1; echo rc=$? >> {out}")
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    code = int(text.rsplit("rc=", 1)[1])

    def replay(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(list(command), code, "" if code else text, text if code else "")

    problems = apply_outputs(DisplaySettings(rotation=90), replay)
    if cage_rotates():  # cage 0.1.4: rotation is cage's -r; wlr-randr is refused, and the kiosk says so
        assert code != 0 and "output-management" in text
        assert problems and "cannot list the screens" in problems[0]


def test_system_programs_get_the_library_path_the_bundle_found() -> None:
    """The bundled kiosk's own LD_LIBRARY_PATH must not reach cage or wlr-randr (other GLib, other Qt)."""
    from kiosk.session import system_environment

    bundled = {"LD_LIBRARY_PATH": "/opt/green-kiosk/_internal", "LD_LIBRARY_PATH_ORIG": "/usr/local/lib"}
    assert system_environment(bundled)["LD_LIBRARY_PATH"] == "/usr/local/lib"
    assert "LD_LIBRARY_PATH_ORIG" not in system_environment(bundled)
    assert system_environment({"PATH": "/usr/bin", "LD_LIBRARY_PATH": "/x"})["LD_LIBRARY_PATH"] == "/x"
