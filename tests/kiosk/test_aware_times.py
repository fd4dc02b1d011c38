"""The one reader of aware times (kiosk.wire): content, manifests and messages all go through it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kiosk.wire import TimeRangeError, parse_aware, parse_time

BAKU_OFFSET = timezone(timedelta(hours=4))


def test_an_aware_time_keeps_the_offset_it_was_written_with() -> None:
    when = parse_aware("2026-03-21T09:00:00+04:00", "starts")
    assert when == datetime(2026, 3, 21, 9, tzinfo=BAKU_OFFSET) and when.utcoffset() == timedelta(hours=4)
    assert parse_time("2026-03-21T09:00:00+04:00", "at") == datetime(2026, 3, 21, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-03-21T09:00:00", "has no time zone"),
        ("21.03.2026 09:00", "is not an ISO 8601 time"),
        ("2026-03-21T09:00:00+04:00" + " " * 64, "expected an ISO 8601 time with a zone"),
        (1774069200, "expected an ISO 8601 time with a zone"),
    ],
)
def test_naive_malformed_or_oversized_times_are_refused_naming_the_key(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as raised:
        parse_aware(value, "starts")
    assert str(raised.value).startswith("starts: ")


def test_a_time_no_calendar_can_hold_is_its_own_error() -> None:
    with pytest.raises(TimeRangeError):
        parse_aware("0001-01-01T00:00:00+04:00", "ends")
    with pytest.raises(ValueError, match="is not a plausible time"):
        parse_time("1999-12-31T23:00:00+00:00", "ends")  # a real moment, but not one a kiosk reports
