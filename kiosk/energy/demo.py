"""A demo kiosk's first start: today's curve up to now and the last 30 days from the simulator.

Without it a fresh demo shows "51 kWh today" (the simulator's own day counter) beside an empty chart
and one bar in 30 days; with it the dashboard looks like the plant it simulates, running for years.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from kiosk.energy.history import BUCKET_SECONDS, EnergyHistory
from kiosk.energy.ledger import local_midnight
from kiosk.energy.simulator import ClearSkySource

log = logging.getLogger(__name__)

DEMO_DAYS = 30


def fill_demo_history(history: EnergyHistory, source: ClearSkySource, now: datetime) -> None:
    """Seed the 5-minute averages of today until ``now`` and the energy of the 30 days before today."""
    zone = history.zone
    today = now.astimezone(zone).date()
    days = []
    for back in range(DEMO_DAYS, 0, -1):
        day = today - timedelta(days=back)
        if day >= source.commissioned:
            days.append((day, *source.day_energy_and_peak(day)))
    buckets = []
    slot = local_midnight(today, zone)
    width = timedelta(seconds=BUCKET_SECONDS)
    while slot + width <= now:
        buckets.append((slot, source.power_at(slot + width / 2)))  # the slot's middle stands for its average
        slot += width
    history.seed(buckets, days)
    log.info("Demo history filled: %d days and %d five-minute averages of today", len(days), len(buckets))
