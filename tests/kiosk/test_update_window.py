"""When a kiosk may install a new version: inside [updates] window, in its own time zone, never while open."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, parse_settings
from kiosk.update_window import update_decision
from tests.conftest import FakeClock


def due_hours(config: str, clock: FakeClock) -> list[int]:
    """The local (Asia/Baku, UTC+4) hours of one day at which an update is due, looked at every half hour."""
    parsed = parse_settings(config, Path("kiosk.toml"))
    hours = []
    for _ in range(48):
        if update_decision(parsed, clock()).due:
            hours.append((clock().hour + 4) % 24)
        clock.advance(minutes=30)
    return sorted(set(hours))


def test_default_window_is_two_to_four_at_night_in_the_kiosks_time_zone(clock: FakeClock) -> None:
    clock.now = datetime(2026, 6, 21, 20, 0, tzinfo=UTC)  # midnight in Baku
    assert due_hours("", clock) == [2, 3]


def test_window_may_cross_midnight(clock: FakeClock) -> None:
    clock.now = datetime(2026, 6, 21, 20, 0, tzinfo=UTC)
    assert due_hours('[updates]\nwindow = "23:00-01:00"\n', clock) == [0, 23]


def test_window_overlapping_opening_hours_never_updates_while_open(clock: FakeClock) -> None:
    clock.now = datetime(2026, 6, 21, 20, 0, tzinfo=UTC)
    config = '[display]\nopen_hours = "06:00-22:00"\n\n[updates]\nwindow = "05:00-08:00"\n'
    assert due_hours(config, clock) == [5]
    decision = update_decision(
        parse_settings(config, Path("k.toml")), datetime(2026, 6, 21, 3, 0, tzinfo=UTC)
    )
    assert not decision.due
    assert "overlaps opening hours 06:00-22:00" in decision.reason


def test_window_follows_the_configured_time_zone(clock: FakeClock) -> None:
    config = '[kiosk]\ntimezone = "UTC"\n\n[updates]\nwindow = "02:00-04:00"\n'
    at_three_utc = datetime(2026, 6, 21, 3, 0, tzinfo=UTC)
    assert update_decision(parse_settings(config, Path("k.toml")), at_three_utc).due
    assert not update_decision(parse_settings("", Path("k.toml")), at_three_utc).due  # 07:00 in Baku


@pytest.mark.parametrize("window", ["02:00-02:30", "2-4", "26:00-04:00"])
def test_window_too_short_or_malformed_is_a_config_error(window: str) -> None:
    with pytest.raises(ConfigError, match=r"\[updates\] window"):
        update_decision(
            parse_settings(f'[updates]\nwindow = "{window}"\n', Path("k.toml")),
            datetime(2026, 6, 21, tzinfo=UTC),
        )


def test_kioskctl_update_due_answers_with_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[updates]\nwindow = "02:00-04:00"\n', encoding="utf-8")
    assert main(["update-due", "--config", str(config), "--at", "2026-06-21T03:30+04:00"]) == 0
    assert main(["update-due", "--config", str(config), "--at", "2026-06-21T12:00"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "due (03:30 Asia/Baku): inside the update window 02:00-04:00",
        "not now (12:00 Asia/Baku): outside the update window 02:00-04:00",
    ]
