"""What the kiosk remembers of one source's generation: raw readings (48 h), 5-minute averages
(400 days), daily energy (forever), and the ledger's state, all in the kiosk's SQLite store.

Queries here feed the dashboard's charts; pruning keeps a year of history to a few megabytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.sqlite import insert

from kiosk.energy.ledger import LedgerState, LedgerUpdate, local_midnight
from kiosk.store.db import Store
from kiosk.store.models import EnergyBucketRow, EnergyDayRow, EnergyReadingRow, KioskState

log = logging.getLogger(__name__)

BUCKET_SECONDS = 300
RAW_KEEP = timedelta(hours=48)
BUCKETS_KEEP = timedelta(days=400)


@dataclass(frozen=True)
class PruneResult:
    """How many rows one pruning pass removed."""

    readings: int
    buckets: int


class EnergyHistory:
    """Stores and queries one source's history; ``source`` names its rows (e.g. "sunspec", "network")."""

    def __init__(
        self,
        store: Store,
        source: str,
        zone: ZoneInfo,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.source = source
        self.zone = zone
        self._clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))

    def _state_key(self, device: str | None = None) -> str:
        """Where a ledger is saved: the source's own key, or one per device of a site."""
        return f"energy.ledger.{self.source}" if device is None else f"energy.ledger.{self.source}.{device}"

    def load_state(self, device: str | None = None) -> LedgerState | None:
        """The ledger's state saved by the last accepted reading, or None for a new source or device."""
        with self.store.session() as session:
            row = session.get(KioskState, self._state_key(device))
            if row is None:
                return None
            try:
                return LedgerState.from_json(row.value)
            except (ValueError, TypeError, KeyError) as exc:
                log.error("Saved energy ledger for %s is unreadable (%s); starting afresh", self.source, exc)
                return None

    def record(self, update: LedgerUpdate, state: LedgerState | Mapping[str | None, LedgerState]) -> None:
        """Store what one reading added (raw rows, 5-minute sums, day energy) and the ledgers, atomically.

        ``state`` is the source's ledger, or each device's ledger by device name (None: the source's own).
        """
        states = state if isinstance(state, Mapping) else {None: state}
        with self.store.session() as session:
            for reading in update.accepted:
                session.execute(
                    insert(EnergyReadingRow).values(
                        read_at=reading.read_at,
                        source=self.source,
                        power_w=reading.power_w,
                        energy_total_wh=reading.energy_total_wh,
                        energy_today_wh=reading.energy_today_wh,
                    )
                )
                start = int(reading.read_at.timestamp()) // BUCKET_SECONDS * BUCKET_SECONDS
                bucket = insert(EnergyBucketRow).values(
                    source=self.source, start_ts=start, power_sum_w=reading.power_w, samples=1
                )
                session.execute(
                    bucket.on_conflict_do_update(
                        index_elements=["source", "start_ts"],
                        set_={
                            "power_sum_w": EnergyBucketRow.power_sum_w + bucket.excluded.power_sum_w,
                            "samples": EnergyBucketRow.samples + 1,
                        },
                    )
                )
            peaks = _peaks_by_day(update, self.zone)
            for day in sorted(set(update.day_energy_wh) | set(peaks)):
                row = insert(EnergyDayRow).values(
                    source=self.source,
                    day=day,
                    energy_wh=update.day_energy_wh.get(day, 0.0),
                    peak_w=peaks.get(day, 0.0),
                )
                session.execute(
                    row.on_conflict_do_update(
                        index_elements=["source", "day"],
                        set_={
                            "energy_wh": EnergyDayRow.energy_wh + row.excluded.energy_wh,
                            "peak_w": func.max(EnergyDayRow.peak_w, row.excluded.peak_w),
                        },
                    )
                )
            for device, ledger in states.items():
                saved = insert(KioskState).values(
                    key=self._state_key(device), value=ledger.to_json(), updated_at=self._clock()
                )
                session.execute(
                    saved.on_conflict_do_update(
                        index_elements=["key"],
                        set_={"value": saved.excluded.value, "updated_at": saved.excluded.updated_at},
                    )
                )

    def seed(
        self, buckets: Iterable[tuple[datetime, float]], days: Iterable[tuple[date, float, float]]
    ) -> None:
        """Fill 5-minute averages (slot start, W) and day energies (day, Wh, peak W) where none exist yet.

        For a demo kiosk's first start only: what is already recorded is never overwritten.
        """
        slots = [
            {
                "source": self.source,
                "start_ts": int(start.timestamp()) // BUCKET_SECONDS * BUCKET_SECONDS,
                "power_sum_w": power,
                "samples": 1,
            }
            for start, power in buckets
        ]
        energies = [
            {"source": self.source, "day": day, "energy_wh": energy, "peak_w": peak}
            for day, energy, peak in days
        ]
        with self.store.session() as session:
            if slots:
                session.execute(insert(EnergyBucketRow).on_conflict_do_nothing(), slots)
            if energies:
                session.execute(insert(EnergyDayRow).on_conflict_do_nothing(), energies)

    def prune(self, now: datetime | None = None) -> PruneResult:
        """Drop raw readings older than 48 h and 5-minute averages older than 400 days (all sources)."""
        now = now or self._clock()
        with self.store.session() as session:
            readings = (
                session.connection()
                .execute(delete(EnergyReadingRow).where(EnergyReadingRow.read_at < now - RAW_KEEP))
                .rowcount
            )
            buckets = (
                session.connection()
                .execute(
                    delete(EnergyBucketRow).where(
                        EnergyBucketRow.start_ts < int((now - BUCKETS_KEEP).timestamp())
                    )
                )
                .rowcount
            )
        return PruneResult(readings=readings or 0, buckets=buckets or 0)

    def today_curve(self, day: date | None = None) -> list[tuple[datetime, float]]:
        """Average power (W) of each 5-minute slot of local ``day`` that has readings, oldest first.

        Times are the slots' starts, aware, in the centre's zone. Slots without readings are left
        out, so a chart shows a gap rather than an invented zero.
        """
        day = day or self._clock().astimezone(self.zone).date()
        start = int(local_midnight(day, self.zone).timestamp())
        end = int(local_midnight(day + timedelta(days=1), self.zone).timestamp())
        with self.store.session() as session:
            rows = session.execute(
                select(EnergyBucketRow.start_ts, EnergyBucketRow.power_sum_w, EnergyBucketRow.samples)
                .where(
                    EnergyBucketRow.source == self.source,
                    EnergyBucketRow.start_ts >= start,
                    EnergyBucketRow.start_ts < end,
                )
                .order_by(EnergyBucketRow.start_ts)
            ).all()
        return [
            (datetime.fromtimestamp(ts, UTC).astimezone(self.zone), power_sum / samples)
            for ts, power_sum, samples in rows
        ]

    def daily_totals(self, last_n_days: int = 30, until: date | None = None) -> list[tuple[date, float]]:
        """Energy (Wh) of each local day among the ``last_n_days`` ending with ``until`` (default today).

        Days with no record (kiosk off, source offline all day) are left out, not shown as zero.
        """
        until = until or self._clock().astimezone(self.zone).date()
        first = until - timedelta(days=last_n_days - 1)
        with self.store.session() as session:
            rows = session.execute(
                select(EnergyDayRow.day, EnergyDayRow.energy_wh)
                .where(EnergyDayRow.source == self.source, EnergyDayRow.day.between(first, until))
                .order_by(EnergyDayRow.day)
            ).all()
        return [(day, energy) for day, energy in rows]

    def day_energy_wh(self, day: date) -> float | None:
        """Energy of one local day, or None when nothing was recorded for it."""
        with self.store.session() as session:
            return session.scalar(
                select(EnergyDayRow.energy_wh).where(
                    EnergyDayRow.source == self.source, EnergyDayRow.day == day
                )
            )


def _peaks_by_day(update: LedgerUpdate, zone: ZoneInfo) -> dict[date, float]:
    return _max_by_key((r.read_at.astimezone(zone).date(), r.power_w) for r in update.accepted)


def _max_by_key(pairs: Iterable[tuple[date, float]]) -> dict[date, float]:
    result: dict[date, float] = {}
    for key, value in pairs:
        result[key] = max(value, result.get(key, value))
    return result
