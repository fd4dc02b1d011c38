"""The report body's parser (pydantic models derived from kiosk.wire), driven by Hypothesis.

Whatever JSON arrives, parsing either gives wire values whose every number is finite and in range and
whose every time is aware and plausible, or refuses with a ValidationError: never another exception.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from central.bodies import ReportsBody
from kiosk.wire import (
    EARLIEST,
    LATEST,
    MAX_ENERGY_WH,
    MAX_EVENT_SECONDS,
    MAX_POWER_W,
    MAX_RELEASE,
    MAX_UPTIME_S,
    Heartbeat,
    PlayEvent,
    ReportBatch,
)

offsets = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities included: Python's json reads them
    | st.text(max_size=30)
    | st.datetimes(timezones=st.none() | st.just(UTC) | offsets).map(datetime.isoformat),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
keys = st.sampled_from(
    ["id", "at", "app_version", "release", "uptime_s", "energy_state", "power_w", "energy_today_wh",
     "energy_total_wh", "reading_at", "last_error", "kind", "section", "item", "seconds", "language"]
)  # fmt: skip
records = st.dictionaries(keys, json_values, max_size=10)
bodies = (
    st.fixed_dictionaries(
        {}, optional={"heartbeats": st.lists(records, max_size=3), "events": st.lists(records, max_size=3)}
    )
    | json_values
)


def _in(value: float | None, high: float) -> bool:
    return value is None or (math.isfinite(value) and 0 <= value <= high)


def _plausible(moment: datetime | None) -> bool:
    return moment is None or (moment.tzinfo is not None and EARLIEST < moment < LATEST)


@settings(max_examples=100, deadline=None)
@given(body=bodies)
def test_any_json_is_either_refused_or_parsed_into_bounded_values(body: Any) -> None:
    try:
        batch = ReportsBody.model_validate(json.loads(json.dumps(body))).to_wire()
    except ValidationError:
        return
    for beat in batch.heartbeats:
        assert 8 <= len(beat.id) <= 64 and _plausible(beat.at) and _plausible(beat.reading_at)
        assert _in(beat.power_w, MAX_POWER_W) and _in(beat.energy_today_wh, MAX_ENERGY_WH)
        assert _in(beat.energy_total_wh, MAX_ENERGY_WH)
        assert _in(beat.release, MAX_RELEASE) and _in(beat.uptime_s, MAX_UPTIME_S)
        assert all(isinstance(getattr(beat, k), str) for k in ("app_version", "energy_state", "last_error"))
    for event in batch.events:
        assert event.kind and _plausible(event.at) and _in(event.seconds, MAX_EVENT_SECONDS)


finite = st.floats(min_value=0, max_value=1e6, allow_nan=False)
# Fixed offsets, as a kiosk's isoformat() writes them (a zone's non-existent local times aside).
moments = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets)


@settings(max_examples=100, deadline=None)
@given(
    at=moments,
    power=st.none() | finite,
    release=st.none() | st.integers(0, MAX_RELEASE),
    state=st.text(max_size=256),
    seconds=st.none() | st.floats(0, MAX_EVENT_SECONDS),
)
def test_what_a_kiosk_sends_the_server_reads_back_unchanged(
    at: datetime, power: float | None, release: int | None, state: str, seconds: float | None
) -> None:
    beat = Heartbeat("a1b2c3d4e5", at, release=release, power_w=power, energy_state=state, reading_at=at)
    event = PlayEvent("f6a7b8c9d0", at - timedelta(seconds=1), "section", seconds=seconds, language="az")
    sent = ReportBatch((beat,), (event,), sent_at=at).to_json()
    received = ReportsBody.model_validate(json.loads(json.dumps(sent))).to_wire()
    assert received == ReportBatch((beat,), (event,), sent_at=at)
    assert received.heartbeats[0].at.tzinfo is not None
    assert received.heartbeats[0].at == at.astimezone(UTC)
