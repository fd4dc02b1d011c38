"""The panel's sleep after hours: the method chosen from what the compositor answers, and run for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from kiosk.checks import OK, WARN
from kiosk.config import DisplaySettings
from kiosk.display_power import (
    NONE,
    WLOPM,
    WLR_RANDR,
    XSET,
    Capabilities,
    DisplayPower,
    _run,
    choose_method,
    probe,
)
from kiosk.session import Runner
from kiosk.session_checks import display_sleep_check

# What wlr-randr prints under cage 0.2.0 (measured in Debian 13), with a second screen switched off.
RANDR = """\
HDMI-A-1 "Dell Inc. DELL P2419H 1234"
  Enabled: yes
  Modes:
    1920x1080 px, 60.000000 Hz (preferred, current)
    1280x720 px, 60.000000 Hz
  Transform: 90
DP-1 "Unknown 0x0000"
  Enabled: no
  Modes:
    1920x1080 px, 60.000000 Hz (preferred)
"""
NO_POWER = "ERROR: Wayland server does not support wlr-output-power-management-v1.\n"
NO_OUTPUTS = "compositor doesn't support wlr-output-management-unstable-v1\n"


def replay(answers: dict[str, tuple[int, str, str]]) -> tuple[list[list[str]], Runner]:
    """A runner answering as a recorded compositor did (wlopm and labwc are not in Debian 12)."""
    calls: list[list[str]] = []

    def run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        calls.append(list(command))
        code, out, err = answers.get(" ".join(command), (0, "", ""))
        return subprocess.CompletedProcess(list(command), code, out, err)

    return calls, run


def test_dpms_is_preferred_when_the_compositor_has_output_power_management() -> None:
    caps = Capabilities(power_outputs=("HEADLESS-1",), randr_outputs=("HEADLESS-1",), x11_dpms=True)
    method = choose_method(caps, DisplaySettings())
    assert method.name == WLOPM
    assert method.off == (("wlopm", "--off", "*"),) and method.on == (("wlopm", "--on", "*"),)


def test_output_off_restores_mode_and_rotation_when_switched_on_again() -> None:
    caps = Capabilities(randr_outputs=("HDMI-A-1",), randr_modes=(("HDMI-A-1", "1920x1080@60.000000Hz"),))
    method = choose_method(caps, DisplaySettings(rotation=270))
    assert method.name == WLR_RANDR
    assert method.off == (("wlr-randr", "--output", "HDMI-A-1", "--off"),)
    assert method.on == (
        (
            "wlr-randr",
            "--output",
            "HDMI-A-1",
            "--on",
            "--mode",
            "1920x1080@60.000000Hz",
            "--transform",
            "270",
        ),
    )


def test_x11_dpms_is_used_when_wayland_offers_nothing() -> None:
    method = choose_method(Capabilities(x11_dpms=True), DisplaySettings())
    assert method.name == XSET and method.off == (("xset", "dpms", "force", "off"),)


def test_without_any_means_the_reasons_are_said_once() -> None:
    caps = Capabilities(power_reason="wlopm: no", randr_reason="wlr-randr: no", x11_reason="no X11")
    method = choose_method(caps, DisplaySettings())
    assert method.name == NONE and method.off == ()
    assert method.describe() == (
        "the panel cannot be put to sleep on this machine: wlopm: no; wlr-randr: no; no X11; "
        "the screen is only painted black"
    )


def test_probe_reads_what_cage_020_answers() -> None:
    calls, run = replay({"wlopm": (1, "", NO_POWER), "wlr-randr": (0, RANDR, "")})
    caps = probe(run, {"WAYLAND_DISPLAY": "wayland-0"})
    assert caps.power_outputs is None and "does not support wlr-output-power-management" in caps.power_reason
    assert caps.randr_outputs == ("HDMI-A-1",)  # DP-1 was switched off by the session: it stays off
    assert caps.randr_modes == (("HDMI-A-1", "1920x1080@60.000000Hz"),)
    assert calls == [["wlopm"], ["wlr-randr"]]


def test_a_mode_without_refresh_rate_is_restored_as_it_was() -> None:
    """cage 0.2.0's headless output lists ``1280x720 px (current)`` (measured in Debian 13)."""
    headless = 'HEADLESS-1 "Headless output 1"\n  Enabled: yes\n  Modes:\n    1280x720 px (current)\n'
    _, run = replay({"wlopm": (1, "", NO_POWER), "wlr-randr": (0, headless, "")})
    caps = probe(run, {"WAYLAND_DISPLAY": "wayland-0"})
    assert caps.randr_modes == (("HEADLESS-1", "1280x720"),)


def test_an_output_whose_mode_is_unknown_while_off_is_switched_on_without_it() -> None:
    """cage 0.2.0 lists no modes while an output is off: ``--mode`` is refused there (measured)."""
    with_mode = "wlr-randr --output HDMI-A-1 --on --mode 1920x1080@60.000000Hz --transform 90"
    calls, run = replay(
        {"wlopm": (1, "", NO_POWER), "wlr-randr": (0, RANDR, ""), with_mode: (1, "", "unknown mode")}
    )
    power = DisplayPower(DisplaySettings(rotation=90), run, environ={"WAYLAND_DISPLAY": "wayland-0"})
    assert power.request(False) and power.request(True)
    assert calls[-2:] == [
        with_mode.split(),
        ["wlr-randr", "--output", "HDMI-A-1", "--on", "--transform", "90"],
    ]


