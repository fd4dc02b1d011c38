"""Accounting every kWh: energy per centre-local day and lifetime, from counters or integrated power.

A source with a lifetime counter is trusted for energy (counter now minus counter before, so a restart
or a silent hour loses nothing); a source without one is integrated (trapezoid) between readings, and a
gap longer than the configured limit is not bridged, because nobody knows what happened in it.
A counter that steps backwards or jumps beyond what the plant could produce is a glitch and dropped,
unless the source keeps counting from the new value: then it was reset, and counting goes on from there.
A reading without a counter (null at night, not implemented, or 0, which is never a count) leaves the last
known counter in force, so the lifetime total never drops. Energy of a gap longer than the gap limit that
spans several days is shared among them by daylight (a clear-sky curve), never into night hours, and the
day that received such a share is marked estimated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.energy.reading import DeviceState, EnergyReading

RESET_CONFIRM_READINGS = 3
"""Consecutive readings that must agree on a new counter series before it is taken as a reset."""

_JUMP_SLACK_HOURS = 0.25
"""A counter may grow by 1.2 x rated power x (elapsed + this), so coarse counter steps still pass."""


@dataclass(frozen=True)
class LedgerState:
    """What the ledger must remember across restarts (stored as JSON in ``kiosk_state``).

    ``counter_offset_wh`` is added to the source's counter so the lifetime total keeps growing across
    counter resets; ``accounted_wh`` is all energy this kiosk has accounted, used as the lifetime
    total of sources without a counter. ``advance_wh`` is energy integrated from power while the
    counter was missing, not yet covered by the counter; ``today_estimated`` says today's figure
    holds a daylight-weighted share of a long gap.
    """

    day: date | None = None
    today_wh: float = 0.0
    accounted_wh: float = 0.0
    counter_offset_wh: float = 0.0
    last_read_at: datetime | None = None
    last_power_w: float | None = None
    last_counter_wh: float | None = None
    advance_wh: float = 0.0
    today_estimated: bool = False

    def to_json(self) -> str:
        data = asdict(self)
        data["day"] = self.day.isoformat() if self.day else None
        data["last_read_at"] = self.last_read_at.isoformat() if self.last_read_at else None
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> LedgerState:
        data = json.loads(text)
        day = data.get("day")
        last = data.get("last_read_at")
        return cls(
            day=date.fromisoformat(day) if day else None,
            today_wh=float(data.get("today_wh", 0.0)),
            accounted_wh=float(data.get("accounted_wh", 0.0)),
            counter_offset_wh=float(data.get("counter_offset_wh", 0.0)),
            last_read_at=datetime.fromisoformat(last) if last else None,
            last_power_w=_optional_float(data.get("last_power_w")),
            last_counter_wh=_optional_float(data.get("last_counter_wh")),
            advance_wh=float(data.get("advance_wh", 0.0)),
            today_estimated=bool(data.get("today_estimated", False)),
        )


@dataclass(frozen=True)
class LedgerUpdate:
    """The outcome of one reading: what was accepted, the energy added per local day, or why not."""

    accepted: tuple[EnergyReading, ...] = ()
    day_energy_wh: dict[date, float] = field(default_factory=dict)
    dropped_reason: str = ""

    @property
    def dropped(self) -> bool:
        return bool(self.dropped_reason)


class EnergyLedger:
    """Turns a stream of readings from one source into energy per local day; not thread-safe."""

    def __init__(
        self,
        zone: ZoneInfo,
        *,
        rated_power_w: float,
        gap_limit: timedelta,
        state: LedgerState | None = None,
        daylight: Callable[[datetime, datetime], float] | None = None,
    ) -> None:
        self.zone = zone
        self.rated_power_w = rated_power_w
        self.gap_limit = gap_limit
        self.daylight = daylight
        self.state = state or LedgerState()
        self._pending: list[EnergyReading] = []

    def local_day(self, when: datetime) -> date:
        return when.astimezone(self.zone).date()

    def today_wh(self, now: datetime) -> float | None:
        """Energy of ``now``'s local day so far; None when nothing has been read since its midnight."""
        if self.state.day is None or self.state.day != self.local_day(now):
            return None
        return self.state.today_wh

    def today_estimated(self, now: datetime) -> bool:
        """Whether today's figure holds an estimated (daylight-weighted) share of a long gap."""
        return self.today_wh(now) is not None and self.state.today_estimated

    def total_wh(self) -> float | None:
        """Lifetime energy: the source's counter (carried across resets), else all energy accounted."""
        if self.state.last_counter_wh is not None:
            return self.state.last_counter_wh + self.state.counter_offset_wh + self.state.advance_wh
        if self.state.day is None:
            return None
        return self.state.accounted_wh

    def apply(self, reading: EnergyReading) -> LedgerUpdate:
        """Account one reading whose power has already been checked; drop it if its counter is impossible."""
        reading = replace(reading, read_at=reading.read_at.astimezone(UTC))
        st = self.state
        if st.last_read_at is not None and reading.read_at <= st.last_read_at:
            return LedgerUpdate(dropped_reason=f"reading at {reading.read_at.isoformat()} is not newer")
        counter = reading.energy_total_wh
        if counter is not None and (math.isnan(counter) or counter < 0):
            return LedgerUpdate(dropped_reason=f"impossible lifetime energy {counter!r} Wh")
        if counter == 0.0:
            # A lifetime of 0 is no count: "not implemented" at night (SunSpec acc32), or a logger that
            # has not read its inverter yet. Taken as a count, the real one after it would be a jump and
            # then a "reset" re-basing the lifetime to 0; a replaced inverter counts on from 0 and is
            # caught as a reset below at its first count above 0.
            reading = replace(reading, energy_total_wh=None)
            counter = None
        if counter is not None and st.last_counter_wh is not None and st.last_read_at is not None:
            problem = self._counter_problem(st.last_counter_wh, st.last_read_at, counter, reading.read_at)
            if problem:
                return self._hold_for_reset(reading, problem)
        self._pending.clear()
        return self._accept(reading)

    def _counter_problem(self, before_wh: float, before_at: datetime, now_wh: float, now_at: datetime) -> str:
        delta = now_wh - before_wh
        if delta < 0:
            return f"lifetime energy went backwards from {before_wh:.0f} to {now_wh:.0f} Wh"
        hours = (now_at - before_at).total_seconds() / 3600.0
        limit = 1.2 * self.rated_power_w * (hours + _JUMP_SLACK_HOURS)
        if delta > limit:
            return (
                f"lifetime energy jumped by {delta:.0f} Wh in {hours:.2f} h (at most {limit:.0f} Wh possible)"
            )
        return ""

    def _hold_for_reset(self, reading: EnergyReading, problem: str) -> LedgerUpdate:
        """Keep a discontinuous reading aside; enough of them counting on consistently mean a reset."""
        if self._pending:
            last = self._pending[-1]
            assert last.energy_total_wh is not None and reading.energy_total_wh is not None
            if self._counter_problem(
                last.energy_total_wh, last.read_at, reading.energy_total_wh, reading.read_at
            ):
                self._pending.clear()
        self._pending.append(reading)
        if len(self._pending) < RESET_CONFIRM_READINGS:
            return LedgerUpdate(dropped_reason=problem)
        pending, self._pending = self._pending, []
        first = pending[0]
        assert first.energy_total_wh is not None
        st = self.state
        before_total = self.total_wh() or 0.0
        bridged = self._integrate(st.last_read_at, st.last_power_w, first.read_at, first.power_w)
        self.state = replace(
            st,
            last_counter_wh=None,
            counter_offset_wh=before_total + bridged - first.energy_total_wh,
            advance_wh=0.0,
        )
        merged: dict[date, float] = {}
        accepted: list[EnergyReading] = []
        for item in pending:
            update = self._accept(item, bridged_wh=bridged if item is first else None)
            accepted.extend(update.accepted)
            for day, wh in update.day_energy_wh.items():
                merged[day] = merged.get(day, 0.0) + wh
        return LedgerUpdate(accepted=tuple(accepted), day_energy_wh=merged)

    def _accept(self, reading: EnergyReading, *, bridged_wh: float | None = None) -> LedgerUpdate:
        st = self.state
        day = self.local_day(reading.read_at)
        counter = reading.energy_total_wh
        if st.last_read_at is None:
            # First reading ever: the source's own day counter is all we know of today before it.
            seed = self._plausible_today(reading)
            self.state = replace(
                st,
                day=day,
                today_wh=seed,
                accounted_wh=st.accounted_wh + seed,
                last_read_at=reading.read_at,
                last_power_w=reading.power_w,
                last_counter_wh=counter,
            )
            return LedgerUpdate(accepted=(reading,), day_energy_wh={day: seed} if seed else {})
        advance = st.advance_wh
        if bridged_wh is not None:
            gained = bridged_wh
        elif counter is not None and st.last_counter_wh is not None:
            # The counter covers what was integrated while it was missing: count only the rest.
            delta = counter - st.last_counter_wh
            gained, advance = max(0.0, delta - advance), max(0.0, advance - delta)
        else:
            gained = self._integrate(st.last_read_at, st.last_power_w, reading.read_at, reading.power_w)
            if counter is None and st.last_counter_wh is not None:
                advance += gained
        shares, estimated = self._split_by_day(
            st.last_read_at, reading.read_at, gained, reading.energy_today_wh
        )
        today_wh = (st.today_wh if st.day == day else 0.0) + shares.get(day, 0.0)
        was_estimated = st.today_estimated and st.day == day
        self.state = replace(
            st,
            day=day,
            today_wh=today_wh,
            accounted_wh=st.accounted_wh + gained,
            last_read_at=reading.read_at,
            last_power_w=reading.power_w,
            last_counter_wh=counter if counter is not None else st.last_counter_wh,
            advance_wh=advance if counter is not None or st.last_counter_wh is not None else 0.0,
            today_estimated=was_estimated or (estimated and shares.get(day, 0.0) > 0.0),
        )
        return LedgerUpdate(accepted=(reading,), day_energy_wh={d: wh for d, wh in shares.items() if wh})

    def _integrate(self, t0: datetime | None, p0: float | None, t1: datetime, p1: float) -> float:
        """Trapezoid energy (Wh) between two readings; 0 across a gap longer than the limit."""
        if t0 is None or p0 is None:
            return 0.0
        elapsed = t1 - t0
        if elapsed > self.gap_limit:
            return 0.0
        return (p0 + p1) / 2.0 * elapsed.total_seconds() / 3600.0

    def _split_by_day(
        self, t0: datetime, t1: datetime, energy_wh: float, source_today_wh: float | None
    ) -> tuple[dict[date, float], bool]:
        """Share energy gained between two readings among the local days the interval spans.

        Where the source reports its own day counter, that is today's share (the rest belongs to
        the days before). Otherwise a gap longer than the gap limit is shared by daylight (the
        clear-sky curve), never into the night, and the shares are estimates (second value True);
        a short interval across midnight is shared in proportion to time.
        """
        first_day, last_day = self.local_day(t0), self.local_day(t1)
        if first_day == last_day or energy_wh <= 0.0:
            return {last_day: energy_wh}, False
        shares: dict[date, float] = {}
        if source_today_wh is not None and source_today_wh >= 0.0:
            today = min(energy_wh, source_today_wh)
            shares[last_day] = today
            rest, end = energy_wh - today, local_midnight(last_day, self.zone)
        else:
            rest, end = energy_wh, t1
        pieces: list[tuple[date, datetime, datetime]] = []
        day = first_day
        while day <= self.local_day(end - timedelta(microseconds=1)) and end > t0:
            start = max(t0, local_midnight(day, self.zone))
            stop = min(end, local_midnight(day + timedelta(days=1), self.zone))
            pieces.append((day, start, stop))
            day += timedelta(days=1)
        weights = [(stop - start).total_seconds() for _, start, stop in pieces]
        estimated = False
        if self.daylight is not None and t1 - t0 > self.gap_limit:
            light = [self.daylight(start, stop) for _, start, stop in pieces]
            if sum(light) > 0.0:
                weights, estimated = light, True
        total = sum(weights)
        for (piece_day, _, _), weight in zip(pieces, weights, strict=True):
            if total > 0:
                shares[piece_day] = shares.get(piece_day, 0.0) + rest * weight / total
        return shares, estimated and source_today_wh is None

    def _plausible_today(self, reading: EnergyReading) -> float:
        """The source's day counter when it could be true (not above rated power since midnight).

        A sleeping device's day counter is taken only after local noon: loggers keep yesterday's until
        the inverter wakes (a Fronius Symo still says 10.8 kWh at 05:00), and in the morning nothing
        tells the two apart; in the evening it is today's.
        """
        today = reading.energy_today_wh
        if reading.state == DeviceState.SLEEPING and reading.read_at.astimezone(self.zone).hour < 12:
            return 0.0
        if today is None or math.isnan(today) or today < 0:
            return 0.0
        midnight = local_midnight(self.local_day(reading.read_at), self.zone)
        hours = (reading.read_at - midnight).total_seconds() / 3600.0
        return today if today <= 1.2 * self.rated_power_w * (hours + _JUMP_SLACK_HOURS) else 0.0


