"""``kioskctl doctor`` and ``kioskctl self-test``: IT staff's two questions, "is this PC fit to be a
kiosk?" and "does the installed kiosk work?", each answered by a table of checks and an exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, TextIO

from kiosk.options import add_common_options

OK, WARN, FAIL, SKIP = "OK", "WARN", "FAIL", "SKIP"


@dataclass(frozen=True)
class CheckResult:
    """One line of the table: what was checked, how it went, and what a technician should know."""

    name: str
    result: str
    detail: str

    @property
    def failed(self) -> bool:
        return self.result == FAIL


def print_table(results: Sequence[CheckResult], out: TextIO | None = None) -> None:
    """A plain-text table that reads well over SSH and in a ticket."""
    out = out or sys.stdout
    width = max([len("CHECK"), *(len(r.name) for r in results)])
    print(f"{'CHECK':<{width}}  RESULT  DETAIL", file=out)
    for r in results:
        print(f"{r.name:<{width}}  {r.result:<6}  {r.detail}", file=out)
    failed = sum(r.failed for r in results)
    warned = sum(r.result == WARN for r in results)
    summary = f"{failed} failed, {warned} warnings, {len(results)} checks"
    print(summary if failed else f"All checks passed ({summary})", file=out)


def report(results: Sequence[CheckResult], args: argparse.Namespace) -> int:
    """Print the results (table or JSON); exit status 1 when any check failed."""
    if getattr(args, "json", False):
        print(json.dumps([asdict(r) for r in results], ensure_ascii=False))
    else:
        print_table(results)
    return 1 if any(r.failed for r in results) else 0


def add_ops_commands(subparsers: Any) -> None:
    """Register ``doctor`` and ``self-test`` on kioskctl's subcommands."""
    from kiosk.doctor import cmd_doctor
    from kiosk.selftest import cmd_self_test

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
    self_test.add_argument("--json", action="store_true", help="one JSON list instead of the table")
    self_test.add_argument(
        "--video-seconds", type=float, default=1.0, help="how long to play the video (default 1)"
    )
    self_test.set_defaults(run=cmd_self_test)
    add_common_options(self_test, in_subcommand=True)
