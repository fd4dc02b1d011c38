from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.content.model import parse_content
from kiosk.errors import ConfigError
from kiosk.schedule import DisplayHours, active_announcement, visible_services
from tests.content_docs import document, service, text

BAKU = ZoneInfo("Asia/Baku")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BAKU)  # type: ignore[misc]


def content_with(*services: dict[str, object], announcements: list[dict[str, object]] | None = None):  # type: ignore[no-untyped-def]
    return parse_content(
        document(services=list(services), announcements=announcements or []), release=1, origin="t"
    )


def ids(content, centre: str, when: datetime) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.id for s in visible_services(content, centre, when)]


def test_date_range_is_inclusive_at_both_ends() -> None:
    content = content_with(service("spring", schedule={"from": "2026-03-20", "until": "2026-03-31"}))
    assert ids(content, "c", at(2026, 3, 19, 23, 59)) == []
    assert ids(content, "c", at(2026, 3, 20, 0, 0)) == ["spring"]
    assert ids(content, "c", at(2026, 3, 31, 23, 59)) == ["spring"]
    assert ids(content, "c", at(2026, 4, 1, 0, 0)) == []


def test_weekdays_and_hours_boundaries() -> None:
    content = content_with(service("office", schedule={"weekdays": [1, 2, 3, 4, 5], "hours": "09:00-18:00"}))
    monday, saturday = at(2026, 11, 23, 9, 0), at(2026, 11, 28, 12, 0)
    assert ids(content, "c", monday) == ["office"]
    assert ids(content, "c", monday.replace(hour=8, minute=59)) == []
    assert ids(content, "c", monday.replace(hour=17, minute=59)) == ["office"]
    assert ids(content, "c", monday.replace(hour=18, minute=0)) == []  # the end is exclusive
    assert ids(content, "c", saturday) == []


def test_hours_across_midnight() -> None:
    content = content_with(service("night", schedule={"hours": "22:00-06:00"}))
    assert ids(content, "c", at(2026, 1, 1, 23, 0)) == ["night"]
    assert ids(content, "c", at(2026, 1, 1, 5, 59)) == ["night"]
    assert ids(content, "c", at(2026, 1, 1, 12, 0)) == []


def test_items_for_other_centres_are_hidden() -> None:
    content = content_with(service("everyone"), service("only-ganja", centres=["ganja-1"]))
    assert ids(content, "baku-1", at(2026, 1, 1, 12)) == ["everyone"]
    assert ids(content, "ganja-1", at(2026, 1, 1, 12)) == ["everyone", "only-ganja"]


def announcement(item_id: str, starts: str, ends: str, level: str = "info") -> dict[str, object]:
    return {"id": item_id, "level": level, "starts": starts, "ends": ends, "text": text(item_id)}


def test_announcement_overrides_only_until_it_expires() -> None:
    content = content_with(
        service("s"),
        announcements=[announcement("notice", "2026-05-01T09:00:00+04:00", "2026-05-01T18:00:00+04:00")],
    )
    assert active_announcement(content, "c", at(2026, 5, 1, 8, 59)) is None
    live = active_announcement(content, "c", at(2026, 5, 1, 9, 0))
    assert live is not None and live.id == "notice"
    assert active_announcement(content, "c", at(2026, 5, 1, 17, 59, 59)) is not None
    assert active_announcement(content, "c", at(2026, 5, 1, 18, 0)) is None


def test_emergency_wins_over_a_newer_notice() -> None:
    content = content_with(
        service("s"),
        announcements=[
            announcement("alarm", "2026-05-01T09:00:00+04:00", "2026-05-01T12:00:00+04:00", "emergency"),
            announcement("notice", "2026-05-01T10:00:00+04:00", "2026-05-01T12:00:00+04:00"),
        ],
    )
    live = active_announcement(content, "c", at(2026, 5, 1, 10, 30))
    assert live is not None and live.id == "alarm"


def test_display_hours() -> None:
    hours = DisplayHours.parse("08:30-19:00", [1, 2, 3, 4, 5, 6])
    assert hours.screen_on(at(2026, 11, 28, 8, 30))  # Saturday
    assert not hours.screen_on(at(2026, 11, 28, 8, 29))
    assert not hours.screen_on(at(2026, 11, 28, 19, 0))
    assert not hours.screen_on(at(2026, 11, 29, 12, 0))  # Sunday
    assert DisplayHours.parse("", []).screen_on(at(2026, 11, 29, 3, 0))
    with pytest.raises(ConfigError):
        DisplayHours.parse("8-19", [])
