"""The one parser of daily hours: the rules every config key and content schedule shares."""

from __future__ import annotations

from datetime import time

import pytest

from kiosk.hours import parse_hours


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("08:30-19:00", (time(8, 30), time(19, 0))),
        ("00:00-23:59", (time(0, 0), time(23, 59))),
        ("19:00-08:30", (time(19, 0), time(8, 30))),  # overnight
        (" 09:00-18:00 ", (time(9, 0), time(18, 0))),
        ("8:00-18:00", (time(8, 0), time(18, 0))),  # tolerated: configs written before the rule
        ("08:00-24:00", (time(8, 0), time(0, 0))),  # tolerated: the end of the day
    ],
)
def test_spans_within_a_day_and_overnight_are_read(text: str, span: tuple[time, time]) -> None:
    assert parse_hours(text) == span


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("08:00-08:00", "starts and ends at the same time"),
        ("00:00-24:00", "starts and ends at the same time"),
        ("24:00-08:00", "is not a time of day"),
        ("25:00-26:00", "is not a time of day"),
        ("08:60-19:00", "is not a time of day"),
        ("08:00-24:30", "is not a time of day"),
        ("8-19", 'expected hours like "08:30-19:00"'),
        ("08:30 - 19:00", 'expected hours like "08:30-19:00"'),
        ("", 'expected hours like "08:30-19:00"'),
        (
            "08:30-19:00" * 100,
            'expected hours like "08:30-19:00", got \'08:30-19:0008:30-19:0008:30-19:0008:30',
        ),
    ],
)
def test_impossible_or_malformed_hours_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_hours(text)
    assert reason in str(raised.value)
    assert len(str(raised.value)) < 120
