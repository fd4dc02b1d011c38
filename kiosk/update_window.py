"""When may this kiosk install a new version? Inside ``[updates] window`` and never in opening hours.

green-kiosk-update (packaging/debian) asks ``kioskctl update-due`` every half hour; the answer is a pure
function of the settings and the time, so the rule is tested with a moved clock, not with systemd.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.config import Settings
from kiosk.errors import ConfigError
from kiosk.options import add_common_options, settings_from_options
from kiosk.schedule import DisplayHours

MIN_WINDOW = timedelta(minutes=45)
"""The timer looks every 30 minutes, up to 15 minutes late: a shorter window could be missed every night."""


@dataclass(frozen=True)
class UpdateDecision:
    """Whether an update may run now, and why, in words for the journal."""

    due: bool
    reason: str


def window_hours(window: str) -> DisplayHours:
    """``"02:00-04:00"`` as hours (crossing midnight allowed); at least 45 minutes long."""
    try:
        hours = DisplayHours.parse(window, [])
    except ConfigError as exc:
        raise ConfigError(f'[updates] window: expected hours like "02:00-04:00", got {window!r}') from exc
    span = hours.schedule.hours
    assert span is not None
    start, end = (timedelta(hours=t.hour, minutes=t.minute) for t in span)
    length = (end - start) % timedelta(days=1)
    if length < MIN_WINDOW:
        raise ConfigError(
            f"[updates] window {window!r} is shorter than 45 minutes: the update timer could miss it"
        )
    return hours


def update_decision(settings: Settings, now: datetime) -> UpdateDecision:
    """Due when ``now`` (aware) is inside the window in the kiosk's time zone and outside opening hours."""
    local = now.astimezone(ZoneInfo(settings.kiosk.timezone))
    window = settings.updates.window
    shown = f"{local:%H:%M} {settings.kiosk.timezone}"
    if not window_hours(window).screen_on(local):
        return UpdateDecision(False, f"not now ({shown}): outside the update window {window}")
    display = settings.display
    if display.open_hours:
        opening = DisplayHours.parse(display.open_hours, list(display.open_weekdays))
        if opening.screen_on(local):
            return UpdateDecision(
                False,
                f"not now ({shown}): the update window {window} overlaps opening hours "
                f"{display.open_hours}; move [updates] window outside them",
            )
    return UpdateDecision(True, f"due ({shown}): inside the update window {window}")


def add_update_command(subparsers: Any) -> None:
    """Register ``update-due`` on kioskctl's subcommands."""
    due = subparsers.add_parser(
        "update-due", help="exit 0 if a new version may be installed now ([updates] window), else 1"
    )
    due.add_argument(
        "--at", metavar="TIME", help="ask for another time (ISO 8601, e.g. 2026-06-21T03:00+04:00)"
    )
    due.set_defaults(run=cmd_update_due)
    add_common_options(due, in_subcommand=True)


def cmd_update_due(args: argparse.Namespace) -> int:
    settings, _ = settings_from_options(args)
    now = datetime.now(UTC)
    if args.at:
        try:
            now = datetime.fromisoformat(args.at)
        except ValueError as exc:
            raise ConfigError(f"--at: expected a time like 2026-06-21T03:00+04:00, got {args.at!r}") from exc
        if now.tzinfo is None:
            now = now.replace(tzinfo=ZoneInfo(settings.kiosk.timezone))
    decision = update_decision(settings, now)
    print(decision.reason)
    return 0 if decision.due else 1
