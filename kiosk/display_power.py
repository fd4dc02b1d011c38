"""Powering the panel down outside opening hours, by whatever this machine's compositor allows.

Measured (packaging/README.md): labwc speaks wlr-output-power-management (``wlopm``: real DPMS); cage 0.2
only output management (``wlr-randr --off``: no signal, the panel sleeps); cage 0.1.4 neither; X11 has
``xset dpms``. The method is chosen once from what the session answers, then reused: probing at every
sleep would find the outputs already off.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.config import DisplaySettings
from kiosk.session import TRANSFORMS, Runner, system_environment

log = logging.getLogger(__name__)

WLOPM, WLR_RANDR, XSET, NONE = "wlopm", "wlr-randr", "xset", "none"
_MODE = re.compile(r"^\s+(\d+)x(\d+) px(?:, ([\d.]+) Hz)?.*\bcurrent\b")


@dataclass(frozen=True)
class Capabilities:
    """What the session answered: outputs each protocol can reach (None: not available, and why)."""

    power_outputs: tuple[str, ...] | None = None
    power_reason: str = "wlopm is not installed"
    randr_outputs: tuple[str, ...] | None = None
    randr_modes: tuple[tuple[str, str], ...] = ()
    """Each enabled output's current mode as wlr-randr's ``--mode`` takes it, restored at wake."""
    randr_reason: str = "wlr-randr is not installed"
    x11_dpms: bool = False
    x11_reason: str = "not an X11 session"


@dataclass(frozen=True)
class SleepMethod:
    """How the panel is switched off and on again; ``reason`` says why nothing better was possible."""

    name: str
    off: tuple[tuple[str, ...], ...] = ()
    on: tuple[tuple[str, ...], ...] = ()
    reason: str = ""

    def describe(self) -> str:
        if self.name == NONE:
            return f"the panel cannot be put to sleep on this machine: {self.reason}"
        return f"the panel sleeps by {' '.join(self.off[0])}" if self.off else self.name


def choose_method(caps: Capabilities, display: DisplaySettings) -> SleepMethod:
    """The best mechanism the capabilities allow: DPMS, then output off, then X11 DPMS, else none."""
    if caps.power_outputs:
        return SleepMethod(WLOPM, off=(("wlopm", "--off", "*"),), on=(("wlopm", "--on", "*"),))
    if caps.randr_outputs:
        modes = dict(caps.randr_modes)
        on = []
        for name in caps.randr_outputs:
            command = ["wlr-randr", "--output", name, "--on"]
            if name in modes:
                command += ["--mode", modes[name]]
            on.append((*command, "--transform", TRANSFORMS[display.rotation]))
        off = tuple(("wlr-randr", "--output", name, "--off") for name in caps.randr_outputs)
        return SleepMethod(WLR_RANDR, off=off, on=tuple(on))
    if caps.x11_dpms:
        dpms = ("xset", "dpms", "force")
        return SleepMethod(XSET, off=((*dpms, "off"),), on=((*dpms, "on"),))
    reasons = [r for r in dict.fromkeys([caps.power_reason, caps.randr_reason, caps.x11_reason]) if r]
    return SleepMethod(NONE, reason="; ".join(reasons) + "; the screen is only painted black")


def probe(run: Runner | None = None, environ: dict[str, str] | None = None) -> Capabilities:
    """Ask the running session (WAYLAND_DISPLAY or DISPLAY) what it can do; quick, read-only."""
    runner: Runner = run or _run
    env = os.environ if environ is None else environ
    fields: dict[str, object] = {}
    if not env.get("WAYLAND_DISPLAY"):
        fields.update(power_reason="not a Wayland session", randr_reason="not a Wayland session")
    else:
        if run is not None or shutil.which("wlopm"):
            listing = runner(["wlopm"])
            names = tuple(line.split()[0] for line in listing.stdout.splitlines() if line.strip())
            if listing.returncode == 0 and names:
                fields["power_outputs"] = names
            else:
                fields["power_reason"] = _why("wlopm", listing)
        if run is not None or shutil.which("wlr-randr"):
            listing = runner(["wlr-randr"])
            enabled = _enabled_outputs(listing.stdout)
            if listing.returncode == 0 and enabled:
                fields["randr_outputs"] = tuple(enabled)
                fields["randr_modes"] = tuple((n, m) for n, m in enabled.items() if m)
            else:
                fields["randr_reason"] = _why("wlr-randr", listing)
    if env.get("DISPLAY"):
        if run is None and not shutil.which("xset"):
            fields["x11_reason"] = "xset is not installed (apt install x11-xserver-utils)"
        else:
            query = runner(["xset", "q"])
            fields["x11_dpms"] = query.returncode == 0 and "DPMS is" in query.stdout
            ok = query.returncode == 0
            fields["x11_reason"] = "the X server has no DPMS extension" if ok else _why("xset", query)
    return Capabilities(**fields)  # type: ignore[arg-type]


def _enabled_outputs(listing: str) -> dict[str, str]:
    """Enabled outputs in wlr-randr's listing, each with its current mode (``1920x1080@60.000000Hz``;
    a headless output has no refresh rate: ``1280x720``)."""
    outputs: dict[str, str] = {}
    name, enabled, mode = "", False, ""
    for line in [*listing.splitlines(), "END"]:
        if line[:1] not in ("", " ", "\t"):
            if name and enabled:
                outputs[name] = mode
            name, enabled, mode = line.split()[0], False, ""
        elif line.strip() == "Enabled: yes":
            enabled = True
        elif found := _MODE.match(line):
            mode = f"{found[1]}x{found[2]}" + (f"@{found[3]}Hz" if found[3] else "")
    return outputs


def _why(program: str, result: subprocess.CompletedProcess[str]) -> str:
    said = (result.stderr.strip() or result.stdout.strip() or f"exit status {result.returncode}").splitlines()
    return f"{program}: {said[-1][:200] if said else 'no outputs'}"


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """System programs get the system's libraries, not the bundle's (Debian 13's fail on Debian 12's GLib)."""
    try:
        return subprocess.run(
            list(command), capture_output=True, text=True, timeout=5, check=False, env=system_environment()
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return subprocess.CompletedProcess(list(command), 127, "", str(exc))


class DisplayPower:
    """Switches the panel off and on; chooses its method at the first request and logs it once."""

    def __init__(
        self, display: DisplaySettings, run: Runner | None = None, *, environ: dict[str, str] | None = None
    ) -> None:
        self.display = display
        self.run: Runner = run or _run
        self.environ = environ
        self.method: SleepMethod | None = None
        self._lock = threading.Lock()

    def request(self, on: bool) -> bool:
        """True when the panel was really switched; the kiosk paints black either way."""
        with self._lock:  # requests come from a thread pool: never interleave off and on
            if self.method is None:
                caps = probe(self.run if self.run is not _run else None, self.environ)
                self.method = choose_method(caps, self.display)
                (log.warning if self.method.name == NONE else log.info)(self.method.describe())
            ok = self.method.name != NONE
            for command in self.method.on if on else self.method.off:
                result = self.run(command)
                if result.returncode != 0 and "--mode" in command:  # no modes listed while off (headless)
                    at = command.index("--mode")
                    result = self.run((*command[:at], *command[at + 2 :]))
                if result.returncode != 0:
                    log.warning(
                        "Could not switch the display %s: %s: %s",
                        "on" if on else "off",
                        " ".join(command),
                        result.stderr.strip()[:200] or result.returncode,
                    )
                    ok = False
            if ok:
                log.info("Display power %s via %s", "on" if on else "off", self.method.name)
            return ok