class FeedLedger(EnergyLedger):
    """Figures accounted elsewhere (the central server's totals of all centres), as the feed reports them.

    A network total is a sum of centres' lifetimes: it steps by a whole centre's lifetime when that centre
    first reports and falls when one stops, which one meter's checks would drop as a jump or re-base as a
    reset; the server has already judged each centre against its own rating. Its power is still checked.
    """

    def apply(self, reading: EnergyReading) -> LedgerUpdate:
        """The feed's lifetime and today as they are; an old, negative or non-finite reading is dropped."""
        reading = replace(reading, read_at=reading.read_at.astimezone(UTC))
        st = self.state
        if st.last_read_at is not None and reading.read_at == st.last_read_at:
            return LedgerUpdate()  # the feed has not changed since: its figures stand, with their age
        if st.last_read_at is not None and reading.read_at < st.last_read_at:
            older = f"reading at {reading.read_at.isoformat()} is older than the last"
            return LedgerUpdate(dropped_reason=older)
        for what, value in (("lifetime", reading.energy_total_wh), ("today's", reading.energy_today_wh)):
            if value is not None and not (math.isfinite(value) and value >= 0):
                return LedgerUpdate(dropped_reason=f"impossible {what} energy {value!r} Wh")
        day = self.local_day(reading.read_at)
        before = st.today_wh if st.day == day else 0.0
        total = reading.energy_total_wh
        if reading.energy_today_wh is not None:
            today = reading.energy_today_wh
        elif total is not None and st.last_counter_wh is not None and st.last_read_at is not None:
            # A feed without its own today: what its total grew by, unless a centre joined (a jump).
            grown = total - st.last_counter_wh
            plausible = not self._counter_problem(st.last_counter_wh, st.last_read_at, total, reading.read_at)
            today = before + (grown if plausible else 0.0)
        else:
            today = before
        self.state = LedgerState(
            day=day,
            today_wh=today,
            accounted_wh=total if total is not None else st.accounted_wh,
            last_read_at=reading.read_at,
            last_power_w=reading.power_w,
            last_counter_wh=total if total is not None else st.last_counter_wh,
        )
        energy = {day: today - before} if today != before else {}
        return LedgerUpdate(accepted=(reading,), day_energy_wh=energy)

    def total_wh(self) -> float | None:
        """The feed's last lifetime total (a state saved by a meter's ledger may hold an offset: not used)."""
        return self.state.last_counter_wh


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of ``day`` in ``zone``, in UTC, also where a DST change skips midnight.

    In UTC because Python subtracts two datetimes of the same zone by wall clock, which is an hour
    off across a daylight-saving change.
    """
    naive = datetime.combine(day, time(0))
    for minutes in range(0, 180, 15):
        candidate = (naive + timedelta(minutes=minutes)).replace(tzinfo=zone)
        # A wall time that does not exist changes when it goes through UTC and back.
        if candidate.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return candidate.astimezone(UTC)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _optional_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
