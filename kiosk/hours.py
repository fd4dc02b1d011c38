"""The one parser of daily hours like ``08:30-19:00`` (opening hours, update window, item schedules)."""

from __future__ import annotations

import re
from datetime import time

_HOURS = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")

EXAMPLE = "08:30-19:00"


def parse_hours(text: str) -> tuple[time, time]:
    """Start and end of a daily span; an end before the start runs overnight (``19:00-08:30``).

    Times are 00:00-23:59 and the span may not start where it ends (empty means all day, not this).
    Two tolerances keep config files written before this rule working: a one-digit hour (``8:00``) and
    ``24:00`` as the end of the day. Raises ValueError whose message says what is wrong, for the reader.
    """
    match = _HOURS.fullmatch(text.strip())
    if not match:
        raise ValueError(f'expected hours like "{EXAMPLE}", got {text[:40]!r}')
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    if not (h1 <= 23 and m1 <= 59 and m2 <= 59 and (h2 <= 23 or (h2, m2) == (24, 0))):
        raise ValueError(f"{text!r} is not a time of day (hours 00-23, minutes 00-59)")
    start, end = time(h1, m1), time(h2 % 24, m2)
    if start == end:
        raise ValueError(f"{text!r} starts and ends at the same time (leave it empty for all day)")
    return start, end