def test_the_method_is_probed_once_and_each_request_runs_its_commands() -> None:
    calls, run = replay({"wlopm": (0, "HEADLESS-1 on\n", "")})
    power = DisplayPower(DisplaySettings(), run, environ={"WAYLAND_DISPLAY": "wayland-0"})
    assert power.request(False) and power.request(True) and power.request(False)
    off, on = ["wlopm", "--off", "*"], ["wlopm", "--on", "*"]
    assert calls == [["wlopm"], ["wlr-randr"], off, on, off]


def test_a_refused_switch_is_reported_not_raised() -> None:
    answers = {"wlr-randr": (0, RANDR, ""), "wlopm": (1, "", NO_POWER)}
    _, run = replay(answers)
    _, failing = replay({**answers, "wlr-randr --output HDMI-A-1 --off": (1, "", "output gone")})
    session = {"WAYLAND_DISPLAY": "wayland-0"}
    assert DisplayPower(DisplaySettings(), failing, environ=session).request(False) is False
    assert DisplayPower(DisplaySettings(), run, environ=session).request(False) is True


def test_system_programs_run_with_the_systems_library_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the bundle wlopm/wlr-randr/xset must not load the bundle's libraries (LD_LIBRARY_PATH)."""
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/green-kiosk/_internal")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/usr/local/lib/system")
    result = _run(["sh", "-c", 'echo "$LD_LIBRARY_PATH|${LD_LIBRARY_PATH_ORIG-unset}"'])
    assert result.stdout.strip() == "/usr/local/lib/system|unset"


def test_doctor_says_whether_the_packaged_session_can_sleep() -> None:
    installed = {"cage": "/usr/bin/cage", "wlr-randr": "/usr/bin/wlr-randr"}
    newer = display_sleep_check(which=installed.get, rotates=lambda: False, environ={})
    assert newer.result == OK and "wlr-randr" in newer.detail
    old = display_sleep_check(which=installed.get, rotates=lambda: True, environ={})
    assert old.result == WARN and old.detail.startswith("the panel cannot be put to sleep on this machine")
    assert "cage 0.1.4" in old.detail
    bare = display_sleep_check(which={"cage": "/usr/bin/cage"}.get, rotates=lambda: False, environ={})
    assert bare.result == WARN and "apt install wlr-randr" in bare.detail


@pytest.fixture
def cage_session() -> Iterator[dict[str, str]]:
    """cage on its headless backend with a client that waits: the environment to reach it."""
    if shutil.which("cage") is None or shutil.which("wlr-randr") is None:
        pytest.skip("cage or wlr-randr not installed (apt install cage wlr-randr xwayland)")
    path = Path(tempfile.mkdtemp(prefix="green-kiosk-sleep-"))
    path.chmod(0o777)
    runtime = path / "runtime"
    runtime.mkdir(mode=0o700)
    client = path / "client.sh"
    client.write_text('#!/bin/sh\necho "READY $WAYLAND_DISPLAY"\nread line\n', encoding="utf-8")
    client.chmod(0o755)
    user: dict[str, object] = {}
    if os.geteuid() == 0:  # cage refuses to run as root
        os.chown(runtime, 65534, 65534)
        user = {"user": 65534, "group": 65534, "extra_groups": []}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "XDG_RUNTIME_DIR": str(runtime),
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
    }
    cage = subprocess.Popen(  # type: ignore[call-overload]
        ["cage", "-d", "--", str(client)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True, **user,
    )  # fmt: skip
    try:
        ready = cage.stdout.readline().split()
        assert ready[:1] == ["READY"], "cage did not start its client"
        yield {"XDG_RUNTIME_DIR": str(runtime), "WAYLAND_DISPLAY": ready[1]}
    finally:
        cage.stdin.close()
        cage.wait(timeout=10)
        shutil.rmtree(path)


def listing(session: dict[str, str]) -> str:
    return subprocess.run(["wlr-randr"], env={**os.environ, **session}, capture_output=True, text=True).stdout


def test_the_panel_sleeps_in_the_real_compositor_or_says_why_not(
    cage_session: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """cage ≥ 0.2 switches the output off and on (rotation kept); 0.1.4 is refused and says so."""
    for name, value in cage_session.items():  # the commands get the session from the environment
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DISPLAY", raising=False)
    power = DisplayPower(DisplaySettings(), environ=cage_session)
    switched = power.request(False)
    assert power.method is not None
    if power.method.name == NONE:  # Debian 12's cage 0.1.4: measured, no protocol for it
        assert not switched
        assert "doesn't support wlr-output-management" in power.method.reason
        assert power.method.describe().startswith("the panel cannot be put to sleep on this machine: ")
        return
    assert switched and "Enabled: no" in listing(cage_session)
    assert power.request(True) and "Enabled: yes" in listing(cage_session)


def test_an_x_server_without_dpms_is_not_trusted_though_xset_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    """``xset dpms force off`` exits 0 without DPMS (measured on Xvfb): the probe asks ``xset q``."""
    if shutil.which("Xvfb") is None or shutil.which("xset") is None:
        pytest.skip("Xvfb or xset not installed (apt install xvfb x11-xserver-utils)")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL
    )
    os.close(write)
    try:
        with os.fdopen(read) as ready:
            display = ":" + ready.readline().strip()  # Xvfb writes its display number once it accepts clients
        monkeypatch.setenv("DISPLAY", display)
        caps = probe(environ={"DISPLAY": display})
        assert not caps.x11_dpms and caps.x11_reason == "the X server has no DPMS extension"
        power = DisplayPower(DisplaySettings(), environ={"DISPLAY": display})
        assert power.request(False) is False and power.method is not None and power.method.name == NONE
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
