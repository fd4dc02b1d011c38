"""A simulated year of generation through the real accounting and pruning path; prints figures.

Feeds the clear-sky simulator's readings every 5 minutes (about 105,000 polls) through
``EnergyService.poll_once()`` into a fresh SQLite store, then prints the database size after pruning
and the time the dashboard's two chart queries take. Never asserted; run it by hand:

    .venv/bin/python benchmarks/energy_year.py [--days 365] [--step-minutes 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.energy.service import EnergyService
from kiosk.energy.simulator import ClearSkySource
from kiosk.store.db import DB_NAME, open_store


def timed(repeats: int, work: object) -> float:
    """Median wall time of ``work()`` in milliseconds."""
    assert callable(work)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--step-minutes", type=float, default=5.0)
    args = parser.parse_args()

    start = datetime(2025, 1, 1, tzinfo=UTC)
    now = [start]
    source = ClearSkySource(30_000.0, seed=3, clock=lambda: now[0])
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        store = open_store(data_dir)
        service = EnergyService(source, store, rated_power_w=30_000.0, clock=lambda: now[0])
        step = timedelta(minutes=args.step_minutes)
        end = start + timedelta(days=args.days)
        polls = 0
        began = time.perf_counter()
        while now[0] < end:
            service.poll_once()
            polls += 1
            now[0] += step
        feed_s = time.perf_counter() - began
        service.history.prune(now[0])
        store.close()

        db = data_dir / DB_NAME
        with sqlite3.connect(db) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            counts = {
                table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("energy_reading", "energy_bucket", "energy_day")
            }
        size_mb = db.stat().st_size / 1e6
        with sqlite3.connect(db) as connection:
            connection.execute("VACUUM")
        vacuumed_mb = db.stat().st_size / 1e6

        store = open_store(data_dir)
        service = EnergyService(source, store, rated_power_w=30_000.0, clock=lambda: now[0])
        last_day = (now[0] - timedelta(days=1)).astimezone(service.zone).date()
        bars_ms = timed(50, lambda: service.history.daily_totals(30, until=last_day))
        curve_ms = timed(50, lambda: service.history.today_curve(last_day))
        bars = service.history.daily_totals(30, until=last_day)
        curve = service.history.today_curve(last_day)
        snap = service.current()
        store.close()

    print(f"simulated: {args.days} days, a reading every {args.step_minutes:g} min, {polls} polls")
    per_poll_ms = feed_s / polls * 1000
    print(f"feeding through EnergyService.poll_once(): {feed_s:.1f} s ({per_poll_ms:.2f} ms a poll)")
    print(f"rows after pruning: {counts}")
    print(f"database after pruning: {size_mb:.2f} MB ({vacuumed_mb:.2f} MB after VACUUM)")
    print(f"30-day bars query: {bars_ms:.2f} ms ({len(bars)} days)")
    print(f"today's curve query: {curve_ms:.2f} ms ({len(curve)} five-minute slots)")
    total_mwh = (snap.energy_total_wh or 0.0) / 1e6
    print(f"lifetime total: {total_mwh:.1f} MWh, CO2 avoided {(snap.co2_total_kg or 0.0) / 1000:.1f} t")
    return 0


if __name__ == "__main__":
    sys.exit(main())
