"""The packaged kiosk session: the cage command line, and the screen's rotation and output applied in it.

``[display] rotation`` and ``output`` are applied where the compositor allows: cage 0.1.4 (Debian 12)
rotates with ``-r`` (once per 90°) but cannot manage outputs; cage 0.1.5 and newer (Debian 13, Ubuntu
24.04) dropped ``-r`` and speak wlr-output-management, so the kiosk runs ``wlr-randr`` inside the
session before it opens its window (only when the session asks for it: never on a developer's desktop).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kiosk.config import DisplaySettings, default_data_dir, resolve_config_path

log = logging.getLogger(__name__)

KIOSK_PROGRAM = "/opt/green-kiosk/green-kiosk"
APPLY_OUTPUTS_ENV = "GREEN_KIOSK_APPLY_OUTPUTS"
"""Set by ``kioskctl session`` for the kiosk: rotate and choose the output with wlr-randr at start."""
TRANSFORMS = {0: "normal", 90: "90", 180: "180", 270: "270"}

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def cage_rotates(cage: str = "cage") -> bool:
    """Whether this cage still has ``-r`` (0.1.4 and older); its help text says so."""
    try:
        result = subprocess.run(
            [cage, "-h"], capture_output=True, text=True, timeout=10, check=False, env=system_environment()
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "Rotate the output" in result.stdout + result.stderr


def cage_command(
    display: DisplaySettings, kiosk: Sequence[str], *, cage: str = "cage", rotates_itself: bool
) -> tuple[list[str], dict[str, str]]:
    """The command line that starts the kiosk in cage, and the environment it adds for the kiosk.

    ``rotates_itself``: cage has ``-r``; otherwise rotation and output go to the kiosk (wlr-randr).
    """
    command = [cage, "-d"]
    env: dict[str, str] = {}
    if rotates_itself:
        command += ["-r"] * (display.rotation // 90)
        if display.output:
            log.warning(
                "[display] output = %r needs cage 0.1.5 or newer (wlr-output-management); this cage shows "
                "the kiosk across all screens",
                display.output,
            )
    elif display.rotation or display.output:
        env[APPLY_OUTPUTS_ENV] = "1"
    return [*command, "--", *kiosk], env


def parse_outputs(wlr_randr_text: str) -> list[str]:
    """The output names in ``wlr-randr``'s listing (each output's first line starts in column 0)."""
    return [line.split()[0] for line in wlr_randr_text.splitlines() if line[:1] not in ("", " ", "\t")]


def output_commands(display: DisplaySettings, outputs: Sequence[str]) -> list[list[str]]:
    """wlr-randr calls: the chosen output (or the first) on and rotated, every other one off."""
    if not outputs:
        return []
    chosen = display.output if display.output in outputs else outputs[0]
    commands = [["wlr-randr", "--output", name, "--off"] for name in outputs if name != chosen]
    commands.append(["wlr-randr", "--output", chosen, "--on", "--transform", TRANSFORMS[display.rotation]])
    return commands


def apply_outputs(display: DisplaySettings, run: Runner | None = None) -> list[str]:
    """Rotate and choose the output with wlr-randr; returns problems (the kiosk shows them, never stops)."""
    runner: Runner = run or _run
    if shutil.which("wlr-randr") is None and run is None:
        return ["[display] rotation/output: wlr-randr is not installed (apt install wlr-randr)"]
    listing = runner(["wlr-randr"])
    if listing.returncode != 0:
        return [f"[display] rotation/output: wlr-randr cannot list the screens: {listing.stderr.strip()}"]
    outputs = parse_outputs(listing.stdout)
    problems = []
    if display.output and display.output not in outputs:
        problems.append(
            f"[display] output = {display.output!r} is not connected (connected: {', '.join(outputs)}); "
            f"using {outputs[0] if outputs else 'none'}"
        )
    for command in output_commands(display, outputs):
        result = runner(command)
        if result.returncode != 0:
            problems.append(f"{' '.join(command)}: {result.stderr.strip() or result.returncode}")
    if not problems:
        log.info("Screens set: %s", "; ".join(" ".join(c[1:]) for c in output_commands(display, outputs)))
    return problems


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command), capture_output=True, text=True, timeout=10, check=False, env=system_environment()
    )


def system_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a program of the system (cage, wlr-randr) started from the bundled kiosk.

    PyInstaller's bundle points ``LD_LIBRARY_PATH`` at its own libraries (and keeps the original in
    ``LD_LIBRARY_PATH_ORIG``); a system program must get its own: Debian 13's cage fails with Debian
    12's bundled GLib ("undefined symbol: g_once_init_enter_pointer", measured).
    """
    env = dict(os.environ if env is None else env)
    if not getattr(sys, "frozen", False) and "LD_LIBRARY_PATH_ORIG" not in env:
        return env
    original = env.pop("LD_LIBRARY_PATH_ORIG", None)
    if original:
        env["LD_LIBRARY_PATH"] = original
    else:
        env.pop("LD_LIBRARY_PATH", None)
    return env


def cmd_session(args: argparse.Namespace) -> int:
    """``kioskctl session``: start the kiosk in cage with the configured rotation (the service runs it)."""
    from kiosk.remote_settings import session_settings
    from kiosk.startup import load_startup_settings

    path, explicit = resolve_config_path(args.config)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    settings = load_startup_settings(path, data_dir, required=explicit).settings  # never stops the session
    settings = session_settings(settings, data_dir)  # the rotation and output the last release set
    kiosk = [args.kiosk, "--data-dir", str(data_dir)]
    rotates = cage_rotates(args.cage)
    command, env = cage_command(settings.display, kiosk, cage=args.cage, rotates_itself=rotates)
    if args.print:
        print(*[f"{k}={v}" for k, v in env.items()], *command)
        return 0
    sys.stdout.flush()
    os.execvpe(command[0], command, {**system_environment(), **env})


def add_session_command(subparsers: Any) -> None:
    from kiosk.options import add_common_options

    session = subparsers.add_parser(
        "session", help="start the kiosk in the cage compositor with [display] rotation (the service's job)"
    )
    session.add_argument("--print", action="store_true", help="print the command line instead of running it")
    session.add_argument("--cage", default="cage", help="the compositor program (default: cage)")
    session.add_argument("--kiosk", default=KIOSK_PROGRAM, help=f"the kiosk (default: {KIOSK_PROGRAM})")
    session.set_defaults(run=cmd_session)
    add_common_options(session, in_subcommand=True)
