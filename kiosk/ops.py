"""``kioskctl doctor`` and ``kioskctl self-test``: IT staff's two questions, "is this PC fit to be a
kiosk?" and "does the installed kiosk work?", each answered by a table of checks and an exit code.
"""

from __future__ import annotations

from typing import Any

from kiosk.checks import FAIL, OK, SKIP, WARN, CheckResult, print_table, report
from kiosk.doctor import cmd_doctor
from kiosk.options import add_common_options
from kiosk.selftest import add_self_test_options, cmd_self_test

__all__ = ["FAIL", "OK", "SKIP", "WARN", "CheckResult", "add_ops_commands", "print_table", "report"]
"""The check table's names are kiosk/checks.py's; kept importable from here for older callers."""


def add_ops_commands(subparsers: Any) -> None:
    """Register ``doctor`` and ``self-test`` on kioskctl's subcommands."""
    doctor = subparsers.add_parser(
        "doctor",
        help="check this PC and the configuration: display, fonts, data dir, clock, content, energy",
    )
    doctor.add_argument("--json", action="store_true", help="one JSON list instead of the table")
    doctor.add_argument(
        "--timeout", type=float, default=5.0, help="seconds to wait for each server (default 5)"
    )
    doctor.set_defaults(run=cmd_doctor)
    add_common_options(doctor, in_subcommand=True)

    self_test = subparsers.add_parser(
        "self-test",
        help="start the kiosk offscreen, render every section, play a second of video, exit 0 if all works",
    )
    add_self_test_options(self_test)
    self_test.set_defaults(run=cmd_self_test)
    add_common_options(self_test, in_subcommand=True)
