"""One line of a check table and how the table is printed: shared by ``kioskctl doctor``, the kiosk's
``--self-test`` mode and the command that registers both, so none of them imports another."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TextIO

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
